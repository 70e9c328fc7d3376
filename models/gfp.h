// GFP flags as the Xen drivers use them (include/linux/gfp_types.h). Only the bits that change an
// allocation's outcome in the model are kept.
#pragma once

#include <cstdint>

namespace gm {

enum class Migratetype : std::uint8_t { unmovable = 0, movable = 1, reclaimable = 2 };

struct Gfp {
  bool movable = false;     // __GFP_MOVABLE: page may be migrated by compaction
  bool reclaimable = false; // __GFP_RECLAIMABLE (slab caches)
  bool highmem = false;     // __GFP_HIGHMEM (no effect on 64-bit: no highmem)
  bool noretry = false;     // __GFP_NORETRY: fail instead of reclaiming hard
  bool nomemalloc = false;  // __GFP_NOMEMALLOC: never dip into reserves
  constexpr Migratetype migratetype() const {
    return movable ? Migratetype::movable : reclaimable ? Migratetype::reclaimable : Migratetype::unmovable;
  }
};

inline constexpr Gfp kGfpKernel{};                              // GFP_KERNEL
inline constexpr Gfp kGfpUser{};                                // GFP_USER (no __GFP_MOVABLE)
inline constexpr Gfp kGfpHighuser{.highmem = true};             // GFP_HIGHUSER
inline constexpr Gfp kGfpHighuserMovable{.movable = true, .highmem = true};
// drivers/xen/balloon.c: GFP_BALLOON = GFP_HIGHUSER | __GFP_NOWARN | __GFP_NORETRY | __GFP_NOMEMALLOC
inline constexpr Gfp kGfpBalloon{.highmem = true, .noretry = true, .nomemalloc = true};

}  // namespace gm
