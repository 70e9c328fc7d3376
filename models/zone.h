// One memory zone's buddy free areas (mm/page_alloc.c, include/linux/mmzone.h), kept in bitmaps so a
// 1 TiB zone costs about 3.3 bits per frame: see docs/metrics.md "Buddy allocator model".
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "models/frame_bitmap.h"
#include "models/free_list.h"
#include "models/gfp.h"
#include "models/kerrno.h"
#include "models/pageblock.h"
#include "models/summary_bitmap.h"
#include "models/units.h"

namespace gm {

// Zone indexes in include/linux/mmzone.h order (no HIGHMEM on 64-bit).
enum class ZoneType : std::uint8_t { dma = 0, dma32 = 1, normal = 2, movable = 3 };
inline constexpr unsigned kZoneTypes = 4;

constexpr std::string_view zone_name(ZoneType z) {
  switch (z) {
    case ZoneType::dma:
      return "DMA";
    case ZoneType::dma32:
      return "DMA32";
    case ZoneType::normal:
      return "Normal";
    case ZoneType::movable:
      return "Movable";
  }
  return "?";
}

// Orders and pageblock size: MAX_PAGE_ORDER 10 and pageblock_order 9 on x86_64 with 4 KiB pages
// (include/linux/mmzone.h@v6.8, reference §6.6). pageblock_order must be >= 6 and <= max_order.
struct BuddyGeometry {
  unsigned max_order = 10;
  unsigned pageblock_order = 9;
};

// How freed blocks are placed on the free lists.
struct FreeListPolicy {
  // CONFIG_SHUFFLE_PAGE_ALLOCATOR with page_alloc.shuffle=1 (mm/shuffle.c@v6.1, 5.2+): boot and
  // onlining shuffle the order-max_order lists, and frees at that order go to the head or the tail
  // at random (shuffle_pick_tail()). Off by default, as in the kernel.
  bool shuffle = false;
  std::uint64_t shuffle_seed = 0;  // the model's get_random_u64() stream for shuffle decisions
  // __free_pages_core() frees boot and hot-added memory with FPI_TO_TAIL (5.10+, commit 7fef431be9c9
  // "mm/page_alloc: place pages to tail in __free_pages_core()"); before, like any other free.
  bool boot_free_to_tail = true;
};

struct Watermarks {
  std::uint64_t min = 0, low = 0, high = 0;  // pages (_watermark[WMARK_MIN/LOW/HIGH])
};

struct FreeBlock {
  Pfn head;
  unsigned order = 0;
};

struct BlockInfo {
  Pfn head;
  unsigned order = 0;
  bool free = false;
  bool movable = false;  // allocated with __GFP_MOVABLE: compaction may migrate it
};

// Contract: frames of the span that were never added are holes and are never handed out. Every
// managed frame belongs to exactly one naturally aligned block (free or allocated). Free blocks sit
// on the free list of their order and their pageblock's migratetype; alloc takes the smallest order
// that has a block and, within it, the HEAD of the list (mm/page_alloc.c@v6.1 get_page_from_free_area).
// Frees go to the head, or to the tail where __free_one_page() says so (buddy_merge_likely,
// FPI_TO_TAIL, shuffle); split remainders go to the head (expand()); blocks moved to another
// migratetype go to the tail (move_to_free_list()).
class Zone {
 public:
  // The span [first, end) is rounded out to 2^max_order frames; every frame starts as a hole.
  Zone(ZoneType type, Pfn first, Pfn end, BuddyGeometry geo, FreeListPolicy policy = {});

  ZoneType type() const { return type_; }
  std::string_view name() const { return zone_name(type_); }
  const BuddyGeometry& geometry() const { return geo_; }
  Pfn span_start() const { return base_; }
  Pfn span_end() const { return base_ + span_; }
  bool spans(Pfn p) const { return p >= base_ && p - base_ < span_; }
  // Extends the span upwards (memory hotplug above the zone); never shrinks.
  void grow_to(Pfn end);

  // Boot: frames become managed and free (memblock_free_all -> __free_pages_core), coalescing; each
  // chunk goes to the tail of its list (FPI_TO_TAIL) unless policy.boot_free_to_tail is off.
  // Both return Errno::einval and change nothing when r overlaps frames already managed.
  Errno add_free_range(PfnExtent r);
  // Hotplug: frames become managed but allocated order-0 unmovable (PageReserved / PageOffline).
  Errno add_reserved_range(PfnExtent r);

