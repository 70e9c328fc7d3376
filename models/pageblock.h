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

// What a pageblock holds, as prep_move_freepages_block() counts it (mm/page_alloc.c@v6.12;
// move_freepages_block() in v6.1): free pages, and allocated pages on the LRU or __PageMovable.
struct PageblockUsage {
  std::uint64_t free_pages = 0;
  std::uint64_t movable_pages = 0;
};

// steal_suitable_fallback() (mm/page_alloc.c@v6.1 and v6.12): a fallback allocation that may steal
// (can_steal_fallback(), the `whole_block` argument) claims the pageblock of type `block_type` when
// its free pages plus the allocated pages "alike" the request fill at least half of it. For a MOVABLE
// request the alike pages are the movable ones; for UNMOVABLE or RECLAIMABLE falling back into a
// MOVABLE pageblock every allocated page that is not movable counts; between UNMOVABLE and
// RECLAIMABLE none does (the kernel cannot tell them apart). Blocks of pageblock order or more are
// claimed whole before this is asked.
constexpr bool steal_claims_pageblock(Migratetype wanted, Migratetype block_type, bool can_steal,
                                      PageblockUsage use, unsigned pageblock_order) {
  if (!can_steal) return false;
  const std::uint64_t pageblock_pages = std::uint64_t{1} << pageblock_order;
  std::uint64_t alike = 0;
  if (wanted == Migratetype::movable)
    alike = use.movable_pages;
  else if (block_type == Migratetype::movable)
    alike = pageblock_pages - (use.free_pages + use.movable_pages);
  return use.free_pages + alike >= (pageblock_pages >> 1);
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
