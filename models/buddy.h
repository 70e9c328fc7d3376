// The guest kernel's page allocator (mm/page_alloc.c): zones per layout, buddy free areas per order
// and migratetype, min/low/high watermarks with lowmem_reserve, and the kernel's reserve figures.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "models/arch.h"
#include "models/kerrno.h"
#include "models/page_allocator.h"
#include "models/per_cpu_pages.h"
#include "models/reclaim.h"
#include "models/zone.h"

namespace gm {

// Where zones start and end. x86_64: ZONE_DMA below 16 MiB (MAX_DMA_PFN), ZONE_DMA32 below 4 GiB
// (MAX_DMA32_PFN), ZONE_NORMAL above (arch/x86/include/asm/dma.h@v6.12). A boundary left empty removes
// that zone; movable_start (kernelcore=/movablecore=) puts every frame at or above it in ZONE_MOVABLE.
struct ZoneLayout {
  std::optional<Pfn> dma_end = Pfn{(std::uint64_t{16} << 20) >> kPageShift};
  std::optional<Pfn> dma32_end = Pfn{(std::uint64_t{4} << 30) >> kPageShift};
  std::optional<Pfn> movable_start;
  ZoneType zone_for(Pfn p) const;
  Pfn zone_end(ZoneType z) const;  // exclusive upper bound of that zone's addresses
};

// /proc/pagetypeinfo's "Number of blocks type" for one zone, and how many pageblocks hold a page
// compaction cannot move (which keeps that pageblock from ever becoming a free 2 MiB block). Only
// pageblocks whose every frame is managed count; pages on pcp lists count as free.
struct PageblockCensus {
  std::array<std::uint64_t, kMigratetypes> by_type{};
  std::uint64_t total = 0;
  std::uint64_t pinned = 0;  // at least one allocated page that is not movable (slab, ballooned, vmemmap, ...)
  std::uint64_t mixed = 0;   // pinned while of type Movable: an unmovable page fell back into it
};

struct BuddyConfig {
  BuddyGeometry geometry;
  ZoneLayout layout;
  FreeListPolicy free_lists;  // shuffle (CONFIG_SHUFFLE_PAGE_ALLOCATOR + page_alloc.shuffle), boot to tail
  // Per-CPU page lists (per_cpu_pages.h). Empty: none, every allocation and free goes straight to the
  // buddy lists (the model before issue 15; unit tests of the buddy lists use that).
  std::optional<PcpConfig> pcp;
  unsigned watermark_scale_factor = 10;          // vm.watermark_scale_factor
  std::optional<std::uint64_t> min_free_kbytes;  // vm.min_free_kbytes; default computed as the kernel does
  // THP enabled (always or madvise): khugepaged raises min_free_kbytes to its recommendation
  // (set_recommended_min_free_kbytes(), mm/khugepaged.c@v6.1) unless vm.min_free_kbytes was set.
  bool thp_enabled = false;
  std::array<std::uint32_t, kZoneTypes> lowmem_reserve_ratio = {256, 256, 32, 0};  // vm.lowmem_reserve_ratio
};

// Zones and geometry per architecture with 4 KiB pages (other page sizes: set geometry by hand):
//  x86_64  DMA < 16 MiB, DMA32 < 4 GiB, Normal; orders 0..10, pageblock order 9 (arch/x86, [V]).
//  i386    DMA < 16 MiB, Normal above (HIGHMEM is not modelled: treated as Normal).
//  arm64   DMA < 4 GiB when firmware sets no lower DMA limit, no separate DMA32 (zone_dma_limit, [M]).
//  riscv64 DMA32 < 4 GiB, Normal.
//  arm     Normal only (HIGHMEM not modelled); pageblock order 10 = MAX_PAGE_ORDER without hugetlb.
BuddyConfig buddy_config_for(Arch arch);

// __zone_watermark_ok(): after taking 2^order pages the zone keeps more than mark +
// lowmem_reserve[highest]; for order > 0 a free block of at least that order must exist.
// `extra_free` counts pages as if free (should_reclaim_retry() adds the zone's reclaimable pages).
bool zone_watermark_ok(const Zone& z, unsigned order, std::uint64_t mark, ZoneType highest,
                       std::uint64_t extra_free = 0);

// Contract: PageAllocator (page_allocator.h). Allocation walks the zonelist from the highest zone the
// gfp allows (MOVABLE for __GFP_MOVABLE|__GFP_HIGHMEM, else NORMAL) down to DMA and takes the first
// zone that passes the LOW watermark (the fast path); failing that, the slow path
// (__alloc_pages_slowpath, mm/page_alloc.c@v6.1) wakes kswapd (__GFP_KSWAPD_RECLAIM), retries at MIN,
// and with __GFP_DIRECT_RECLAIM reclaims and compacts through the ReclaimHooks (reclaim.h) as the GFP
// flags allow. Without hooks, reclaim frees nothing and compaction is not tried; the pcp drain still is.
// Allocations of movable pages may later be migrated by compaction (compaction.h), which reports
// every move; other allocations never move.
class BuddyAllocator : public PageAllocator {
 public:
  explicit BuddyAllocator(std::span<const PfnExtent> usable_ram, BuddyConfig cfg = {});

  std::optional<Pfn> alloc_pages(unsigned order, Gfp gfp) override;
  // An invalid free (double free, hole, wrong order) changes nothing and is counted, like the
  // kernel's bad_page() report; try_free_pages() returns the error instead.
  void free_pages(Pfn first, unsigned order) override;
  Errno try_free_pages(Pfn first, unsigned order);
  // A range that overlaps managed frames, or lies below the start of its zone, is refused whole and
  // counted in rejected_ranges(); try_add_reserved_range() returns Errno::einval instead.
  void add_reserved_range(PfnExtent range) override;
  Errno try_add_reserved_range(PfnExtent range);
  void free_reserved_page(Pfn pfn) override;
  std::uint64_t si_mem_available() const override;
  std::uint64_t totalreserve_pages() const override { return totalreserve_pages_; }
  std::uint64_t free_pages_count() const override;
  std::uint64_t managed_pages() const override;

