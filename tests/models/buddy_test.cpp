// Buddy allocator invariants: counts per order, splitting, coalescing, double free, migratetype
// fallback, zones, watermarks and the hotplug/balloon entry points.
#include "models/buddy.h"
#include "models/page_cache.h"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <vector>

namespace gm {
namespace {

// One Normal zone, no watermarks: the allocator alone.
BuddyConfig flat_config() {
  BuddyConfig cfg;
  cfg.layout.dma_end.reset();
  cfg.layout.dma32_end.reset();
  cfg.min_free_kbytes = 0;
  return cfg;
}

std::vector<std::uint64_t> counts(const BuddyAllocator& a) { return a.zone(ZoneType::normal)->nr_free_per_order(); }

TEST(Buddy, BootFreesLargestAlignedBlocks) {
  std::vector<PfnExtent> ram = {{Pfn{0}, 4096}};
  BuddyAllocator a(ram, flat_config());
  EXPECT_EQ(counts(a), (std::vector<std::uint64_t>{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4}));
  EXPECT_EQ(a.free_pages_count(), 4096u);
  EXPECT_EQ(a.managed_pages(), 4096u);
  EXPECT_EQ(a.zone(ZoneType::normal)->check_invariants(), "");
}

TEST(Buddy, UnalignedRangeDecomposition) {
  // [1, 1001): 1 | 2-3 | 4-7 | ... | 256-511 | 512-767 | 768-895 | 896-959 | 960-991 | 992-999 | 1000.
  std::vector<PfnExtent> ram = {{Pfn{1}, 1000}};
  BuddyAllocator a(ram, flat_config());
  EXPECT_EQ(counts(a), (std::vector<std::uint64_t>{2, 1, 1, 2, 1, 2, 2, 2, 2, 0, 0}));
  EXPECT_EQ(a.free_pages_count(), 1000u);
  EXPECT_EQ(a.zone(ZoneType::normal)->check_invariants(), "");
}

TEST(Buddy, SplitTakesLowestAndCoalescesBack) {
  std::vector<PfnExtent> ram = {{Pfn{0}, 4096}};
  BuddyAllocator a(ram, flat_config());
  auto p = a.alloc_pages(0, kGfpHighuserMovable);
  ASSERT_TRUE(p);
  EXPECT_EQ(*p, Pfn{0});
  // Splitting one order-10 block leaves one free block of each order 0..9.
  EXPECT_EQ(counts(a), (std::vector<std::uint64_t>{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 3}));
  EXPECT_EQ(*a.alloc_pages(0, kGfpHighuserMovable), Pfn{1});
  EXPECT_EQ(*a.alloc_pages(1, kGfpHighuserMovable), Pfn{2});
  EXPECT_EQ(*a.alloc_pages(0, kGfpHighuserMovable), Pfn{4});
  EXPECT_EQ(a.free_pages_count(), 4096u - 5);
  a.free_pages(Pfn{1}, 0);
  a.free_pages(Pfn{4}, 0);
  a.free_pages(Pfn{2}, 1);
  // 4 merged with 5, then with 6-7 into an order-2 block; 1 waits for 0, and 2-3 for 0-1.
  EXPECT_EQ(counts(a)[0], 1u);
  EXPECT_EQ(counts(a)[1], 1u);
  auto b4 = a.zone(ZoneType::normal)->block_at(Pfn{4});
  ASSERT_TRUE(b4);
  EXPECT_TRUE(b4->free);
  EXPECT_EQ(b4->order, 2u);
  a.free_pages(Pfn{0}, 0);
  EXPECT_EQ(counts(a), (std::vector<std::uint64_t>{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4}));
  EXPECT_EQ(a.bad_frees(), 0u);
  EXPECT_EQ(a.zone(ZoneType::normal)->check_invariants(), "");
}

TEST(Buddy, DoubleFreeAndBadFreesAreRejected) {
  std::vector<PfnExtent> ram = {{Pfn{0}, 1024}, {Pfn{2048}, 1024}};
  BuddyAllocator a(ram, flat_config());
  auto p = a.alloc_pages(2, kGfpKernel);
  ASSERT_TRUE(p);
  auto q = a.alloc_pages(0, kGfpKernel);
  ASSERT_TRUE(q);
  EXPECT_EQ(a.try_free_pages(*p, 1), Errno::einval);            // wrong order
  EXPECT_EQ(a.try_free_pages(*p + 1, 0), Errno::einval);        // not a block head
  EXPECT_EQ(a.try_free_pages(Pfn{1500}, 0), Errno::einval);     // a hole between the extents
  EXPECT_EQ(a.try_free_pages(Pfn{1 << 20}, 0), Errno::einval);  // outside every zone
  EXPECT_EQ(a.try_free_pages(*p, 2), Errno::ok);
  auto before = counts(a);
  EXPECT_EQ(a.try_free_pages(*p, 2), Errno::einval);  // double free
  a.free_pages(*p, 2);                                // counted, not applied
  EXPECT_EQ(a.bad_frees(), 1u);
  EXPECT_EQ(counts(a), before);
  EXPECT_EQ(a.try_free_pages(*q, 0), Errno::ok);
  EXPECT_EQ(a.try_free_pages(*q, 0), Errno::einval);
  EXPECT_EQ(a.free_pages_count(), 2048u);
  EXPECT_EQ(a.zone(ZoneType::normal)->check_invariants(), "");
}

TEST(Buddy, UnmovableFallbackClaimsPageblocks) {
  std::vector<PfnExtent> ram = {{Pfn{0}, 4096}};
  BuddyAllocator a(ram, flat_config());
  Zone& z = *a.zone(ZoneType::normal);
  // Boot leaves every pageblock MOVABLE, so an unmovable request steals the largest movable block
  // (order 10 at 0) and re-types both of its pageblocks.
  EXPECT_EQ(*a.alloc_pages(0, kGfpKernel), Pfn{0});
  EXPECT_EQ(z.pageblock_migratetype(Pfn{0}), Migratetype::unmovable);
  EXPECT_EQ(z.pageblock_migratetype(Pfn{512}), Migratetype::unmovable);
  EXPECT_EQ(z.pageblock_migratetype(Pfn{1024}), Migratetype::movable);
  EXPECT_EQ(z.nr_free_of_type(9, Migratetype::unmovable), 1u);
  // A movable request does not take the unmovable leftovers while movable blocks exist.
  EXPECT_EQ(*a.alloc_pages(0, kGfpHighuserMovable), Pfn{1024});
  EXPECT_EQ(*a.alloc_pages(0, kGfpKernel), Pfn{1});
  EXPECT_EQ(z.check_invariants(), "");
}

TEST(Buddy, SmallFallbackWithoutClaim) {
  // Only one free frame left in a movable pageblock: an unmovable request takes it without
  // re-typing the pageblock (less than half of it is free).
  std::vector<PfnExtent> ram = {{Pfn{0}, 1024}};
  BuddyAllocator a(ram, flat_config());
  for (int i = 0; i < 1024; ++i) ASSERT_TRUE(a.alloc_pages(0, kGfpHighuserMovable));
  EXPECT_FALSE(a.alloc_pages(0, kGfpHighuserMovable));
  a.free_pages(Pfn{5}, 0);
  EXPECT_EQ(*a.alloc_pages(0, kGfpBalloon), Pfn{5});
  EXPECT_EQ(a.zone(ZoneType::normal)->pageblock_migratetype(Pfn{5}), Migratetype::movable);
  EXPECT_EQ(a.free_pages_count(), 0u);
}

TEST(Buddy, ZonesFollowTheX86Layout) {
  BuddyConfig cfg;
  cfg.min_free_kbytes = 0;
  // 636 KiB of low RAM, then 1 MiB .. 5 GiB.
  std::vector<PfnExtent> ram = {{Pfn{1}, 158}, {Pfn{256}, (std::uint64_t{5} << 18) - 256}};
  BuddyAllocator a(ram, cfg);
  ASSERT_NE(a.zone(ZoneType::dma), nullptr);
  ASSERT_NE(a.zone(ZoneType::dma32), nullptr);
  ASSERT_NE(a.zone(ZoneType::normal), nullptr);
  EXPECT_EQ(a.zone(ZoneType::movable), nullptr);
  EXPECT_EQ(a.zone(ZoneType::dma)->present_pages(), 158u + 4096 - 256);
  EXPECT_EQ(a.zone(ZoneType::dma32)->present_pages(), (std::uint64_t{1} << 20) - 4096);
  EXPECT_EQ(a.zone(ZoneType::normal)->present_pages(), std::uint64_t{1} << 18);
  EXPECT_EQ(a.zone(ZoneType::normal)->span_start(), Pfn{1 << 20});
  // GFP_KERNEL and movable user pages both start in ZONE_NORMAL (no ZONE_MOVABLE here).
  EXPECT_EQ(*a.alloc_pages(0, kGfpKernel), Pfn{1 << 20});
  EXPECT_GE(a.alloc_pages(9, kGfpHighuserMovable)->value, std::uint64_t{1} << 20);
  // lowmem_reserve: DMA32 keeps normal_managed / 256 back from NORMAL allocations.
  EXPECT_EQ(a.zone(ZoneType::dma32)->lowmem_reserve[2], (std::uint64_t{1} << 18) / 256);
  EXPECT_EQ(a.zone(ZoneType::dma)->lowmem_reserve[2], ((std::uint64_t{1} << 20) - 4096 + (1 << 18)) / 256);
  EXPECT_EQ(a.zone(ZoneType::normal)->lowmem_reserve[2], 0u);
}

TEST(Buddy, LayoutPerArch) {
  EXPECT_EQ(buddy_config_for(Arch::x86_64).layout.zone_for(Pfn{4095}), ZoneType::dma);
  EXPECT_EQ(buddy_config_for(Arch::x86_64).layout.zone_for(Pfn{4096}), ZoneType::dma32);
  EXPECT_EQ(buddy_config_for(Arch::x86_64).layout.zone_for(Pfn{1 << 20}), ZoneType::normal);
  EXPECT_EQ(buddy_config_for(Arch::arm64).layout.zone_for(Pfn{(1 << 20) - 1}), ZoneType::dma);
  EXPECT_EQ(buddy_config_for(Arch::riscv64).layout.zone_for(Pfn{0}), ZoneType::dma32);
  EXPECT_EQ(buddy_config_for(Arch::arm).layout.zone_for(Pfn{0}), ZoneType::normal);
  EXPECT_EQ(buddy_config_for(Arch::arm).geometry.pageblock_order, 10u);
}

TEST(Buddy, MovableFallbackTakesTheSmallestBlock) {
  std::vector<PfnExtent> ram = {{Pfn{0}, 2048}};
  BuddyAllocator a(ram, flat_config());
  Zone& z = *a.zone(ZoneType::normal);
  ASSERT_EQ(*a.alloc_pages(0, kGfpKernel), Pfn{0});  // unmovable: steals and claims 0..1023
  // Use up the unmovable blocks of order 4..9 (at 16, 32, ..., 512), leaving orders 0..3 at 1, 2, 4, 8.
  for (unsigned o = 9; o >= 4; --o) ASSERT_EQ(*a.alloc_pages(o, kGfpKernel), Pfn{1u << o});
  for (int i = 0; i < 1024; ++i) ASSERT_GE(a.alloc_pages(0, kGfpHighuserMovable)->value, 1024u);
  // Movable space is full. The largest fallback block is order 3, below pageblock_order / 2, so a
  // movable request may not steal: it takes the smallest block that fits ("find_smallest").
  EXPECT_EQ(*a.alloc_pages(0, kGfpHighuserMovable), Pfn{1});
  EXPECT_EQ(*a.alloc_pages(1, kGfpHighuserMovable), Pfn{2});
  EXPECT_EQ(z.pageblock_migratetype(Pfn{2}), Migratetype::unmovable);
  EXPECT_EQ(z.nr_free_of_type(3, Migratetype::unmovable), 1u);
  EXPECT_EQ(z.check_invariants(), "");
}

TEST(Buddy, NormalExhaustedFallsBackToDma32) {
  BuddyConfig cfg;
  cfg.min_free_kbytes = 0;
  cfg.lowmem_reserve_ratio = {0, 0, 0, 0};
  std::vector<PfnExtent> ram = {{Pfn{(std::uint64_t{1} << 20) - 1024}, 2048}};  // 4 MiB on each side of 4 GiB
  BuddyAllocator a(ram, cfg);
  // The fast path asks for the LOW watermark (1024 * 10 / 10000 = 1 page here): Normal serves until
  // one page is left, then the zonelist moves on to DMA32 before any zone is asked for MIN.
  const Zone& normal = *a.zone(ZoneType::normal);
  ASSERT_EQ(normal.watermarks.low, 1u);
  for (int i = 0; i < 1023; ++i) ASSERT_GE(a.alloc_pages(0, kGfpKernel)->value, std::uint64_t{1} << 20);
  EXPECT_EQ(normal.free_pages(), 1u);
  EXPECT_EQ(*a.alloc_pages(0, kGfpKernel), Pfn{(std::uint64_t{1} << 20) - 1024});
  EXPECT_EQ(a.slow_path_stats().slow_path, 0u);
}

TEST(Buddy, KhugepagedRaisesMinFreeKbytesWhenThpIsEnabled) {
  // 2 GiB on x86_64: DMA and DMA32 populated. Without THP: sqrt(2097152 KiB * 16) = 5792 KiB.
  std::vector<PfnExtent> ram = {{Pfn{0}, 524288}};
  EXPECT_EQ(BuddyAllocator(ram, BuddyConfig{}).min_free_kbytes(), 5792u);
  // With THP: 2 zones * (2 + 3 * 3) pageblocks of 512 pages = 11264 pages = 45056 KiB, below 5 % of
  // lowmem (26214 pages), so it applies.
  BuddyConfig thp;
  thp.thp_enabled = true;
  BuddyAllocator a(ram, thp);
  EXPECT_EQ(a.min_free_kbytes(), 45056u);
  EXPECT_EQ(a.zone(ZoneType::dma)->watermarks.min + a.zone(ZoneType::dma32)->watermarks.min, 11264u);  // 88 + 11176, shared by managed pages
  // 64 MiB in one zone: the 5 % cap (16384 / 20 = 819 pages) wins.
  BuddyConfig small = flat_config();
  small.min_free_kbytes.reset();
  small.thp_enabled = true;
  EXPECT_EQ(BuddyAllocator(std::vector<PfnExtent>{{Pfn{0}, 16384}}, small).min_free_kbytes(), 819u * 4);
  // An explicit vm.min_free_kbytes is left alone.
  thp.min_free_kbytes = 1000;
  EXPECT_EQ(BuddyAllocator(ram, thp).min_free_kbytes(), 1000u);
}

TEST(Buddy, WatermarksAndReserves) {
  // 1 GiB in one zone: min_free_kbytes = sqrt(1048576 * 16) = 4096 -> pages_min = 1024;
  // tmp = max(1024 / 4, 262144 * 10 / 10000 = 262) = 262; low = 1286, high = 1548.
  BuddyConfig cfg = flat_config();
  cfg.min_free_kbytes.reset();
  std::vector<PfnExtent> ram = {{Pfn{0}, 262144}};
  BuddyAllocator a(ram, cfg);
  EXPECT_EQ(a.min_free_kbytes(), 4096u);
  const Zone& z = *a.zone(ZoneType::normal);
  EXPECT_EQ(z.watermarks.min, 1024u);
  EXPECT_EQ(z.watermarks.low, 1286u);
  EXPECT_EQ(z.watermarks.high, 1548u);
  EXPECT_EQ(a.totalreserve_pages(), 1548u);
  EXPECT_EQ(a.si_mem_available(), 262144u - 1548);
  // Page cache above min(half, low watermark) counts as available.
  a.set_reclaimable_estimate(10000, 0);
  EXPECT_EQ(a.si_mem_available(), 262144u - 1548 + 10000 - 1286);
  // Allocation stops at the MIN watermark: it needs more than 1024 free pages before taking one.
  std::uint64_t n = 0;
  while (a.alloc_pages(0, kGfpKernel)) ++n;
  EXPECT_EQ(n, 262144u - 1024);  // the last success leaves exactly 1024 free
}

TEST(Buddy, ReservedRangesAndFreeReservedPage) {
  std::vector<PfnExtent> ram = {{Pfn{0}, 1024}};
  BuddyAllocator a(ram, flat_config());
  a.add_reserved_range({Pfn{1024}, 1024});  // inside the span, was a hole
  a.add_reserved_range({Pfn{4096}, 1024});  // above the span: the zone grows
  Zone& z = *a.zone(ZoneType::normal);
  EXPECT_EQ(z.present_pages(), 3072u);
  EXPECT_EQ(a.managed_pages(), 1024u);  // reserved pages are not managed until freed
  EXPECT_EQ(a.free_pages_count(), 1024u);
  EXPECT_EQ(z.check_invariants(), "");
  for (std::uint64_t p = 1024; p < 2048; ++p) a.free_reserved_page(Pfn{p});
  for (std::uint64_t p = 4096; p < 5120; ++p) a.free_reserved_page(Pfn{p});
  EXPECT_EQ(counts(a)[10], 3u);
  EXPECT_EQ(a.managed_pages(), 3072u);
  // Overlapping managed frames, or below the zone's start: refused whole.
  EXPECT_EQ(a.try_add_reserved_range({Pfn{2000}, 100}), Errno::einval);
  a.add_reserved_range({Pfn{5000}, 10});
  EXPECT_EQ(a.rejected_ranges(), 1u);
  EXPECT_EQ(z.present_pages(), 3072u);
  a.free_reserved_page(Pfn{4096});  // already free
  a.free_reserved_page(Pfn{3000});  // a hole
  EXPECT_EQ(a.bad_frees(), 2u);
  EXPECT_EQ(a.managed_pages(), 3072u);
  // Ballooning out: an order-0 unmovable allocation taken out of the managed count.
  auto b = a.alloc_pages(0, kGfpBalloon);
  ASSERT_TRUE(b);
  a.adjust_managed_page_count(*b, -1);
  EXPECT_EQ(a.managed_pages(), 3071u);
  EXPECT_EQ(z.check_invariants(), "");
}

// Random mixed traffic against a reference map of live allocations: no overlap, every frame
// accounted, invariants intact.
TEST(Buddy, RandomTrafficKeepsInvariants) {
  std::vector<PfnExtent> ram = {{Pfn{3}, 5000}, {Pfn{6000}, 3000}};
  BuddyAllocator a(ram, flat_config());
  std::mt19937_64 rng(42);
  std::map<std::uint64_t, unsigned> live;  // head -> order
  const Gfp kinds[] = {kGfpKernel, kGfpHighuserMovable, Gfp{.reclaimable = true}, kGfpBalloon};
  for (int step = 0; step < 20000; ++step) {
    if (live.empty() || rng() % 100 < 55) {
      unsigned order = rng() % 4 == 0 ? static_cast<unsigned>(rng() % 11) : 0;
      auto p = a.alloc_pages(order, kinds[rng() % 4]);
      if (!p) continue;
      std::uint64_t first = p->value, end = first + (std::uint64_t{1} << order);
      auto next = live.lower_bound(first);
      ASSERT_TRUE(next == live.end() || next->first >= end) << "overlap at " << first;
      if (next != live.begin()) {
        auto prev = std::prev(next);
        ASSERT_LE(prev->first + (std::uint64_t{1} << prev->second), first) << "overlap at " << first;
      }
      ASSERT_EQ(first % (std::uint64_t{1} << order), 0u);
      live[first] = order;
    } else {
      auto it = live.begin();
      std::advance(it, static_cast<long>(rng() % live.size()));
      ASSERT_EQ(a.try_free_pages(Pfn{it->first}, it->second), Errno::ok);
      live.erase(it);
    }
    if (step % 1000 == 0) {
      ASSERT_EQ(a.zone(ZoneType::normal)->check_invariants(), "") << "step " << step;
    }
  }
  std::uint64_t used = 0;
  for (auto& [p, o] : live) used += std::uint64_t{1} << o;
  EXPECT_EQ(a.free_pages_count() + used, 8000u);
  for (auto& [p, o] : live) ASSERT_EQ(a.try_free_pages(Pfn{p}, o), Errno::ok);
  EXPECT_EQ(a.free_pages_count(), 8000u);
  EXPECT_EQ(a.zone(ZoneType::normal)->check_invariants(), "");
}

}  // namespace
}  // namespace gm

