// Free lists with hashed links against a std::list reference: order, removal anywhere, swap, growth.
#include "models/free_list.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <list>
#include <random>
#include <vector>

namespace gm {
namespace {

std::vector<std::uint32_t> walk(const FreeLists& l, unsigned list) {
  std::vector<std::uint32_t> out;
  for (auto h = l.head(list); h;) {
    out.push_back(*h);
    std::uint32_t n = l.next(*h);
    h = n == FreeLists::kNone ? std::nullopt : std::optional<std::uint32_t>(n);
  }
  return out;
}

TEST(FreeLists, HeadAndTailInsertion) {
  FreeLists l(2);
  EXPECT_TRUE(l.empty(0));
  l.push(0, 10, false);
  l.push(0, 20, false);  // list_add: new head
  l.push(0, 30, true);   // list_add_tail
  l.push(1, 40, false);
  EXPECT_EQ(walk(l, 0), (std::vector<std::uint32_t>{20, 10, 30}));
  EXPECT_EQ(walk(l, 1), (std::vector<std::uint32_t>{40}));
  EXPECT_EQ(*l.head(0), 20u);
  l.remove(0, 10);
  EXPECT_EQ(walk(l, 0), (std::vector<std::uint32_t>{20, 30}));
  l.move_to_tail(0, 1, 20);
  EXPECT_EQ(walk(l, 0), (std::vector<std::uint32_t>{30}));
  EXPECT_EQ(walk(l, 1), (std::vector<std::uint32_t>{40, 20}));
  EXPECT_EQ(l.size(), 3u);
  EXPECT_FALSE(l.contains(10));
}

TEST(FreeLists, SwapExchangesPositionsAdjacentOrNot) {
  FreeLists l(1);
  for (std::uint32_t b : {1u, 2u, 3u, 4u, 5u}) l.push(0, b, true);
  l.swap(0, 1, 5);
  EXPECT_EQ(walk(l, 0), (std::vector<std::uint32_t>{5, 2, 3, 4, 1}));
  l.swap(0, 2, 3);
  EXPECT_EQ(walk(l, 0), (std::vector<std::uint32_t>{5, 3, 2, 4, 1}));
  l.swap(0, 1, 4);  // b before a
  EXPECT_EQ(walk(l, 0), (std::vector<std::uint32_t>{5, 3, 2, 1, 4}));
  l.swap(0, 5, 4);
  EXPECT_EQ(walk(l, 0), (std::vector<std::uint32_t>{4, 3, 2, 1, 5}));
}

TEST(FreeLists, RandomOperationsMatchAReferenceAcrossGrowth) {
  constexpr unsigned kLists = 4;
  FreeLists l(kLists);
  std::vector<std::list<std::uint32_t>> ref(kLists);
  std::vector<int> where(100000, -1);
  std::mt19937 rng(7);
  for (int step = 0; step < 60000; ++step) {
    std::uint32_t b = rng() % where.size();
    if (where[b] < 0) {
      unsigned list = rng() % kLists;
      bool tail = rng() & 1;
      l.push(list, b, tail);
      tail ? ref[list].push_back(b) : ref[list].push_front(b);
      where[b] = static_cast<int>(list);
    } else {
      auto list = static_cast<unsigned>(where[b]);
      l.remove(list, b);
      ref[list].remove(b);
      where[b] = -1;
    }
  }
  std::uint64_t total = 0;
  for (unsigned i = 0; i < kLists; ++i) {
    EXPECT_EQ(walk(l, i), std::vector<std::uint32_t>(ref[i].begin(), ref[i].end()));
    total += ref[i].size();
  }
  EXPECT_EQ(l.size(), total);
  EXPECT_GT(total, 1024u);  // the table grew past its first size
}

}  // namespace
}  // namespace gm
