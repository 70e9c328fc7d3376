// Log-linear histogram arithmetic (bucket index from the position of the leading bit).
#include "analysis/latency_sketch.h"

#include <algorithm>
#include <bit>
#include <stdexcept>

namespace gm {
namespace {
constexpr std::uint64_t kSub = std::uint64_t{1} << LatencySketch::kSubBits;  // buckets per power of two
}

std::size_t LatencySketch::bucket_of(std::int64_t value) {
  auto v = static_cast<std::uint64_t>(std::max<std::int64_t>(value, 0));
  if (v < kSub) return static_cast<std::size_t>(v);
  unsigned e = static_cast<unsigned>(std::bit_width(v)) - 1;  // v in [2^e, 2^(e+1)), e >= kSubBits
  std::uint64_t sub = (v >> (e - kSubBits)) & (kSub - 1);
  return static_cast<std::size_t>(kSub + (e - kSubBits) * kSub + sub);
}

std::int64_t LatencySketch::bucket_low(std::size_t bucket) {
  if (bucket < kSub) return static_cast<std::int64_t>(bucket);
  std::uint64_t e = (bucket - kSub) / kSub + kSubBits;
  std::uint64_t sub = (bucket - kSub) % kSub;
  return static_cast<std::int64_t>((std::uint64_t{1} << e) + (sub << (e - kSubBits)));
}

std::int64_t LatencySketch::bucket_high(std::size_t bucket) {
  if (bucket < kSub) return static_cast<std::int64_t>(bucket);
  std::uint64_t e = (bucket - kSub) / kSub + kSubBits;
  return bucket_low(bucket) + static_cast<std::int64_t>((std::uint64_t{1} << (e - kSubBits)) - 1);
}

void LatencySketch::add(std::int64_t value, std::uint64_t times) {
  std::size_t b = bucket_of(value);
  if (b >= counts_.size()) counts_.resize(b + 1, 0);
  counts_[b] += times;
  count_ += times;
  max_ = std::max(max_, value);
}

void LatencySketch::merge(const LatencySketch& other) {
  if (other.counts_.size() > counts_.size()) counts_.resize(other.counts_.size(), 0);
  for (std::size_t i = 0; i < other.counts_.size(); ++i) counts_[i] += other.counts_[i];
  count_ += other.count_;
  max_ = std::max(max_, other.max_);
}

std::int64_t LatencySketch::value_at_rank(std::uint64_t rank) const {
  if (rank == 0 || rank > count_) throw std::out_of_range("LatencySketch::value_at_rank: rank out of range");
  std::uint64_t seen = 0;
  for (std::size_t b = 0; b < counts_.size(); ++b) {
    seen += counts_[b];
    if (seen >= rank) {
      std::int64_t lo = bucket_low(b), hi = bucket_high(b);
      return std::min(lo + (hi - lo) / 2, max_);  // the midpoint bounds the relative error by 2^-8
    }
  }
  return max_;
}

}  // namespace gm
