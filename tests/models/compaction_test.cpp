// Compaction: movable pages migrate out of a candidate block, pinned (ballooned) pages block it,
// and the extfrag_threshold decision.
#include "models/compaction.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>

#include "models/buddy.h"

namespace gm {
namespace {

BuddyConfig flat_config() {
  BuddyConfig cfg;
  cfg.layout.dma_end.reset();
  cfg.layout.dma32_end.reset();
  cfg.min_free_kbytes = 0;
  return cfg;
}

// A zone of `frames` frames entirely allocated as order-0 movable pages (pfn i is the i-th).
struct FullZone {
  explicit FullZone(std::uint64_t frames) : ram{{Pfn{0}, frames}}, alloc(ram, flat_config()) {
    for (std::uint64_t i = 0; i < frames; ++i) EXPECT_EQ(*alloc.alloc_pages(0, kGfpHighuserMovable), Pfn{i});
  }
  Zone& zone() { return *alloc.zone(ZoneType::normal); }
  void free_range(std::uint64_t first, std::uint64_t end, std::uint64_t except = ~0ull) {
    for (std::uint64_t p = first; p < end; ++p)
      if (p != except) alloc.free_pages(Pfn{p}, 0);
  }
  std::vector<PfnExtent> ram;
  BuddyAllocator alloc;
};

TEST(Compaction, MovablePageIsMigratedAway) {
  FullZone f(2048);
  f.free_range(0, 512, 5);   // pageblock 0 free except the movable page at 5
  f.free_range(1536, 1600);  // targets near the top
  EXPECT_EQ(f.zone().nr_free(9), 0u);
  Compactor c;
  CompactionStep s = c.step(f.zone(), 9);
  EXPECT_EQ(s.result, CompactResult::success);
  ASSERT_TRUE(s.block);
  EXPECT_EQ(*s.block, Pfn{0});
  EXPECT_EQ(s.pages_migrated, 1u);
  ASSERT_EQ(s.moves.size(), 1u);
  EXPECT_EQ(s.moves[0].from, Pfn{5});
  EXPECT_EQ(s.moves[0].to, Pfn{1536});  // lowest frame of the highest free block
  EXPECT_EQ(s.free_scanned, 1u);
  EXPECT_EQ(f.zone().nr_free(9), 1u);
  auto moved = f.zone().block_at(Pfn{1536});
  ASSERT_TRUE(moved);
  EXPECT_FALSE(moved->free);
  EXPECT_TRUE(moved->movable);
  EXPECT_EQ(f.zone().check_invariants(), "");
  // The owner frees the page at its new place.
  EXPECT_EQ(f.alloc.try_free_pages(Pfn{1536}, 0), Errno::ok);
  EXPECT_EQ(f.alloc.try_free_pages(Pfn{5}, 0), Errno::einval);
}

TEST(Compaction, BallooonedPageIsPinned) {
  FullZone f(2048);
  f.free_range(5, 6);
  auto pinned = f.alloc.alloc_pages(0, kGfpBalloon);  // the only free frame: 5
  ASSERT_TRUE(pinned);
  ASSERT_EQ(*pinned, Pfn{5});
  f.free_range(0, 512, 5);
  f.free_range(1536, 1600);
  Compactor c;
  CompactionStep s = c.compact_zone(f.zone(), 9);
  EXPECT_EQ(s.result, CompactResult::complete);
  EXPECT_FALSE(s.block);
  EXPECT_EQ(f.zone().nr_free(9), 0u);
  for (const PageMove& m : s.moves) EXPECT_NE(m.from, Pfn{5});
  auto b = f.zone().block_at(Pfn{5});
  ASSERT_TRUE(b);
  EXPECT_FALSE(b->free);
  EXPECT_FALSE(b->movable);
  // Candidate [512, 1024) was tried: its pages moved into the 64 free frames until no target was
  // left above it, work that did not produce a block (as in the kernel).
  EXPECT_EQ(s.pages_migrated, 64u);
  EXPECT_EQ(f.zone().check_invariants(), "");
  // Not enough free memory for order 9: compaction_suitable() says skip.
  EXPECT_EQ(compaction_suitable(f.zone(), 9), CompactResult::skipped);
}

TEST(Compaction, ScatteredFreePagesAreWorthCompacting) {
  FullZone f(8192);
  for (std::uint64_t p = 0; p < 8192; p += 2) f.alloc.free_pages(Pfn{p}, 0);
  EXPECT_EQ(f.zone().nr_free(0), 4096u);
  // fragindex(9) = 1000 - (1000 + 4096 * 1000 / 512) / 4096 = 998 > 500.
  EXPECT_EQ(fragmentation_index(9, fill_contig_page_info(f.zone().nr_free_per_order(), 9), 10), 998);
  EXPECT_EQ(compaction_suitable(f.zone(), 9), CompactResult::partial);
  Compactor c;
  CompactionStep s = c.compact_zone(f.zone(), 9);
  EXPECT_EQ(s.result, CompactResult::success);
  EXPECT_EQ(s.block, Pfn{0});
  EXPECT_EQ(s.pages_migrated, 256u);
  EXPECT_EQ(s.migrate_scanned, 512u);
  EXPECT_EQ(s.free_scanned, 256u);
  EXPECT_EQ(s.moves.front().to, Pfn{8190});  // the free scanner starts at the top
  EXPECT_EQ(f.zone().nr_free(9), 1u);
  EXPECT_EQ(compaction_suitable(f.zone(), 9), CompactResult::success);
  EXPECT_EQ(f.zone().check_invariants(), "");
}

TEST(Compaction, LowMemoryFailureIsNotSuitable) {
  FullZone f(8192);
  // Free the lower half of 8 pageblocks: 8 free order-8 blocks, 2048 pages.
  for (std::uint64_t pb = 0; pb < 8; ++pb) f.free_range(pb * 512, pb * 512 + 256);
  EXPECT_EQ(f.zone().nr_free(8), 8u);
  // fragindex(9) = 1000 - (1000 + 2048 * 1000 / 512) / 8 = 375 <= 500.
  EXPECT_EQ(fragmentation_index(9, fill_contig_page_info(f.zone().nr_free_per_order(), 9), 10), 375);
  EXPECT_EQ(compaction_suitable(f.zone(), 9), CompactResult::not_suitable);
  EXPECT_EQ(compaction_suitable(f.zone(), 9, 300), CompactResult::partial);
  // Non-costly orders ignore the index.
  EXPECT_EQ(compaction_suitable(f.zone(), 3), CompactResult::success);
}

TEST(Compaction, ProactiveScore) {
  FullZone f(8192);
  for (std::uint64_t p = 0; p < 8192; p += 2) f.alloc.free_pages(Pfn{p}, 0);
  EXPECT_EQ(fragmentation_score_zone(f.zone()), 100u);
  EXPECT_EQ(fragmentation_score_wmark(true), 80u);
  EXPECT_EQ(fragmentation_score_wmark(false), 90u);
  EXPECT_EQ(fragmentation_score_wmark(true, 100), 5u);
}

}  // namespace
}  // namespace gm

