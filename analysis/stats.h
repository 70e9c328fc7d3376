// Statistics over seeds: mean, sample standard deviation, t and bootstrap 95 % intervals, paired deltas.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace gm {

// A closed confidence interval [lo, hi].
struct Interval {
  double lo = 0, hi = 0;
  bool excludes_zero() const { return lo > 0 || hi < 0; }
  bool operator==(const Interval&) const = default;
};

// Contract for all functions: NaN inputs are a caller error (filter missing values first); an interval
// needs at least 2 values (nullopt otherwise: N = 1 seed gives no interval, design §6).
double mean(std::span<const double> v);           // NaN when empty
double sample_stddev(std::span<const double> v);  // divides by n - 1; NaN when n < 2

// mean +- t_{(1+c)/2, n-1} * s / sqrt(n): Student's t interval for the mean.
std::optional<Interval> t_interval(std::span<const double> v, double confidence = 0.95);

// Percentile bootstrap interval for the mean: `resamples` resamples of size n drawn with replacement
// using a SplitMix64 stream seeded with `seed` (so the result depends only on the values and the seed,
// on every platform); the bounds are the nearest-rank (1-c)/2 and (1+c)/2 quantiles of the resample
// means. Used for percentile metrics, whose per-seed values are far from normal.
std::optional<Interval> bootstrap_interval(std::span<const double> v, std::uint64_t seed, double confidence = 0.95,
                                           std::size_t resamples = 10000);

// minuend[i] - subtrahend[i]; both spans must have the same length (std::invalid_argument otherwise).
std::vector<double> paired_differences(std::span<const double> minuend, std::span<const double> subtrahend);

// SplitMix64 (Steele, Lea, Flood 2014): a tiny generator whose output is fixed by its seed.
class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next();
  std::uint64_t below(std::uint64_t n);  // uniform in [0, n), n > 0, without modulo bias (Lemire 2019)

 private:
  std::uint64_t state_;
};

}  // namespace gm
