// The zone's free lists as mm/page_alloc.c keeps them: allocation from the head (LIFO), frees to the
// head or the tail (buddy_merge_likely, FPI_TO_TAIL at boot), shuffle at the top order.
#include "models/zone.h"

#include <gtest/gtest.h>

#include <algorithm>
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

}  // namespace
}  // namespace gm
