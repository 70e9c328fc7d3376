// kswapd's rules (mm/vmscan.c@v6.1): woken when an allocation fails at the low watermark, reclaiming
// page cache until the high watermark holds, then asleep again.
#include "models/kswapd.h"

#include <gtest/gtest.h>

#include <vector>

namespace gm {
namespace {

// One Normal zone of 128 MiB (32768 pages) with vm.min_free_kbytes = 2048: min 512,
// t = max(512 / 4, 32768 * 10 / 10000) = 128, low 640, high 768.
BuddyConfig one_zone() {
  BuddyConfig cfg;
  cfg.layout.dma_end.reset();
  cfg.layout.dma32_end.reset();
  cfg.min_free_kbytes = 2048;
  return cfg;
}

// Hooks that only record kswapd wakeups (what the slow path asks for).
struct WakeRecorder : ReclaimHooks {
  std::vector<std::uint64_t> free_at_wake;
  const BuddyAllocator* a = nullptr;
  void wake_kswapd(unsigned, ZoneType) override { free_at_wake.push_back(a->free_pages_count()); }
  std::uint64_t direct_reclaim(std::uint64_t, unsigned, ZoneType) override { return 0; }
  bool direct_compact(unsigned, ZoneType) override { return false; }
  std::uint64_t reclaimable_pages() const override { return 0; }
};

TEST(Kswapd, WokenExactlyWhenAnAllocationWouldGoBelowTheLowWatermark) {
  const std::vector<PfnExtent> ram{{Pfn{0}, 32768}};
  BuddyAllocator a(ram, one_zone());
  const Zone& z = *a.zone(ZoneType::normal);
  ASSERT_EQ(z.watermarks.low, 640u);
  ASSERT_EQ(z.watermarks.high, 768u);
  WakeRecorder rec;
  rec.a = &a;
  a.set_reclaim_hooks(&rec);
  // Fast path: an order-0 request passes while free > low; the first request made with free == low
  // enters the slow path and wakes kswapd, then succeeds at MIN.
  while (a.free_pages_count() > z.watermarks.low) ASSERT_TRUE(a.alloc_pages(0, kGfpKernel));
  EXPECT_TRUE(rec.free_at_wake.empty());
  ASSERT_TRUE(a.alloc_pages(0, kGfpKernel));
  ASSERT_EQ(rec.free_at_wake.size(), 1u);
  EXPECT_EQ(rec.free_at_wake[0], z.watermarks.low);
  EXPECT_EQ(a.slow_path_stats().kswapd_wakeups, 1u);
  // GFP_TRANSHUGE_LIGHT has no __GFP_KSWAPD_RECLAIM: its failures wake nobody.
  a.alloc_pages(0, kGfpTranshugeLight);
  EXPECT_EQ(rec.free_at_wake.size(), 1u);
}

TEST(Kswapd, ReclaimsPageCacheFromLowToHighThenSleeps) {
  const std::vector<PfnExtent> ram{{Pfn{0}, 32768}};
  BuddyAllocator a(ram, one_zone());
  const Zone& z = *a.zone(ZoneType::normal);
  PageCache cache(a);
  Kswapd k;
  // Above high: a wakeup is refused (wakeup_kswapd() leaves a balanced node alone).
  EXPECT_FALSE(k.wake(a, 0, ZoneType::normal));
  // Fill with page cache down to the low watermark.
  while (a.free_pages_count() > z.watermarks.low) cache.add(*a.alloc_pages(0, kGfpPageCache));
  EXPECT_FALSE(pgdat_balanced(a, 0, ZoneType::normal));
  ASSERT_TRUE(k.wake(a, 0, ZoneType::normal));
  EXPECT_TRUE(k.running());
  EXPECT_FALSE(k.wake(a, 0, ZoneType::normal));  // already running: no second start
  const std::uint64_t cached = cache.pages();
  unsigned rounds = 0;
  KswapdRound r;
  while (k.running()) {
    r = k.round(a, cache);
    ++rounds;
    ASSERT_LT(rounds, 100u);
  }
  EXPECT_TRUE(r.balanced);
  EXPECT_TRUE(zone_watermark_ok(z, 0, z.watermarks.high, ZoneType::normal));
  // One round's target is max(SWAP_CLUSTER_MAX, high) = 768 pages: from low (640) that reaches
  // high in one round, and kswapd stops there instead of emptying the cache.
  EXPECT_EQ(rounds, 1u);
  EXPECT_EQ(cached - cache.pages(), z.watermarks.high);
  EXPECT_EQ(a.free_pages_count(), z.watermarks.low + z.watermarks.high);
  EXPECT_GT(cache.pages(), 0u);
  // Balanced again: the next round does nothing.
  EXPECT_EQ(k.round(a, cache).reclaimed, 0u);
}

TEST(Kswapd, HopelessAfterSixteenRoundsWithoutProgress) {
  const std::vector<PfnExtent> ram{{Pfn{0}, 32768}};
  BuddyAllocator a(ram, one_zone());
  PageCache cache(a);  // empty: anonymous memory without swap is not reclaimable
  while (a.alloc_pages(0, kGfpKernel)) {
  }
  Kswapd k;
  ASSERT_TRUE(k.wake(a, 0, ZoneType::normal));
  unsigned rounds = 0;
  KswapdRound r;
  while (k.running()) {
    r = k.round(a, cache);
    ++rounds;
    ASSERT_LT(rounds, 100u);
  }
  EXPECT_EQ(rounds, kMaxReclaimRetries);
  EXPECT_TRUE(r.hopeless);
  EXPECT_FALSE(k.wake(a, 0, ZoneType::normal));  // a hopeless node is left to direct reclaim
  k.reset_failures();
  EXPECT_TRUE(k.wake(a, 0, ZoneType::normal));
}

}  // namespace
}  // namespace gm
