#include "sim/run/workload_gen.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace gm {

std::uint64_t Rng::between(std::uint64_t lo, std::uint64_t hi) {
  std::uint64_t span = hi - lo;
  if (span == std::numeric_limits<std::uint64_t>::max()) return next();
  std::uint64_t n = span + 1;
  std::uint64_t limit = std::numeric_limits<std::uint64_t>::max() - std::numeric_limits<std::uint64_t>::max() % n;
  std::uint64_t x;
  do x = next();
  while (x >= limit);
  return lo + x % n;
}

RequestGenerator::RequestGenerator(const ArrivalSpec& arrival, const SizeSpec& size, std::uint64_t seed)
    : arrival_(arrival), size_(size), rng_(seed) {}

double RequestGenerator::exponential(double rate) {
  double u = rng_.uniform();
  return -std::log1p(-u) / rate;  // inverse CDF; u in [0,1) so log1p(-u) is finite
}

double RequestGenerator::normal() {
  // Box-Muller with our own uniforms (std::normal_distribution is not portable bit-for-bit).
  double u1 = rng_.uniform(), u2 = rng_.uniform();
  if (u1 <= 0) u1 = 0x1.0p-53;
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
}

SimTime RequestGenerator::next_gap() {
  switch (arrival_.process) {
    case ArrivalProcess::poisson:
      return SimTime::from_seconds(exponential(arrival_.rate_per_s));
    case ArrivalProcess::periodic:
      return arrival_.period;
    case ArrivalProcess::burst:
      // Bursts arrive as a Poisson process; the requests of one burst arrive together.
      if (burst_left_ > 0) {
        --burst_left_;
        return SimTime{0};
      }
      burst_left_ = std::max(arrival_.burst_size, 1) - 1;
      return SimTime::from_seconds(exponential(arrival_.rate_per_s));
    case ArrivalProcess::once:
      return SimTime{0};
  }
  return SimTime{0};
}

std::uint32_t RequestGenerator::next_size() {
  std::int64_t pages = 1;
  switch (size_.distribution) {
    case SizeDistribution::fixed:
      pages = size_.pages;
      break;
    case SizeDistribution::uniform:
      pages = static_cast<std::int64_t>(
          rng_.between(static_cast<std::uint64_t>(size_.min_pages), static_cast<std::uint64_t>(size_.max_pages)));
      break;
    case SizeDistribution::lognormal:
      pages = std::llround(size_.median_pages * std::exp(size_.sigma * normal()));
      break;
    case SizeDistribution::choice:
      pages = size_.choices.empty() ? 1 : size_.choices[rng_.between(0, size_.choices.size() - 1)];
      break;
  }
  return static_cast<std::uint32_t>(std::clamp<std::int64_t>(pages, 1, 65536));
}

}  // namespace gm
