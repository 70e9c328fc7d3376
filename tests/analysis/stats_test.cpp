// Statistics over seeds against hand-computed values and published t-table quantiles.
#include "analysis/stats.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <vector>

#include "analysis/student_t.h"

#if __has_include(<boost/math/distributions/students_t.hpp>)
#include <boost/math/distributions/students_t.hpp>
#define GM_HAVE_BOOST_MATH 1
#endif

namespace gm {
namespace {

TEST(StudentT, QuantilesMatchTheTTable) {
  // Two-sided 95 % critical values t_{0.975, df} from any t table.
  EXPECT_NEAR(student_t_quantile(0.975, 1), 12.706204736, 1e-8);
  EXPECT_NEAR(student_t_quantile(0.975, 2), 4.302652730, 1e-8);
  EXPECT_NEAR(student_t_quantile(0.975, 4), 2.776445105, 1e-8);
  EXPECT_NEAR(student_t_quantile(0.975, 9), 2.262157163, 1e-8);
  EXPECT_NEAR(student_t_quantile(0.975, 30), 2.042272456, 1e-8);
  EXPECT_NEAR(student_t_quantile(0.995, 4), 4.604094871, 1e-8);
  EXPECT_NEAR(student_t_quantile(0.025, 4), -2.776445105, 1e-8);
  EXPECT_DOUBLE_EQ(student_t_quantile(0.5, 7), 0.0);
  EXPECT_NEAR(student_t_quantile(0.975, 1e7), 1.959963985, 1e-6);  // tends to the normal quantile
}

TEST(StudentT, CdfIsTheInverseOfTheQuantile) {
  EXPECT_NEAR(student_t_cdf(2.776445105, 4), 0.975, 1e-10);
  EXPECT_NEAR(student_t_cdf(0, 3), 0.5, 1e-15);
  EXPECT_NEAR(student_t_cdf(-1, 1), 0.25, 1e-12);  // Cauchy: 1/2 + atan(t)/pi
  EXPECT_THROW(student_t_quantile(1.0, 4), std::invalid_argument);
  EXPECT_THROW(student_t_quantile(0.9, 0), std::invalid_argument);
}

#ifdef GM_HAVE_BOOST_MATH
TEST(StudentT, AgreesWithBoostMath) {
  for (double df : {1.0, 2.5, 4.0, 17.0, 200.0})
    for (double p : {0.6, 0.9, 0.975, 0.999}) {
      boost::math::students_t dist(df);
      EXPECT_NEAR(student_t_quantile(p, df), boost::math::quantile(dist, p), 1e-9) << "df=" << df << " p=" << p;
    }
}
#endif

TEST(Stats, MeanAndSampleStddev) {
  std::vector<double> v = {2, 4, 4, 4, 5, 5, 7, 9};
  EXPECT_DOUBLE_EQ(mean(v), 5.0);
  EXPECT_NEAR(sample_stddev(v), std::sqrt(32.0 / 7.0), 1e-12);  // squared deviations sum to 32
  EXPECT_TRUE(std::isnan(mean(std::vector<double>{})));
  EXPECT_TRUE(std::isnan(sample_stddev(std::vector<double>{3})));
}

TEST(Stats, TIntervalOfFiveValues) {
  // n = 5: mean 12, squared deviations 4+1+0+1+4 = 10, s = sqrt(10/4) = 1.58114, s/sqrt(5) = 0.707107,
  // half width = 2.776445 * 0.707107 = 1.963243.
  std::vector<double> v = {10, 11, 12, 13, 14};
  auto ci = t_interval(v);
  ASSERT_TRUE(ci.has_value());
  EXPECT_NEAR(ci->lo, 12 - 1.963243, 1e-5);
  EXPECT_NEAR(ci->hi, 12 + 1.963243, 1e-5);
  EXPECT_TRUE(ci->excludes_zero());
}

TEST(Stats, OneValueGivesNoInterval) {
  std::vector<double> one = {42};
  EXPECT_FALSE(t_interval(one).has_value());
  EXPECT_FALSE(bootstrap_interval(one, 1).has_value());
}

TEST(Stats, ConstantSampleGivesAPointInterval) {
  std::vector<double> v = {3, 3, 3};
  EXPECT_EQ(*t_interval(v), (Interval{3, 3}));
  EXPECT_EQ(*bootstrap_interval(v, 9), (Interval{3, 3}));
}

TEST(Stats, BootstrapIsDeterministicForASeed) {
  std::vector<double> v = {120, 95, 180, 101, 133, 97, 250};
  auto a = bootstrap_interval(v, 2024);
  auto b = bootstrap_interval(v, 2024);
  auto c = bootstrap_interval(v, 2025);
  ASSERT_TRUE(a && b && c);
  EXPECT_EQ(*a, *b);
  EXPECT_NE(*a, *c);
  // Resample means lie between the sample's extremes and the interval brackets the sample mean.
  EXPECT_GE(a->lo, 95);
  EXPECT_LE(a->hi, 250);
  EXPECT_LT(a->lo, mean(v));
  EXPECT_GT(a->hi, mean(v));
}

TEST(Stats, SplitMix64ReferenceOutputAndBoundedDraws) {
  // First output for seed 0 (reference implementation by Vigna).
  SplitMix64 r(0);
  EXPECT_EQ(r.next(), 0xe220a8397b1dcdafULL);
  SplitMix64 s(7);
  std::vector<int> seen(5, 0);
  for (int i = 0; i < 5000; ++i) ++seen[s.below(5)];
  for (int n : seen) EXPECT_GT(n, 800);
}

TEST(Stats, PairedDifferences) {
  std::vector<double> a = {10, 20, 30}, b = {1, 2, 3};
  EXPECT_EQ(paired_differences(a, b), (std::vector<double>{9, 18, 27}));
  EXPECT_THROW(paired_differences(a, std::vector<double>{1}), std::invalid_argument);
}

}  // namespace
}  // namespace gm