  // __rmqueue(): own migratetype first, then fallbacks[] stealing (pageblock.h). No watermark check.
  std::optional<Pfn> alloc(unsigned order, Migratetype mt, bool movable_page);
  // Up to `n` order-0 pages, not movable, each passed to `out`: the pages and the free lists left
  // behind are exactly those of alloc(0, mt, false) called until it fails or n pages came, but only
  // while `mt`'s own lists have a block; it stops (returns how many it gave) where alloc() would
  // have to fall back to another type, and the caller goes on with alloc(). rmqueue_bulk()'s refill
  // of a pcp list: one list operation per split instead of two per page (docs/metrics.md).
  template <class Out>
  std::uint64_t alloc_bulk_order0(Migratetype mt, std::uint64_t n, Out&& out);
  // Errno::einval for a frame that is not the head of an allocated block of exactly that order:
  // a double free, a hole, a wrong order. Nothing changes then.
  Errno free(Pfn p, unsigned order);
  // __free_one_page() for a block the caller knows is an allocated block of that order (a page leaving
  // a pcp list, checked when it went on): free() without the checks.
  void free_checked(Pfn p, unsigned order);

  bool is_managed(Pfn p) const;
  bool is_managed(PfnExtent r) const;                 // every frame of r
  bool overlaps_managed(PfnExtent r) const;           // any frame of r
  std::optional<BlockInfo> block_at(Pfn head) const;  // nullopt unless a managed block starts there
  // An allocated block of exactly `order` starts at p (what free() accepts); faster than block_at().
  bool is_allocated_block(Pfn p, unsigned order) const;
  Migratetype pageblock_migratetype(Pfn p) const { return pb_.get((p - base_) >> geo_.pageblock_order); }
  // Free and movable pages of the pageblock holding p (steal_suitable_fallback()'s counts).
  PageblockUsage pageblock_usage_at(Pfn p) const { return pageblock_usage(idx(p) >> geo_.pageblock_order); }
  // Highest-address free block with order in [min_order, max_order] on `mt` free lists (free scanner).
  std::optional<FreeBlock> highest_free_block(unsigned min_order, unsigned max_order, Migratetype mt) const;
  // Allocates the lowest 2^order frames of a free block (the rest goes back split), as the
  // compaction free scanner isolates a free page.
  Pfn alloc_from_free_block(FreeBlock b, unsigned order, bool movable_page);
  // Marks an allocated block as movable (compaction may migrate it) or not; pcp lists hold theirs
  // as not movable.
  void set_movable(Pfn head, bool movable) { movable_.assign(idx(head), movable); }

  // shuffle_zone() (mm/shuffle.c@v6.1): Fisher-Yates over the order-max_order free blocks, each
  // swapped with a random one of the same migratetype (10 tries to find one). No-op unless
  // policy.shuffle. The kernel runs it after boot and after onlining memory.
  void shuffle_free_lists();
  // The free list of (order, mt), head first. O(length); tests and reports.
  std::vector<Pfn> free_list(unsigned order, Migratetype mt) const;

  std::uint64_t nr_free(unsigned order) const { return nr_free_[order]; }
  const std::vector<std::uint64_t>& nr_free_per_order() const { return nr_free_; }
  std::uint64_t nr_free_of_type(unsigned order, Migratetype mt) const;
  std::uint64_t free_pages() const { return free_pages_; }
  std::uint64_t present_pages() const { return present_pages_; }
  const std::vector<PfnExtent>& present_ranges() const { return present_; }
  // zone_managed_pages(): present minus reserved, adjusted by adjust_managed_page_count().
  std::uint64_t managed_pages() const { return managed_; }
  void adjust_managed(std::int64_t delta) {
    managed_ = static_cast<std::uint64_t>(static_cast<std::int64_t>(managed_) + delta);
  }
  std::uint64_t state_bytes() const;  // memory held by the model's per-frame state
  std::uint64_t free_list_bytes() const { return lists_.bytes(); }  // the lists' links (per free block)

