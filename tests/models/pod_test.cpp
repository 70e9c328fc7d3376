#include "models/pod.h"

#include <gtest/gtest.h>

#include <vector>

namespace gm {
namespace {

// 100 RAM gfns [0, 100), cache 40: tot_pages = 0 populated + 40 cache.
PodP2m small() {
  std::vector<PfnExtent> ram{{Pfn{0}, 100}};
  return PodP2m(ram, 40, 100);
}

TEST(PodP2m, BuildMarksEveryRamGfnPodAndFillsTheCacheToTheTarget) {
  PodP2m p = small();
  EXPECT_EQ(p.counts().entries, 100u);
  EXPECT_EQ(p.counts().cache, 40u);
  EXPECT_EQ(p.counts().populated, 0u);
  EXPECT_EQ(p.counts().tot_pages(), 40u);
  EXPECT_TRUE(p.is_pod(Pfn{99}));
}

TEST(PodP2m, FirstTouchTakesOneCachePageAndLeavesTotPagesAlone) {
  PodP2m p = small();
  EXPECT_EQ(p.touch(Pfn{5}), std::optional<bool>(true));
  EXPECT_EQ(p.counts().cache, 39u);
  EXPECT_EQ(p.counts().entries, 99u);
  EXPECT_EQ(p.counts().populated, 1u);
  EXPECT_EQ(p.counts().tot_pages(), 40u);
  EXPECT_EQ(p.touch(Pfn{5}), std::nullopt);  // backed now: no fault
  EXPECT_EQ(p.touch(Pfn{100}), std::nullopt);  // not guest RAM
}

TEST(PodP2m, TouchingMoreThanTheCacheHoldsIsOutOfPodMemory) {
  PodP2m p = small();
  for (std::uint64_t g = 0; g < 40; ++g) ASSERT_EQ(p.touch(Pfn{g}), std::optional<bool>(true));
  EXPECT_EQ(p.touch(Pfn{40}), std::optional<bool>(false));
  EXPECT_EQ(p.out_of_memory_message(3), "p2m_pod_demand_populate: Dom3 out of PoD memory! (tot=40 ents=60 dom3)");
}

TEST(PodP2m, BallooningUntouchedEntriesDropsThemWithoutFreeingPages) {
  PodP2m p = small();
  // The balloon hands back 60 never-touched gfns: entries 100 -> 40 = cache; nothing is freed.
  for (std::uint64_t g = 40; g < 100; ++g) {
    PodDecrease d = p.decrease(Pfn{g});
    ASSERT_TRUE(d.done);
    ASSERT_EQ(d.freed, 0u);
  }
  EXPECT_EQ(p.counts().entries, 40u);
  EXPECT_EQ(p.counts().cache, 40u);
  // Now every remaining entry is backed: the guest can touch all of them.
  for (std::uint64_t g = 0; g < 40; ++g) ASSERT_EQ(p.touch(Pfn{g}), std::optional<bool>(true));
  EXPECT_EQ(p.counts().cache, 0u);
  EXPECT_EQ(p.counts().populated, 40u);
}

TEST(PodP2m, ARamPageGivenBackWhileEntriesExceedTheCacheIsStolenForTheCache) {
  PodP2m p = small();
  ASSERT_EQ(p.touch(Pfn{0}), std::optional<bool>(true));  // cache 39, entries 99
  PodDecrease d = p.decrease(Pfn{0});                    // steal_for_cache: 99 > 39
  EXPECT_TRUE(d.done);
  EXPECT_EQ(d.freed, 0u);
  EXPECT_EQ(p.counts().cache, 40u);
  EXPECT_EQ(p.counts().populated, 0u);
  EXPECT_EQ(p.counts().stolen_for_cache, 1u);
  EXPECT_EQ(p.counts().tot_pages(), 40u);
}

TEST(PodP2m, DroppingEntriesBelowTheCacheReleasesTheExcessCache) {
  PodP2m p = small();
  for (std::uint64_t g = 0; g < 10; ++g) ASSERT_EQ(p.touch(Pfn{g}), std::optional<bool>(true));  // cache 30, entries 90
  for (std::uint64_t g = 10; g < 70; ++g) ASSERT_TRUE(p.decrease(Pfn{g}).done);  // entries 30 == cache 30
  // One more PoD entry dropped: entries 29 < cache 30 -> p2m_pod_set_cache_target(29) frees one page.
  PodDecrease d = p.decrease(Pfn{70});
  EXPECT_TRUE(d.done);
  EXPECT_EQ(d.freed, 1u);
  EXPECT_EQ(p.counts().cache, 29u);
  EXPECT_EQ(p.counts().cache_released, 1u);
  EXPECT_EQ(p.counts().tot_pages(), 10u + 29u);
  // A populated page now (entries == cache, no steal) is freed by guest_remove_page.
  PodDecrease r = p.decrease(Pfn{0});
  EXPECT_TRUE(r.done);
  EXPECT_EQ(r.freed, 1u);
  EXPECT_EQ(p.counts().populated, 9u);
}

TEST(PodP2m, AnInvalidGfnIsNotRemovedAndPopulateReplacesAnEntry) {
  PodP2m p = small();
  ASSERT_TRUE(p.decrease(Pfn{50}).done);
  EXPECT_FALSE(p.decrease(Pfn{50}).done);  // already invalid: guest_remove_page fails
  p.populate(Pfn{50});                     // balloon repopulates: a real page, not PoD
  EXPECT_TRUE(p.is_populated(Pfn{50}));
  p.populate(Pfn{51});                     // over a PoD entry: the entry goes
  EXPECT_FALSE(p.is_pod(Pfn{51}));
  EXPECT_EQ(p.counts().entries, 98u);
  EXPECT_EQ(p.counts().populated, 2u);
}

}  // namespace
}  // namespace gm
