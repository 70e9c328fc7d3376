// kswapd's rules (mm/vmscan.c@v6.1), without time: when a wakeup starts it, what one round of
// balance_pgdat() reclaims, and when the node counts as balanced so it goes back to sleep. The actor
// that runs these rounds and charges their time is sim/actors/kswapd.h.
#pragma once

#include <cstdint>

#include "models/buddy.h"
#include "models/page_cache.h"
#include "models/reclaim.h"

namespace gm {

// pgdat_balanced(): some managed zone up to `highest` meets its HIGH watermark for `order`
// (zone_watermark_ok_safe); a node with no managed zone in range is balanced.
bool pgdat_balanced(const BuddyAllocator& buddy, unsigned order, ZoneType highest);

struct KswapdRound {
  std::uint64_t reclaimed = 0;
  bool balanced = false;  // the node meets the high watermark: kswapd goes back to sleep
  bool hopeless = false;  // kMaxReclaimRetries rounds without progress (kswapd_failures)
};

// Contract: wake() records the largest order and highest zone asked for since the last sleep
// (kswapd_order / kswapd_highest_zoneidx) and does nothing when the node is already balanced for
// them or hopeless (wakeup_kswapd()). round() is one pass of balance_pgdat(): it reclaims
// max(SWAP_CLUSTER_MAX, high watermark) pages per eligible zone (kswapd_shrink_node()) from the page
// cache, and after compact_gap(order) = 2 << order pages reclaimed for a high-order wakeup it
// balances for order 0 (kcompactd takes over the high order). A round that finds the node balanced
// resets the wakeup; so does a hopeless node until an allocation succeeds again (reset_failures()).
class Kswapd {
 public:
  // true when kswapd was asleep and now runs (the sim actor should be notified).
  bool wake(const BuddyAllocator& buddy, unsigned order, ZoneType highest);
  bool running() const { return running_; }
  KswapdRound round(BuddyAllocator& buddy, PageCache& cache);
  // Where balance_pgdat() started from a high-order wakeup: the order kcompactd should be woken for
  // when kswapd goes back to sleep (kswapd_try_to_sleep() -> wakeup_kcompactd()).
  unsigned last_order() const { return last_order_; }
  void reset_failures() { failures_ = 0; }
  std::uint64_t wakeups() const { return wakeups_; }
  std::uint64_t reclaimed() const { return reclaimed_; }

 private:
  bool running_ = false;
  unsigned order_ = 0, last_order_ = 0;
  ZoneType highest_ = ZoneType::dma;
  std::uint64_t reclaimed_this_run_ = 0;
  unsigned failures_ = 0;
  std::uint64_t wakeups_ = 0, reclaimed_ = 0;
};

}  // namespace gm