  // adjust_managed_page_count() (mm/page_alloc.c@v6.1): zone managed_pages and totalram_pages move
  // together. Callers: the balloon's decrease path (-1 per page), free_reserved_page() (+1).
  void adjust_managed_page_count(Pfn pfn, std::int64_t delta) override;
  // totalram_pages(): the kernel's own counter (_totalram_pages), moved by the same paths as the zones'
  // managed_pages (memblock_free_all at boot, adjust_managed_page_count, generic_online_page).
  std::uint64_t totalram_pages() const { return totalram_pages_; }
  // Empty when totalram_pages equals the sum of the zones' managed_pages and every zone has
  // free <= managed <= present; else what is wrong. O(zones).
  std::string check_accounting() const;
  // File pages and reclaimable slab that si_mem_available() counts as available (the model has no
  // page cache of its own; workloads declare it).
  void set_reclaimable_estimate(std::uint64_t pagecache_pages, std::uint64_t reclaimable_slab_pages);

  // init_per_zone_wmark_min() + setup_per_zone_lowmem_reserve() + calculate_totalreserve_pages();
  // run at construction and after add_reserved_range (online_pages does the same).
  void setup_watermarks();
  std::uint64_t min_free_kbytes() const { return min_free_kbytes_; }

  // The slow path's reclaim and compaction (nullptr: none). Not owned.
  void set_reclaim_hooks(ReclaimHooks* hooks) { hooks_ = hooks; }
  const SlowPathStats& slow_path_stats() const { return slow_; }

  unsigned max_order() const { return cfg_.geometry.max_order; }
  const BuddyConfig& config() const { return cfg_; }
  Zone* zone(ZoneType z) { return zones_[static_cast<unsigned>(z)].get(); }
  const Zone* zone(ZoneType z) const { return zones_[static_cast<unsigned>(z)].get(); }
  Zone* zone_of(Pfn p);
  std::vector<Zone*> zones();              // existing zones, lowest first
  std::vector<const Zone*> zones() const;  // existing zones, lowest first
  // Per-CPU lists. The CPU of the caller comes from `source` (sim/ maps the running actor to its vCPU);
  // without one every call is on CPU 0.
  void set_cpu_source(std::function<unsigned()> source) { cpu_source_ = std::move(source); }
  const PerCpuPages* pcp(ZoneType z) const { return pcp_[static_cast<unsigned>(z)].get(); }
  std::uint64_t pcp_pages() const;  // free pages held on every CPU's lists
  // drain_all_pages(NULL) / drain_local_pages(NULL): every pcp page goes back to the buddy lists.
  // The kernel calls it in the allocation slow path after direct reclaim, before compaction of a
  // zone (lru_add_drain_cpu_zone), and when memory goes offline.
  void drain_all_pages();
  void drain_local_pages(unsigned cpu);
  unsigned current_cpu() const;  // the caller's CPU (0 without a source)

  // O(zone span): reports only, not the hot path.
  PageblockCensus pageblock_census(ZoneType z) const;

  std::uint64_t bad_frees() const { return bad_frees_; }
  // free_reserved_page() calls refused (a frame of no zone, e.g. hot-added below a zone's start, which
  // the model cannot extend downwards: see rejected_ranges()). The kernel would have managed them.
  std::uint64_t refused_reserved_frees() const { return refused_reserved_frees_; }
  std::uint64_t rejected_ranges() const { return rejected_ranges_; }
  std::uint64_t state_bytes() const;      // per-frame state of every zone (bitmaps, counts, summaries)
  std::uint64_t free_list_bytes() const;  // the free lists' links: proportional to the free blocks

 private:
  template <class F>
  void for_each_zone_part(PfnExtent r, F&& f) const;
  FreeListPolicy zone_policy(ZoneType z) const;
  std::optional<Pfn> rmqueue(unsigned zi, unsigned order, Gfp gfp);
  enum class Wmark { min, low };
  std::optional<Pfn> get_page_from_freelist(unsigned order, Gfp gfp, Wmark mark);
  std::optional<Pfn> alloc_pages_slowpath(unsigned order, Gfp gfp);
  bool should_reclaim_retry(unsigned order, ZoneType highest, std::uint64_t progress, unsigned& no_progress) const;
  Errno free_unref_page(unsigned zi, Pfn first, unsigned order);
  void free_pcppages_bulk(unsigned zi, unsigned cpu, std::int64_t count, unsigned pindex);

  BuddyConfig cfg_;
  std::array<std::unique_ptr<Zone>, kZoneTypes> zones_;
  std::array<std::unique_ptr<PerCpuPages>, kZoneTypes> pcp_;
  std::function<unsigned()> cpu_source_;
  ReclaimHooks* hooks_ = nullptr;
  SlowPathStats slow_;
  std::uint64_t min_free_kbytes_ = 0;
  std::uint64_t totalreserve_pages_ = 0;
  std::uint64_t totalram_pages_ = 0;
  std::uint64_t pagecache_pages_ = 0;
  std::uint64_t reclaimable_slab_pages_ = 0;
  std::uint64_t bad_frees_ = 0;
  std::uint64_t refused_reserved_frees_ = 0;
  std::uint64_t rejected_ranges_ = 0;
};

}  // namespace gm
