// Statistics over seeds with Eigen (the one Eigen-heavy translation unit of analysis/).
#include "analysis/stats.h"

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "analysis/student_t.h"

namespace gm {

__extension__ typedef unsigned __int128 StatsUint128;

namespace {
Eigen::Map<const Eigen::VectorXd> as_vector(std::span<const double> v) {
  return {v.data(), static_cast<Eigen::Index>(v.size())};
}
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}  // namespace

std::uint64_t SplitMix64::next() {
  std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

std::uint64_t SplitMix64::below(std::uint64_t n) {
  if (n == 0) throw std::invalid_argument("SplitMix64::below(0)");
  const std::uint64_t threshold = (0 - n) % n;  // 2^64 mod n: reject the low values that bias the result
  for (;;) {
    StatsUint128 m = static_cast<StatsUint128>(next()) * n;
    if (static_cast<std::uint64_t>(m) >= threshold) return static_cast<std::uint64_t>(m >> 64);
  }
}

double mean(std::span<const double> v) { return v.empty() ? kNaN : as_vector(v).mean(); }

double sample_stddev(std::span<const double> v) {
  if (v.size() < 2) return kNaN;
  auto x = as_vector(v);
  return std::sqrt((x.array() - x.mean()).square().sum() / static_cast<double>(v.size() - 1));
}

std::optional<Interval> t_interval(std::span<const double> v, double confidence) {
  if (v.size() < 2) return std::nullopt;
  const double n = static_cast<double>(v.size());
  const double t = student_t_quantile((1 + confidence) / 2, n - 1);
  const double half = t * sample_stddev(v) / std::sqrt(n);
  const double m = mean(v);
  return Interval{m - half, m + half};
}

std::optional<Interval> bootstrap_interval(std::span<const double> v, std::uint64_t seed, double confidence,
                                           std::size_t resamples) {
  if (v.size() < 2 || resamples == 0) return std::nullopt;
  const auto x = as_vector(v);
  const auto n = static_cast<Eigen::Index>(v.size());
  SplitMix64 rng(seed);
  Eigen::VectorXd means(static_cast<Eigen::Index>(resamples));
  Eigen::VectorXi pick(n);
  for (std::size_t r = 0; r < resamples; ++r) {
    for (Eigen::Index i = 0; i < n; ++i) pick(i) = static_cast<int>(rng.below(static_cast<std::uint64_t>(n)));
    means(static_cast<Eigen::Index>(r)) = x(pick).mean();
  }
  std::sort(means.begin(), means.end());
  // Nearest-rank quantiles (rank = ceil(q * B), 1-based), as for latency percentiles.
  auto at = [&](double q) {
    auto rank = static_cast<Eigen::Index>(std::ceil(q * static_cast<double>(resamples) - 1e-9));
    return means(std::clamp<Eigen::Index>(rank, 1, means.size()) - 1);
  };
  return Interval{at((1 - confidence) / 2), at((1 + confidence) / 2)};
}

std::vector<double> paired_differences(std::span<const double> minuend, std::span<const double> subtrahend) {
  if (minuend.size() != subtrahend.size()) throw std::invalid_argument("paired_differences: lengths differ");
  std::vector<double> d(minuend.size());
  Eigen::Map<Eigen::VectorXd>(d.data(), static_cast<Eigen::Index>(d.size())) =
      as_vector(minuend) - as_vector(subtrahend);
  return d;
}

}  // namespace gm
