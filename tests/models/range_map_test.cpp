// RangeMap against a brute-force array: assign/erase/at/runs/count agree, neighbours merge.
#include "models/range_map.h"

#include <gtest/gtest.h>

#include <random>

namespace gm {
namespace {

TEST(RangeMap, MergesEqualNeighboursAndSplitsOnOverwrite) {
  RangeMap<int> m;
  m.assign(0, 10, 1);
  m.assign(10, 20, 1);
  EXPECT_EQ(m.size(), 1u);
  m.assign(5, 15, 2);
  EXPECT_EQ(m.size(), 3u);
  EXPECT_EQ(m.at(4), 1);
  EXPECT_EQ(m.at(5), 2);
  EXPECT_EQ(m.at(15), 1);
  EXPECT_FALSE(m.at(20));
  m.assign(5, 15, 1);
  EXPECT_EQ(m.size(), 1u);
  EXPECT_EQ(m.count(0, 100, 1), 20u);
}

TEST(RangeMap, AgreesWithABruteForceModel) {
  std::mt19937 rng(42);
  constexpr int kN = 300;
  RangeMap<int> m;
  std::vector<int> ref(kN, 0);  // 0 = absent
  for (int step = 0; step < 5000; ++step) {
    int a = static_cast<int>(rng() % kN), b = static_cast<int>(rng() % kN);
    if (a > b) std::swap(a, b);
    int v = static_cast<int>(rng() % 4);  // 0 erases
    if (v == 0)
      m.erase(static_cast<std::uint64_t>(a), static_cast<std::uint64_t>(b));
    else
      m.assign(static_cast<std::uint64_t>(a), static_cast<std::uint64_t>(b), v);
    for (int i = a; i < b; ++i) ref[static_cast<std::size_t>(i)] = v;
    if (step % 50) continue;
    for (int i = 0; i < kN; ++i) {
      ASSERT_EQ(m.at(static_cast<std::uint64_t>(i)).value_or(0), ref[static_cast<std::size_t>(i)]);
    }
    // Runs are disjoint, sorted and maximal (no two adjacent runs share a value).
    auto runs = m.runs(0, kN);
    for (std::size_t i = 1; i < runs.size(); ++i) {
      ASSERT_LE(runs[i - 1].last, runs[i].first);
      if (runs[i - 1].last == runs[i].first) {
        ASSERT_NE(runs[i - 1].value, runs[i].value);
      }
    }
    std::uint64_t twos = 0;
    for (int x : ref) twos += x == 2;
    ASSERT_EQ(m.count(0, kN, 2), twos);
  }
}

}  // namespace
}  // namespace gm
