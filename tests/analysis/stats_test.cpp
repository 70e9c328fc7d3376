// Statistics over seeds against hand-computed values and published t-table quantiles.
#include "analysis/stats.h"

#include <gtest/gtest.h>

#include <cmath>
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