namespace gm {
namespace {

TEST(Compaction, HighOrderMovableMovesAsAUnit) {
  std::vector<PfnExtent> ram = {{Pfn{0}, 2048}};
  BuddyAllocator a(ram, flat_config());
  for (std::uint64_t i = 0; i < 512; ++i) ASSERT_EQ(*a.alloc_pages(2, kGfpHighuserMovable), Pfn{4 * i});
  for (std::uint64_t p = 0; p < 512; p += 4)
    if (p != 8) a.free_pages(Pfn{p}, 2);
  for (std::uint64_t p = 1536; p < 1600; p += 4) a.free_pages(Pfn{p}, 2);
  Compactor c;
  CompactionStep s = c.step(*a.zone(ZoneType::normal), 9);
  EXPECT_EQ(s.result, CompactResult::success);
  ASSERT_EQ(s.moves.size(), 1u);
  EXPECT_EQ(s.moves[0].from, Pfn{8});
  EXPECT_EQ(s.moves[0].to, Pfn{1536});
  EXPECT_EQ(s.moves[0].order, 2u);
  EXPECT_EQ(s.pages_migrated, 4u);
  EXPECT_EQ(a.try_free_pages(Pfn{1536}, 2), Errno::ok);
  EXPECT_EQ(a.zone(ZoneType::normal)->check_invariants(), "");
}

// The ballooned strategy's cost in the kernel's own metric: 64 pinned pages spread one per 128
// frames leave no free 2 MiB block, while the same 64 pages packed together barely matter.
std::vector<std::uint64_t> free_counts_with_pinned(const std::vector<std::uint64_t>& pinned) {
  FullZone f(8192);
  for (std::uint64_t p : pinned) {
    f.alloc.free_pages(Pfn{p}, 0);
    EXPECT_EQ(*f.alloc.alloc_pages(0, kGfpBalloon), Pfn{p});  // the only free frame
  }
  for (std::uint64_t p = 0; p < 8192; ++p)
    if (std::find(pinned.begin(), pinned.end(), p) == pinned.end()) f.alloc.free_pages(Pfn{p}, 0);
  EXPECT_EQ(f.alloc.free_pages_count(), 8192u - pinned.size());
  Compactor c;
  CompactionStep s = c.compact_zone(f.zone(), 9);
  EXPECT_EQ(s.pages_migrated, 0u);  // nothing movable is left to move
  return f.zone().nr_free_per_order();
}

TEST(Compaction, ScatteredPinnedPagesDestroyHugePages) {
  std::vector<std::uint64_t> scattered, packed;
  for (std::uint64_t k = 0; k < 64; ++k) {
    scattered.push_back(128 * k);
    packed.push_back(k);
  }
  auto spread = free_counts_with_pinned(scattered);
  EXPECT_EQ(spread[9] + spread[10], 0u);
  EXPECT_EQ(unusable_indexes(spread)[9], 1000);
  // Packed: [64, 512) gives orders 6, 7, 8; then one order-9 and seven order-10 blocks.
  // unusable(9) = (8128 - (1 + 7 * 2) * 512) * 1000 / 8128 = 448000 / 8128 = 55.
  auto tight = free_counts_with_pinned(packed);
  EXPECT_EQ(tight[9], 1u);
  EXPECT_EQ(tight[10], 7u);
  EXPECT_EQ(unusable_indexes(tight)[9], 55);
  EXPECT_EQ(extfrag_indexes(tight)[9], -1000);
}

}  // namespace
}  // namespace gm

