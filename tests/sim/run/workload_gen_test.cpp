#include "sim/run/workload_gen.h"

#include <gtest/gtest.h>

#include <cmath>

#include "sim/engine/rng.h"

namespace gm {
namespace {

TEST(RequestGenerator, PoissonGapsHaveTheRequestedMean) {
  ArrivalSpec a;
  a.process = ArrivalProcess::poisson;
  a.rate_per_s = 200;
  RequestGenerator g(a, SizeSpec{}, 42);
  double sum = 0;
  const int n = 20000;
  for (int i = 0; i < n; ++i) sum += g.next_gap().seconds();
  EXPECT_NEAR(sum / n, 1.0 / 200, 0.05 / 200);  // within 5 %: the std error is 0.7 %
}

TEST(RequestGenerator, SameSeedSameStreamOtherSeedOtherStream) {
  ArrivalSpec a;
  SizeSpec s;
  s.distribution = SizeDistribution::lognormal;
  s.median_pages = 16;
  s.sigma = 1.2;
  RequestGenerator g1(a, s, 7), g2(a, s, 7), g3(a, s, 8);
  int differ = 0;
  for (int i = 0; i < 100; ++i) {
    auto x = g1.next_size();
    EXPECT_EQ(x, g2.next_size());
    differ += x != g3.next_size();
  }
  EXPECT_GT(differ, 50);
}

TEST(RequestGenerator, SizesStayWithinTheirDistribution) {
  SizeSpec s;
  s.distribution = SizeDistribution::uniform;
  s.min_pages = 3;
  s.max_pages = 5;
  RequestGenerator g(ArrivalSpec{}, s, 1);
  int seen[6] = {};
  for (int i = 0; i < 3000; ++i) {
    auto x = g.next_size();
    ASSERT_GE(x, 3u);
    ASSERT_LE(x, 5u);
    ++seen[x];
  }
  for (int k = 3; k <= 5; ++k) EXPECT_NEAR(seen[k], 1000, 150);
  s.distribution = SizeDistribution::lognormal;
  s.median_pages = 16;
  s.sigma = 1.0;
  RequestGenerator l(ArrivalSpec{}, s, 1);
  std::vector<std::uint32_t> v;
  for (int i = 0; i < 5001; ++i) v.push_back(l.next_size());
  std::nth_element(v.begin(), v.begin() + 2500, v.end());
  EXPECT_NEAR(v[2500], 16, 2);  // the median of a lognormal is exp(mu)
}

TEST(RequestGenerator, BurstsArriveTogether) {
  ArrivalSpec a;
  a.process = ArrivalProcess::burst;
  a.burst_size = 4;
  a.rate_per_s = 10;
  RequestGenerator g(a, SizeSpec{}, 3);
  for (int burst = 0; burst < 5; ++burst) {
    EXPECT_GT(g.next_gap().ns, 0);
    for (int i = 0; i < 3; ++i) EXPECT_EQ(g.next_gap().ns, 0);
  }
}

TEST(Rng, StreamsDependOnTheActorNameOnly) {
  EXPECT_EQ(stream_seed(1, "gntdev#0"), stream_seed(1, "gntdev#0"));
  EXPECT_NE(stream_seed(1, "gntdev#0"), stream_seed(1, "gntdev#1"));
  EXPECT_NE(stream_seed(1, "gntdev#0"), stream_seed(2, "gntdev#0"));
}

}  // namespace
}  // namespace gm