namespace gm {
namespace {

// N(mu, sigma^2) draws from a SplitMix64 stream (Box-Muller), so the test is the same on every platform.
std::vector<double> normal_sample(SplitMix64& rng, std::size_t n, double mu, double sigma) {
  constexpr double kTwoPi = 6.283185307179586;
  auto uniform = [&] { return (static_cast<double>(rng.next() >> 11) + 0.5) * 0x1.0p-53; };  // (0, 1)
  std::vector<double> v;
  while (v.size() < n) {
    const double r = std::sqrt(-2 * std::log(uniform())), t = kTwoPi * uniform();
    v.push_back(mu + sigma * r * std::cos(t));
    if (v.size() < n) v.push_back(mu + sigma * r * std::sin(t));
  }
  return v;
}

// Coverage against a known distribution: 1,000 samples of 30 draws from N(100, 15^2), each with its 95 %
// percentile bootstrap interval (400 resamples). The interval must contain the true mean 100 in
// 95 % +- 3 points of the repetitions. The percentile bootstrap is a little narrow for n = 30 (its spread
// is s * sqrt((n-1)/n), and it uses normal rather than t quantiles): about 93.6 % in theory; the binomial
// standard error over 1,000 repetitions is 0.7 points. An interval of [min, max] covers ~100 %, a
// degenerate or a 90 % one covers <= 90 %: both fail. Deterministic: fixed seeds.
TEST(Stats, BootstrapIntervalCoversTheTrueMeanAtItsNominalRate) {
  constexpr int kRepetitions = 1000;
  constexpr double kMu = 100, kNominal = 0.95, kTolerance = 0.03;
  SplitMix64 rng(20261204);
  int covered = 0, t_covered = 0;
  for (int rep = 0; rep < kRepetitions; ++rep) {
    const std::vector<double> v = normal_sample(rng, 30, kMu, 15);
    const auto ci = bootstrap_interval(v, 1000 + static_cast<std::uint64_t>(rep), kNominal, 400);
    ASSERT_TRUE(ci);
    covered += ci->lo <= kMu && kMu <= ci->hi;
    const auto t = t_interval(v, kNominal);  // the exact interval for normal data: the reference
    t_covered += t->lo <= kMu && kMu <= t->hi;
  }
  const double coverage = static_cast<double>(covered) / kRepetitions;
  const double t_coverage = static_cast<double>(t_covered) / kRepetitions;
  std::printf("coverage over %d repetitions: bootstrap %.3f, t-interval %.3f\n", kRepetitions, coverage, t_coverage);
  EXPECT_NEAR(coverage, kNominal, kTolerance) << "bootstrap coverage " << coverage;
  EXPECT_NEAR(t_coverage, kNominal, kTolerance) << "t-interval coverage " << t_coverage;
  EXPECT_LE(coverage, t_coverage + 0.01);  // never wider than the exact interval on normal data
}

}  // namespace
}  // namespace gm
