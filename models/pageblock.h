// Pageblocks and migratetypes: the 2 MiB (x86_64) unit the buddy allocator groups pages by mobility,
// and the simplified fallback-stealing rule used when a migratetype's free lists are empty.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include "models/gfp.h"

namespace gm {

inline constexpr unsigned kMigratetypes = 3;  // MIGRATE_PCPTYPES: unmovable, movable, reclaimable
inline constexpr unsigned kPageAllocCostlyOrder = 3;  // PAGE_ALLOC_COSTLY_ORDER (include/linux/mmzone.h)

constexpr std::string_view migratetype_name(Migratetype mt) {
  switch (mt) {
    case Migratetype::unmovable:
      return "Unmovable";
    case Migratetype::movable:
      return "Movable";
    case Migratetype::reclaimable:
      return "Reclaimable";
  }
  return "?";
}

// Fallback order when the requested type has no free block (mm/page_alloc.c@v6.12 fallbacks[]):
// UNMOVABLE -> RECLAIMABLE, MOVABLE; MOVABLE -> RECLAIMABLE, UNMOVABLE; RECLAIMABLE -> UNMOVABLE, MOVABLE.
constexpr std::array<Migratetype, 2> fallbacks(Migratetype mt) {
  switch (mt) {
    case Migratetype::unmovable:
      return {Migratetype::reclaimable, Migratetype::movable};
    case Migratetype::movable:
      return {Migratetype::reclaimable, Migratetype::unmovable};
    case Migratetype::reclaimable:
      return {Migratetype::unmovable, Migratetype::movable};
  }
  return {Migratetype::reclaimable, Migratetype::movable};
}

// can_steal_fallback() (mm/page_alloc.c@v6.12): whether a fallback of this order may re-type pageblocks.
constexpr bool can_steal_fallback(unsigned order, Migratetype wanted, unsigned pageblock_order) {
  return order >= pageblock_order || order >= pageblock_order / 2 || wanted == Migratetype::unmovable ||
         wanted == Migratetype::reclaimable;
}

// Whether a fallback allocation claims (re-types) the whole pageblock it steals from. Simplified
// from mm/page_alloc.c@v6.12 can_steal_fallback() + steal_suitable_fallback():
//  - a block of order >= pageblock_order is claimed whole (every pageblock it covers);
//  - otherwise the pageblock is claimed when (order >= pageblock_order / 2, or the request is
//    UNMOVABLE or RECLAIMABLE) and at least half of the pageblock is free. The kernel also counts
//    "alike" allocated pages towards that half; the model counts free pages only.
constexpr bool fallback_claims_pageblock(unsigned order, Migratetype wanted, unsigned pageblock_order,
                                         std::uint64_t free_in_pageblock) {
  if (order >= pageblock_order) return true;
  return can_steal_fallback(order, wanted, pageblock_order) &&
         free_in_pageblock >= (std::uint64_t{1} << (pageblock_order - 1));
}

// One migratetype per pageblock (the kernel keeps 3-4 bits per pageblock in pageblock_flags).
class PageblockTable {
 public:
  explicit PageblockTable(std::uint64_t count = 0) { resize(count); }
  // New pageblocks start MOVABLE, as memmap_init_range() sets them (mm/mm_init.c@v6.12).
  void resize(std::uint64_t count) { mt_.resize(count, static_cast<std::uint8_t>(Migratetype::movable)); }
  std::uint64_t size() const { return mt_.size(); }
  Migratetype get(std::uint64_t pb) const { return static_cast<Migratetype>(mt_[pb]); }
  void set(std::uint64_t pb, Migratetype mt) { mt_[pb] = static_cast<std::uint8_t>(mt); }

 private:
  std::vector<std::uint8_t> mt_;
};

}  // namespace gm
