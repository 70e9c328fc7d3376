// What the allocation slow path (mm/page_alloc.c@v6.1 __alloc_pages_slowpath) asks of the rest of the
// kernel: wake kswapd, reclaim directly, compact directly. The page allocator only sequences these
// calls per GFP flags; who owns the reclaimable pages and the movable ones (and follows their moves)
// lives above it (the workload in sim/, over page_cache.h and compaction.h).
#pragma once

#include <cstdint>

#include "models/zone.h"

namespace gm {

// SWAP_CLUSTER_MAX (include/linux/swap.h@v6.1): try_to_free_pages()' nr_to_reclaim, the batch kswapd
// and direct reclaim work in.
inline constexpr std::uint64_t kSwapClusterMax = 32;
// MAX_RECLAIM_RETRIES (mm/internal.h@v6.1): reclaim rounds without progress before giving up
// (should_reclaim_retry(), and kswapd_failures before a node is "hopeless").
inline constexpr unsigned kMaxReclaimRetries = 16;

class ReclaimHooks {
 public:
  virtual ~ReclaimHooks() = default;
  // wakeup_kswapd() (mm/vmscan.c@v6.1): called for each allocation that fails at the low watermark
  // and carries __GFP_KSWAPD_RECLAIM.
  virtual void wake_kswapd(unsigned order, ZoneType highest) = 0;
  // try_to_free_pages(): reclaim up to nr pages in the caller's context; returns pages freed.
  virtual std::uint64_t direct_reclaim(std::uint64_t nr, unsigned order, ZoneType highest) = 0;
  // try_to_compact_pages(): compact the zones up to highest for a free block of `order`; true when
  // one was formed (the caller then retries the free lists).
  virtual bool direct_compact(unsigned order, ZoneType highest) = 0;
  // Pages reclaim could still free (zone_reclaimable_pages(): the file LRU here).
  virtual std::uint64_t reclaimable_pages() const = 0;
};

// The slow path's vmstat counters (include/linux/vm_event_item.h@v6.1).
struct SlowPathStats {
  std::uint64_t slow_path = 0;        // allocations that failed at the low watermark
  std::uint64_t kswapd_wakeups = 0;   // wakeup_kswapd() calls
  std::uint64_t allocstall = 0;       // ALLOCSTALL: direct reclaim entered
  std::uint64_t direct_reclaimed = 0; // PGSTEAL_DIRECT
  std::uint64_t compact_stall = 0;    // COMPACTSTALL: direct compaction entered
  std::uint64_t compact_success = 0;  // COMPACTSUCCESS
  std::uint64_t compact_fail = 0;     // COMPACTFAIL
  std::uint64_t failures = 0;         // allocations that returned nothing (no OOM killer modelled)
};

}  // namespace gm
