// Latency distributions per caller and overall, with exact nearest-rank percentiles (design §6 `latency`).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "models/units.h"

namespace gm {

class LatencySketch;

// Summary of one distribution. Percentiles use the nearest-rank method: the p-th percentile of N
// sorted samples x[1..N] is x[ceil(p/100 * N)] (p0 is the minimum, p100 the maximum), so every
// percentile is a value that was actually observed. Empty distributions have no mean or percentiles.
struct LatencySummary {
  std::uint64_t count = 0;     // latency samples (completed requests)
  std::uint64_t failures = 0;  // failed requests (not part of the samples)
  std::optional<double> mean_ns;
  std::optional<std::int64_t> p50_ns, p90_ns, p99_ns, max_ns;
  bool exact = true;  // false once the recorder switched to its sketch (see LatencyRecorder)
};

// Records request latencies per caller (name + kind) and summarises them per caller and merged.
// Contract: samples are kept exactly (8 bytes each) until the recorder holds kExactLimit samples in
// total; beyond that every caller switches to a log-linear histogram whose percentiles are within a
// relative error of 2^-8 (0.39 %) of the exact nearest-rank value (count, mean and max stay exact).
// Negative latencies are a caller bug and are clamped to 0. Output order is registration order.
class LatencyRecorder {
 public:
  using CallerId = std::size_t;
  static constexpr std::size_t kExactLimit = 10'000'000;

  // exact_limit: total samples kept exactly before switching to the sketch (tests use small values).
  explicit LatencyRecorder(std::size_t exact_limit = kExactLimit);
  ~LatencyRecorder();
  LatencyRecorder(LatencyRecorder&&) noexcept;
  LatencyRecorder& operator=(LatencyRecorder&&) noexcept;

  // Returns the id of (name, kind), registering it on first use.
  CallerId caller(std::string_view name, std::string_view kind);
  void record(CallerId id, SimTime latency);
  void record_failure(CallerId id);

  std::size_t callers() const { return callers_.size(); }
  std::uint64_t total_samples() const { return total_; }
  bool exact() const { return sketches_ == nullptr; }

  LatencySummary summary(CallerId id) const;
  LatencySummary overall() const;
  // Nearest-rank percentile of all samples merged, p in [0, 100]; nullopt when there is none.
  std::optional<std::int64_t> overall_percentile(double p) const;

  // {"callers":[{name, kind, count, failures, mean_ns, p50_ns, p90_ns, p99_ns, max_ns}],
  //  "overall":{count, failures, mean_ns, p50_ns, p90_ns, p99_ns, max_ns, "cdf":{"percent":[...],
  //  "value_ns":[...]}}, "method":"nearest-rank"|"log-linear sketch, relative error <= 0.0039"}.
  // Missing values (no samples) are null.
  nlohmann::json to_json() const;

  // The percent grid of the overall CDF in to_json(): 0, 1, ..., 100 and 99.5, 99.9, 99.99 (sorted).
  static const std::vector<double>& cdf_grid();

 private:
  struct Caller {
    std::string name, kind;
    std::vector<std::int64_t> samples;  // exact mode only
    std::uint64_t count = 0, failures = 0;
    long double sum = 0;
    std::int64_t max = 0;
  };
  void switch_to_sketch();
  struct Merged;
  void fill_merged(Merged& m) const;
  std::vector<Caller> callers_;
  std::size_t exact_limit_;
  std::uint64_t total_ = 0;
  std::unique_ptr<std::vector<LatencySketch>> sketches_;  // one per caller once past kExactLimit
};

// Nearest-rank percentile of `sorted` (ascending), p in [0, 100]. Exposed for tests and for stats.
std::int64_t nearest_rank(const std::vector<std::int64_t>& sorted, double p);
// Rank (1-based) that nearest-rank picks among n samples; uses integer arithmetic on p in units of
// 1/10000 percent so that p = 99 does not become rank ceil(99.00000000000001) through rounding.
std::uint64_t nearest_rank_index(std::uint64_t n, double p);

}  // namespace gm
