// GFP flags as the Xen drivers and the workloads use them (include/linux/gfp_types.h@v6.1). Only the
// bits that change an allocation's outcome in the model are kept.
#pragma once

#include <cstdint>

namespace gm {

enum class Migratetype : std::uint8_t { unmovable = 0, movable = 1, reclaimable = 2 };

struct Gfp {
  bool movable = false;         // __GFP_MOVABLE: page may be migrated by compaction
  bool reclaimable = false;     // __GFP_RECLAIMABLE (slab caches)
  bool highmem = false;         // __GFP_HIGHMEM (no effect on 64-bit: no highmem)
  bool noretry = false;         // __GFP_NORETRY: one light round of reclaim/compaction, then fail
  bool nomemalloc = false;      // __GFP_NOMEMALLOC: never dip into reserves
  bool direct_reclaim = true;   // __GFP_DIRECT_RECLAIM: the caller may reclaim and compact itself
  bool kswapd_reclaim = true;   // __GFP_KSWAPD_RECLAIM: a failure at the low watermark wakes kswapd
  bool retry_mayfail = false;   // __GFP_RETRY_MAYFAIL: keep retrying while reclaim makes progress
  constexpr Migratetype migratetype() const {
    return movable ? Migratetype::movable : reclaimable ? Migratetype::reclaimable : Migratetype::unmovable;
  }
};

// GFP_KERNEL, GFP_USER and GFP_HIGHUSER all carry __GFP_RECLAIM (= DIRECT | KSWAPD).
inline constexpr Gfp kGfpKernel{};                              // GFP_KERNEL
inline constexpr Gfp kGfpUser{};                                // GFP_USER (no __GFP_MOVABLE)
inline constexpr Gfp kGfpHighuser{.highmem = true};             // GFP_HIGHUSER
inline constexpr Gfp kGfpHighuserMovable{.movable = true, .highmem = true};
// drivers/xen/balloon.c: GFP_BALLOON = GFP_HIGHUSER | __GFP_NOWARN | __GFP_NORETRY | __GFP_NOMEMALLOC
inline constexpr Gfp kGfpBalloon{.highmem = true, .noretry = true, .nomemalloc = true};
// vmemmap_alloc_block() (mm/sparse-vmemmap.c@v6.1): GFP_KERNEL | __GFP_RETRY_MAYFAIL | __GFP_NOWARN.
inline constexpr Gfp kGfpVmemmap{.retry_mayfail = true};
// GFP_TRANSHUGE_LIGHT (include/linux/gfp_types.h@v6.1): GFP_HIGHUSER_MOVABLE | __GFP_COMP |
// __GFP_NOMEMALLOC | __GFP_NOWARN without __GFP_RECLAIM: no kswapd, no direct reclaim or compaction.
// vma_thp_gfp_mask() (mm/huge_memory.c@v6.1) gives it to THP faults under the default defrag=madvise
// for VMAs without MADV_HUGEPAGE.
inline constexpr Gfp kGfpTranshugeLight{
    .movable = true, .highmem = true, .nomemalloc = true, .direct_reclaim = false, .kswapd_reclaim = false};
// GFP_TRANSHUGE = GFP_TRANSHUGE_LIGHT | __GFP_DIRECT_RECLAIM (defrag=madvise with MADV_HUGEPAGE).
inline constexpr Gfp kGfpTranshuge{.movable = true, .highmem = true, .nomemalloc = true, .kswapd_reclaim = false};
// Page cache pages: mapping_gfp_mask() of a regular file is GFP_HIGHUSER_MOVABLE (inode_init_always).
inline constexpr Gfp kGfpPageCache = kGfpHighuserMovable;

}  // namespace gm