namespace gm {
namespace {

// Random traffic, then compaction: every reported move keeps the owners' view exact (each live
// allocation can still be freed at its reported place) and the buddy invariants hold.
TEST(Compaction, MovesKeepOwnersConsistent) {
  std::vector<PfnExtent> ram = {{Pfn{0}, 16384}};
  BuddyAllocator a(ram, flat_config());
  std::mt19937_64 rng(7);
  std::map<std::uint64_t, std::pair<unsigned, bool>> live;  // head -> (order, movable)
  while (true) {                                            // fill the zone
    bool movable = rng() % 8 != 0;
    unsigned order = movable ? static_cast<unsigned>(rng() % 3) : 0;
    auto p = a.alloc_pages(order, movable ? kGfpHighuserMovable : kGfpBalloon);
    if (!p) break;
    live[p->value] = {order, movable};
  }
  for (auto it = live.begin(); it != live.end();) {
    if (rng() % 2) {
      a.free_pages(Pfn{it->first}, it->second.first);
      it = live.erase(it);
    } else {
      ++it;
    }
  }
  Zone& z = *a.zone(ZoneType::normal);
  Compactor c;
  std::uint64_t migrated = 0;
  for (int round = 0; round < 8; ++round) {
    CompactionStep s = c.compact_zone(z, 9);
    for (const PageMove& m : s.moves) {
      auto it = live.find(m.from.value);
      ASSERT_NE(it, live.end());
      ASSERT_TRUE(it->second.second) << "moved a pinned page";
      ASSERT_EQ(it->second.first, m.order);
      auto v = it->second;
      live.erase(it);
      ASSERT_TRUE(live.emplace(m.to.value, v).second);
    }
    migrated += s.pages_migrated;
    ASSERT_EQ(z.check_invariants(), "");
  }
  EXPECT_GT(migrated, 0u);
  EXPECT_GT(z.nr_free(9) + z.nr_free(10), 0u);
  for (auto& [p, v] : live) ASSERT_EQ(a.try_free_pages(Pfn{p}, v.first), Errno::ok);
  EXPECT_EQ(a.free_pages_count(), 16384u);
}

}  // namespace
}  // namespace gm
