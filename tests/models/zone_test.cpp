// The zone's free lists as mm/page_alloc.c keeps them: allocation from the head (LIFO), frees to the
// head or the tail (buddy_merge_likely, FPI_TO_TAIL at boot), shuffle at the top order.
#include "models/zone.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

namespace gm {
namespace {

std::vector<Pfn> P(std::initializer_list<std::uint64_t> v) {
  std::vector<Pfn> out;
  for (auto x : v) out.push_back(Pfn{x});
  return out;
}

Zone zone_with(std::uint64_t frames, FreeListPolicy policy = {}) {
  Zone z(ZoneType::normal, Pfn{0}, Pfn{frames}, BuddyGeometry{}, policy);
  EXPECT_EQ(z.add_free_range({Pfn{0}, frames}), Errno::ok);
  return z;
}

TEST(Zone, BootFreesGoToTheTailSoTheListIsAscending) {
  Zone z = zone_with(4096);
  EXPECT_EQ(z.free_list(10, Migratetype::movable), P({0, 1024, 2048, 3072}));
  // Before 5.10 __free_pages_core() freed to the head: the last chunk freed is handed out first.
  Zone old = zone_with(4096, FreeListPolicy{.boot_free_to_tail = false});
  EXPECT_EQ(old.free_list(10, Migratetype::movable), P({3072, 2048, 1024, 0}));
  EXPECT_EQ(*old.alloc(10, Migratetype::movable, true), Pfn{3072});
}

TEST(Zone, AFreedPageIsTheNextOneAllocated) {
  Zone z = zone_with(4096);
  for (std::uint64_t i = 0; i < 4; ++i) ASSERT_EQ(*z.alloc(0, Migratetype::movable, true), Pfn{i});
  ASSERT_EQ(z.free(Pfn{1}, 0), Errno::ok);
  ASSERT_EQ(z.free(Pfn{3}, 0), Errno::ok);
  EXPECT_EQ(z.free_list(0, Migratetype::movable), P({3, 1}));
  EXPECT_EQ(*z.alloc(0, Migratetype::movable, true), Pfn{3});  // LIFO, not the lowest free frame
  EXPECT_EQ(*z.alloc(0, Migratetype::movable, true), Pfn{1});
  EXPECT_EQ(z.check_invariants(), "");
}

TEST(Zone, BuddyMergeLikelyPutsThePageAtTheTail) {
  Zone z = zone_with(4096);
  for (std::uint64_t i = 0; i < 8; ++i) ASSERT_EQ(*z.alloc(0, Migratetype::movable, true), Pfn{i});
  for (std::uint64_t p : {5, 7, 2, 3}) ASSERT_EQ(z.free(Pfn{p}, 0), Errno::ok);
  EXPECT_EQ(z.free_list(0, Migratetype::movable), P({7, 5}));
  EXPECT_EQ(z.free_list(1, Migratetype::movable), P({2}));  // 2+3 merged
  // Frame 0's buddy (1) is busy, but the buddy of the order-1 block 0-1 (2-3) is free: once 1 is freed
  // this merges twice, so 0 goes to the tail and is handed out last.
  ASSERT_EQ(z.free(Pfn{0}, 0), Errno::ok);
  EXPECT_EQ(z.free_list(0, Migratetype::movable), P({7, 5, 0}));
  EXPECT_EQ(*z.alloc(0, Migratetype::movable, true), Pfn{7});
  EXPECT_EQ(z.check_invariants(), "");
}

TEST(Zone, TopOrdersNeverGoToTheTailWithoutShuffle) {
  Zone z = zone_with(4096);
  ASSERT_EQ(*z.alloc(10, Migratetype::movable, true), Pfn{0});
  ASSERT_EQ(*z.alloc(10, Migratetype::movable, true), Pfn{1024});
  ASSERT_EQ(z.free(Pfn{1024}, 10), Errno::ok);
  ASSERT_EQ(z.free(Pfn{0}, 10), Errno::ok);
  EXPECT_EQ(z.free_list(10, Migratetype::movable), P({0, 1024, 2048, 3072}));
}

TEST(Zone, ShufflePermutesTheTopOrderListDeterministically) {
  FreeListPolicy pol{.shuffle = true, .shuffle_seed = 42};
  Zone a = zone_with(1 << 16, pol), b = zone_with(1 << 16, pol);
  a.shuffle_free_lists();
  b.shuffle_free_lists();
  std::vector<Pfn> la = a.free_list(10, Migratetype::movable);
  ASSERT_EQ(la.size(), 64u);
  EXPECT_EQ(la, b.free_list(10, Migratetype::movable));
  std::vector<Pfn> sorted = la;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_NE(la, sorted);
  for (std::uint64_t i = 0; i < 64; ++i) EXPECT_EQ(sorted[i], Pfn{i * 1024});
  EXPECT_EQ(a.check_invariants(), "");
  Zone off = zone_with(1 << 16);
  off.shuffle_free_lists();
  EXPECT_EQ(off.free_list(10, Migratetype::movable), sorted);
}

// steal_suitable_fallback() (v6.12): an UNMOVABLE request falling back into a MOVABLE pageblock
// counts the block's allocated non-movable pages as alike; free + alike >= half claims the block,
// and the allocation then takes the smallest free block of the claimed pageblock.
TEST(Zone, UnmovableFallbackCountsPinnedPagesAsAlikeAndClaims) {
  Zone z(ZoneType::normal, Pfn{0}, Pfn{512}, BuddyGeometry{});
  ASSERT_EQ(z.add_reserved_range({Pfn{0}, 300}), Errno::ok);  // allocated, not movable (like ballooned pages)
  ASSERT_EQ(z.add_free_range({Pfn{300}, 212}), Errno::ok);   // 300-303, 304-319, 320-383, 384-511
  EXPECT_EQ(z.pageblock_usage_at(Pfn{0}).free_pages, 212u);
  EXPECT_EQ(z.pageblock_usage_at(Pfn{0}).movable_pages, 0u);
  // Only 212 of 512 free, but 212 + 300 alike >= 256: the pageblock becomes UNMOVABLE.
  EXPECT_EQ(*z.alloc(0, Migratetype::unmovable, false), Pfn{300});
  EXPECT_EQ(z.pageblock_migratetype(Pfn{0}), Migratetype::unmovable);
  EXPECT_EQ(z.check_invariants(), "");
}

TEST(Zone, MovablePagesAreNotAlikeForAnUnmovableRequest) {
  Zone z = zone_with(512);
  for (std::uint64_t i = 0; i < 300; ++i) ASSERT_EQ(*z.alloc(0, Migratetype::movable, true), Pfn{i});
  EXPECT_EQ(z.pageblock_usage_at(Pfn{0}).movable_pages, 300u);
  // 212 free + 0 alike < 256: no claim; the largest fallback block (order 7 at 384) is split and
  // the pageblock stays MOVABLE, now polluted by one unmovable page.
  EXPECT_EQ(*z.alloc(0, Migratetype::unmovable, false), Pfn{384});
  EXPECT_EQ(z.pageblock_migratetype(Pfn{0}), Migratetype::movable);
  // A second unmovable page: again the largest fallback order, whose list head is the remainder
  // expand() just put there (448), not the older order-6 block at 320.
  EXPECT_EQ(*z.alloc(0, Migratetype::unmovable, false), Pfn{448});
  EXPECT_EQ(z.check_invariants(), "");
}

TEST(Zone, APageblockCutByTheZoneEndIsNeverClaimed) {
  Zone z(ZoneType::normal, Pfn{0}, Pfn{600}, BuddyGeometry{});
  ASSERT_EQ(z.add_reserved_range({Pfn{0}, 512}), Errno::ok);
  ASSERT_EQ(z.add_free_range({Pfn{512}, 88}), Errno::ok);  // 512-575, 576-591, 592-599
  EXPECT_EQ(*z.alloc(0, Migratetype::unmovable, false), Pfn{512});
  EXPECT_EQ(z.pageblock_migratetype(Pfn{512}), Migratetype::movable);
  EXPECT_EQ(z.check_invariants(), "");
}

// alloc_bulk_order0() and then alloc() for the rest (what rmqueue's refill does) against alloc() alone,
// from the same random histories of allocations, frees and fallbacks: the same pages in the same
// order, the same free lists (content and order), counts and per-block state.
TEST(Zone, BulkOrder0RefillEqualsOneAllocationAtATime) {
  std::mt19937_64 rng(5);
  for (int round = 0; round < 40; ++round) {
    Zone a = zone_with(1u << 14), b = zone_with(1u << 14);
    std::vector<std::pair<Pfn, unsigned>> held;
    for (int step = 0; step < 3000; ++step) {
      const auto mt = static_cast<Migratetype>(rng() % 3);
      const unsigned r = static_cast<unsigned>(rng() % 10);
      if (r < 3 && !held.empty()) {  // a free anywhere
        const std::size_t k = rng() % held.size();
        ASSERT_EQ(a.free(held[k].first, held[k].second), Errno::ok);
        ASSERT_EQ(b.free(held[k].first, held[k].second), Errno::ok);
        held[k] = held.back();
        held.pop_back();
      } else if (r < 7) {  // a single allocation of some order and type
        const unsigned order = static_cast<unsigned>(rng() % 4);
        auto pa = a.alloc(order, mt, rng() % 2 == 0);
        auto pb = b.alloc(order, mt, false);
        ASSERT_EQ(pa, pb);
        if (pa) held.emplace_back(*pa, order), a.set_movable(*pa, false);
      } else {  // a refill of up to n order-0 pages
        const std::uint64_t n = 1 + rng() % 100;
        std::vector<Pfn> got_a, got_b;
        std::uint64_t k = a.alloc_bulk_order0(mt, n, [&](Pfn p) { got_a.push_back(p); });
        for (; k < n; ++k)
          if (auto p = a.alloc(0, mt, false)) got_a.push_back(*p); else break;
        for (std::uint64_t j = 0; j < n; ++j)
          if (auto p = b.alloc(0, mt, false)) got_b.push_back(*p); else break;
        ASSERT_EQ(got_a, got_b) << "round " << round << " step " << step;
        for (Pfn p : got_a) held.emplace_back(p, 0);
      }
    }
    for (unsigned o = 0; o <= 10; ++o)
      for (unsigned t = 0; t < kMigratetypes; ++t)
        ASSERT_EQ(a.free_list(o, static_cast<Migratetype>(t)), b.free_list(o, static_cast<Migratetype>(t)))
            << "round " << round << " order " << o;
    ASSERT_EQ(a.nr_free_per_order(), b.nr_free_per_order());
    ASSERT_EQ(a.free_pages(), b.free_pages());
    for (auto [p, order] : held) ASSERT_EQ(a.block_at(p)->movable, b.block_at(p)->movable);
    EXPECT_EQ(a.check_invariants(), "");
    EXPECT_EQ(b.check_invariants(), "");
  }
}

}  // namespace
}  // namespace gm