namespace gm {
namespace {

// Slow-path hooks over a page cache: direct reclaim frees cache pages; compaction only counts calls.
struct CacheHooks : ReclaimHooks {
  explicit CacheHooks(PageCache& c) : cache(c) {}
  PageCache& cache;
  unsigned wakes = 0, compactions = 0, reclaims = 0;
  void wake_kswapd(unsigned, ZoneType) override { ++wakes; }
  std::uint64_t direct_reclaim(std::uint64_t nr, unsigned, ZoneType) override {
    ++reclaims;
    return cache.shrink(nr);
  }
  bool direct_compact(unsigned, ZoneType) override {
    ++compactions;
    return false;
  }
  std::uint64_t reclaimable_pages() const override { return cache.pages(); }
};

BuddyConfig one_normal_zone() {
  BuddyConfig cfg;
  cfg.layout.dma_end.reset();
  cfg.layout.dma32_end.reset();
  cfg.min_free_kbytes = 2048;
  return cfg;  // with 32768 pages: min 512, low 640, high 768
}

TEST(BuddySlowPath, DirectReclaimPerGfpFlags) {
  const std::vector<PfnExtent> ram{{Pfn{0}, 32768}};
  BuddyAllocator a(ram, one_normal_zone());
  const Zone& z = *a.zone(ZoneType::normal);
  PageCache cache(a);
  CacheHooks hooks(cache);
  a.set_reclaim_hooks(&hooks);
  // Page cache fills the zone down to MIN (kswapd is only recorded here, it never runs).
  while (a.free_pages_count() > z.watermarks.min) cache.add(*a.alloc_pages(0, kGfpPageCache));
  ASSERT_EQ(a.free_pages_count(), z.watermarks.min);
  EXPECT_EQ(a.slow_path_stats().allocstall, 0u);
  // GFP_TRANSHUGE_LIGHT: no kswapd, no direct reclaim or compaction, just a failure.
  hooks.wakes = 0;
  EXPECT_FALSE(a.alloc_pages(9, kGfpTranshugeLight));
  EXPECT_EQ(hooks.reclaims + hooks.compactions + hooks.wakes, 0u);
  // GFP_KERNEL order 0: wakes kswapd, then reclaims SWAP_CLUSTER_MAX pages itself and succeeds.
  const std::uint64_t cached = cache.pages();
  ASSERT_TRUE(a.alloc_pages(0, kGfpKernel));
  EXPECT_EQ(a.slow_path_stats().allocstall, 1u);
  EXPECT_EQ(cached - cache.pages(), kSwapClusterMax);
  EXPECT_GE(hooks.wakes, 1u);
  EXPECT_EQ(hooks.compactions, 0u);  // order 0 never compacts
  // GFP_TRANSHUGE (MADV_HUGEPAGE): costly order with direct reclaim compacts first, then one
  // reclaim + compaction round; the free pages are scattered order-0 holes, so it fails.
  const auto stalls = a.slow_path_stats().compact_stall;
  EXPECT_FALSE(a.alloc_pages(9, kGfpTranshuge));
  EXPECT_EQ(a.slow_path_stats().compact_stall - stalls, 2u);
  EXPECT_EQ(a.slow_path_stats().allocstall, 2u);
}

TEST(BuddySlowPath, NoretryGivesUpAfterOneRoundRetryMayfailKeepsReclaiming) {
  const std::vector<PfnExtent> ram{{Pfn{0}, 32768}};
  BuddyAllocator a(ram, one_normal_zone());
  const Zone& z = *a.zone(ZoneType::normal);
  PageCache cache(a);
  CacheHooks hooks(cache);
  a.set_reclaim_hooks(&hooks);
  // Anon (not reclaimable without swap) and page cache alternate frame by frame down to MIN, so
  // reclaimed cache pages are order-0 holes whose buddies stay allocated.
  for (bool anon = true; a.free_pages_count() > z.watermarks.min; anon = !anon) {
    if (anon)
      ASSERT_TRUE(a.alloc_pages(0, kGfpHighuserMovable));
    else
      cache.add(*a.alloc_pages(0, kGfpPageCache));
  }
  // vmemmap's __GFP_RETRY_MAYFAIL keeps reclaiming while reclaim makes progress, until the watermark
  // passes (order 9 needs free - 511 > min); the free block is the untouched top of the zone.
  const std::uint64_t need = z.watermarks.min + 512 - a.free_pages_count();
  EXPECT_TRUE(a.alloc_pages(9, kGfpVmemmap));
  EXPECT_EQ(hooks.reclaims, (need + kSwapClusterMax - 1) / kSwapClusterMax);
  // A costly GFP_KERNEL request stops after one round (no __GFP_RETRY_MAYFAIL): no order-9 block left.
  hooks.reclaims = 0;
  EXPECT_FALSE(a.alloc_pages(9, kGfpKernel));
  EXPECT_EQ(hooks.reclaims, 1u);
  // GFP_BALLOON (__GFP_NORETRY) at MIN: one reclaim round, which is enough for one page.
  while (a.free_pages_count() > z.watermarks.min) ASSERT_TRUE(a.alloc_pages(0, kGfpHighuserMovable));
  hooks.reclaims = 0;
  EXPECT_TRUE(a.alloc_pages(0, kGfpBalloon));
  EXPECT_EQ(hooks.reclaims, 1u);
  // Without anything reclaimable, GFP_USER gives up after one round (the kernel's OOM killer would
  // run now): should_reclaim_retry() sees that not even a full reclaim reaches MIN.
  while (a.alloc_pages(0, kGfpHighuserMovable)) {
  }
  ASSERT_EQ(cache.pages(), 0u);
  hooks.reclaims = 0;
  const std::uint64_t failures = a.slow_path_stats().failures;
  EXPECT_FALSE(a.alloc_pages(0, kGfpUser));
  EXPECT_EQ(hooks.reclaims, 1u);
  EXPECT_EQ(a.slow_path_stats().failures, failures + 1);
}

}  // namespace
}  // namespace gm