  Watermarks watermarks;
  std::array<std::uint64_t, kZoneTypes> lowmem_reserve{};  // zone->lowmem_reserve[highest_zoneidx]

  // Walks every block (O(span)): empty when consistent, else the first violation. Tests only.
  std::string check_invariants() const;

 private:
  std::uint64_t idx(Pfn p) const { return p - base_; }
  unsigned pbo() const { return geo_.pageblock_order; }
  unsigned order_of(std::uint64_t i) const;
  bool has_order(std::uint64_t i, unsigned o) const;  // order_of(i) == o, scanning only the block
  SummaryBitmap& summary(unsigned o, Migratetype mt) { return summary_[o * kMigratetypes + static_cast<unsigned>(mt)]; }
  const SummaryBitmap& summary(unsigned o, Migratetype mt) const {
    return summary_[o * kMigratetypes + static_cast<unsigned>(mt)];
  }
  std::uint16_t& count(std::uint64_t pb, unsigned o) { return counts_[pb * pbo() + o]; }
  std::uint16_t count(std::uint64_t pb, unsigned o) const { return counts_[pb * pbo() + o]; }
  unsigned list_id(unsigned o, Migratetype mt) const { return o * kMigratetypes + static_cast<unsigned>(mt); }
  void add_free(std::uint64_t i, unsigned o, bool to_tail = false);
  void del_free(std::uint64_t i, unsigned o);
  void free_coalesce(std::uint64_t i, unsigned o, bool fpi_to_tail);
  bool buddy_merge_likely(std::uint64_t i, unsigned o) const;
  bool is_free_block(std::uint64_t i, unsigned o) const;
  std::uint64_t random_u64();
  void set_block_migratetype(std::uint64_t i, unsigned o, Migratetype mt);
  void claim_pageblock(std::uint64_t pb, Migratetype mt);
  bool pageblock_inside_zone(std::uint64_t pb) const;
  PageblockUsage pageblock_usage(std::uint64_t pb) const;
  std::optional<std::uint64_t> find_in_pageblock(std::uint64_t pb, unsigned o, bool highest) const;
  std::uint64_t take(std::uint64_t i, unsigned have, unsigned want, bool movable_page);
  struct PageRun {
    std::uint64_t first = 0, count = 0;  // frame indexes [first, first + count); count 0: none
  };
  PageRun take_run(Migratetype mt, std::uint64_t n);  // alloc_bulk_order0's step
  void add_present(PfnExtent r);
  void mark_hole_after(std::uint64_t end_idx);

  ZoneType type_;
  BuddyGeometry geo_;
  FreeListPolicy policy_;
  std::uint64_t rng_state_ = 0;  // splitmix64 stream for shuffle decisions
  std::uint64_t tail_bits_ = 0;  // shuffle_pick_tail()'s cached random word and how many bits are left
  unsigned tail_bits_left_ = 0;
  Pfn base_;
  std::uint64_t span_ = 0;
  FrameBitmap head_;     // frame starts a block (free or allocated) or a hole
  FrameBitmap free_;     // at a block head: the block is free
  FrameBitmap movable_;  // at an allocated block head: allocated with __GFP_MOVABLE
  PageblockTable pb_;
  FreeLists lists_;                     // per (order, migratetype), head = next allocated
  std::vector<std::uint16_t> counts_;   // free blocks per (pageblock, order < pageblock_order)
  std::vector<SummaryBitmap> summary_;  // per (order, migratetype): pageblocks holding such a free block
  std::vector<std::uint64_t> nr_free_;
  std::vector<std::uint64_t> nr_free_mt_;  // per (order, migratetype)
  std::uint64_t free_pages_ = 0;
  std::vector<PfnExtent> present_;  // sorted, merged
  std::uint64_t present_pages_ = 0;
  std::uint64_t managed_ = 0;
};

template <class Out>
std::uint64_t Zone::alloc_bulk_order0(Migratetype mt, std::uint64_t n, Out&& out) {
  std::uint64_t given = 0;
  while (given < n) {
    const PageRun run = take_run(mt, n - given);
    if (run.count == 0) break;
    for (std::uint64_t k = 0; k < run.count; ++k) out(base_ + (run.first + k));
    given += run.count;
  }
  return given;
}

}  // namespace gm
