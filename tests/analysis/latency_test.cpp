// Nearest-rank percentiles on small arrays, per-caller and overall summaries, and the sketch's bound.
#include "analysis/latency.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>

#include "analysis/latency_sketch.h"

namespace gm {
namespace {

TEST(NearestRank, TextbookExample) {
  // The classic nearest-rank example: {15, 20, 35, 40, 50}.
  std::vector<std::int64_t> v = {15, 20, 35, 40, 50};
  EXPECT_EQ(nearest_rank(v, 5), 15);
  EXPECT_EQ(nearest_rank(v, 30), 20);
  EXPECT_EQ(nearest_rank(v, 40), 20);
  EXPECT_EQ(nearest_rank(v, 50), 35);
  EXPECT_EQ(nearest_rank(v, 100), 50);
  EXPECT_EQ(nearest_rank(v, 0), 15);
}

TEST(NearestRank, NoFloatingPointSurprises) {
  // 99 % of 100 is rank 99 exactly, not 100 through 0.99 * 100 = 99.00000000000001.
  EXPECT_EQ(nearest_rank_index(100, 99), 99u);
  EXPECT_EQ(nearest_rank_index(1000, 99.9), 999u);
  EXPECT_EQ(nearest_rank_index(1, 50), 1u);
  EXPECT_EQ(nearest_rank_index(10, 90), 9u);
  EXPECT_EQ(nearest_rank_index(11, 90), 10u);  // ceil(9.9)
}

TEST(LatencyRecorder, PerCallerAndOverall) {
  LatencyRecorder rec;
  auto gnt = rec.caller("gntdev-0", "gntdev");
  auto blk = rec.caller("blkback-0", "blkback");
  EXPECT_EQ(rec.caller("gntdev-0", "gntdev"), gnt);
  for (int v : {100, 200, 300, 400}) rec.record(gnt, nanoseconds(v));
  for (int v : {1000, 2000}) rec.record(blk, nanoseconds(v));
  rec.record_failure(blk);

  auto g = rec.summary(gnt);
  EXPECT_EQ(g.count, 4u);
  EXPECT_EQ(g.failures, 0u);
  EXPECT_DOUBLE_EQ(*g.mean_ns, 250);
  EXPECT_EQ(*g.p50_ns, 200);  // rank ceil(2) = 2
  EXPECT_EQ(*g.p90_ns, 400);  // rank ceil(3.6) = 4
  EXPECT_EQ(*g.max_ns, 400);

  auto all = rec.overall();  // {100,200,300,400,1000,2000}
  EXPECT_EQ(all.count, 6u);
  EXPECT_EQ(all.failures, 1u);
  EXPECT_DOUBLE_EQ(*all.mean_ns, 4000.0 / 6);
  EXPECT_EQ(*all.p50_ns, 300);   // rank 3
  EXPECT_EQ(*all.p90_ns, 2000);  // rank ceil(5.4) = 6
  EXPECT_EQ(*all.p99_ns, 2000);
  EXPECT_EQ(*rec.overall_percentile(0), 100);
}

TEST(LatencyRecorder, JsonShapeAndEmptyCallers) {
  LatencyRecorder rec;
  auto idle = rec.caller("xenbus", "xenbus");
  rec.record_failure(idle);
  auto busy = rec.caller("privcmd", "privcmd");
  rec.record(busy, microseconds(3));
  auto j = rec.to_json();
  ASSERT_EQ(j["callers"].size(), 2u);
  EXPECT_EQ(j["callers"][0]["name"], "xenbus");
  EXPECT_EQ(j["callers"][0]["count"], 0);
  EXPECT_EQ(j["callers"][0]["failures"], 1);
  EXPECT_TRUE(j["callers"][0]["p50_ns"].is_null());
  EXPECT_EQ(j["callers"][1]["kind"], "privcmd");
  EXPECT_EQ(j["callers"][1]["p99_ns"], 3000);
  for (const char* k : {"count", "failures", "mean_ns", "p50_ns", "p90_ns", "p99_ns", "max_ns"})
    EXPECT_TRUE(j["overall"].contains(k)) << k;
  EXPECT_EQ(j["overall"]["cdf"]["percent"].size(), LatencyRecorder::cdf_grid().size());
  EXPECT_EQ(j["overall"]["cdf"]["value_ns"][0], 3000);
  EXPECT_EQ(j["method"], "nearest-rank");
}

TEST(LatencySketch, BucketsCoverEveryValueWithinTheBound) {
  for (std::int64_t v : {0LL, 1LL, 127LL, 128LL, 129LL, 255LL, 256LL, 1000LL, 123456789LL, (1LL << 62) + 12345}) {
    auto b = LatencySketch::bucket_of(v);
    EXPECT_LE(LatencySketch::bucket_low(b), v);
    EXPECT_GE(LatencySketch::bucket_high(b), v);
    double mid = LatencySketch::bucket_low(b) + (LatencySketch::bucket_high(b) - LatencySketch::bucket_low(b)) / 2;
    if (v > 0) {
      EXPECT_LE(std::fabs(mid - v) / v, LatencySketch::kRelativeError) << v;
    }
  }
  EXPECT_EQ(LatencySketch::bucket_high(LatencySketch::bucket_of(100)), 100);  // exact below 128
}

TEST(LatencyRecorder, SketchPercentilesStayWithinTheStatedError) {
  std::mt19937_64 rng(5);
  std::lognormal_distribution<double> dist(10, 1.5);
  LatencyRecorder exact(1'000'000), sketched(1000);
  auto a = exact.caller("c", "k"), b = sketched.caller("c", "k");
  for (int i = 0; i < 20000; ++i) {
    auto v = nanoseconds(static_cast<std::int64_t>(dist(rng)));
    exact.record(a, v);
    sketched.record(b, v);
  }
  ASSERT_TRUE(exact.exact());
  ASSERT_FALSE(sketched.exact());
  auto e = exact.overall(), s = sketched.overall();
  EXPECT_EQ(e.count, s.count);
  EXPECT_EQ(*e.max_ns, *s.max_ns);
  EXPECT_NEAR(*e.mean_ns, *s.mean_ns, 1e-6 * *e.mean_ns);
  for (auto [x, y] : {std::pair{e.p50_ns, s.p50_ns}, {e.p90_ns, s.p90_ns}, {e.p99_ns, s.p99_ns}})
    EXPECT_LE(std::fabs(double(*x - *y)) / double(*x), LatencySketch::kRelativeError);
  EXPECT_FALSE(s.exact);
  EXPECT_NE(sketched.to_json()["method"], "nearest-rank");
}

}  // namespace
}  // namespace gm
