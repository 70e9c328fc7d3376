#include "models/kswapd.h"

#include <algorithm>

namespace gm {

bool pgdat_balanced(const BuddyAllocator& buddy, unsigned order, ZoneType highest) {
  bool any = false;
  for (const Zone* z : buddy.zones()) {
    if (z->type() > highest || z->managed_pages() == 0) continue;
    any = true;
    if (zone_watermark_ok(*z, order, z->watermarks.high, highest)) return true;
  }
  return !any;
}

bool Kswapd::wake(const BuddyAllocator& buddy, unsigned order, ZoneType highest) {
  // wakeup_kswapd(): a hopeless node is left to direct reclaim; a balanced one is not woken.
  if (failures_ >= kMaxReclaimRetries) return false;
  if (running_) {
    order_ = std::max(order_, order);
    highest_ = std::max(highest_, highest);
    return false;
  }
  if (pgdat_balanced(buddy, order, highest)) return false;
  running_ = true;
  order_ = last_order_ = order;
  highest_ = highest;
  reclaimed_this_run_ = 0;
  ++wakeups_;
  return true;
}

KswapdRound Kswapd::round(BuddyAllocator& buddy, PageCache& cache) {
  KswapdRound r;
  if (!running_) return r;
  // balance_pgdat(): a high-order run reclaims compact_gap(order) and then balances for order 0.
  if (order_ > 0 && reclaimed_this_run_ >= (std::uint64_t{2} << order_)) order_ = 0;
  if (pgdat_balanced(buddy, order_, highest_)) {
    running_ = false;
    r.balanced = true;
    return r;
  }
  std::uint64_t nr = 0;  // kswapd_shrink_node(): sc->nr_to_reclaim per eligible zone
  for (const Zone* z : buddy.zones())
    if (z->type() <= highest_ && z->managed_pages() > 0) nr += std::max(kSwapClusterMax, z->watermarks.high);
  // Freed pages go through kswapd's CPU's pcp list (free_unref_page_list()), so up to `high` of them
  // are not counted free until a bulk free: as in the kernel, where NR_FREE_PAGES excludes them.
  r.reclaimed = cache.shrink(nr);
  reclaimed_this_run_ += r.reclaimed;
  reclaimed_ += r.reclaimed;
  if (r.reclaimed == 0 && ++failures_ >= kMaxReclaimRetries) {
    running_ = false;
    r.hopeless = true;
  } else if (r.reclaimed) {
    failures_ = 0;
  }
  r.balanced = pgdat_balanced(buddy, order_, highest_);
  if (r.balanced) running_ = false;
  return r;
}

}  // namespace gm
