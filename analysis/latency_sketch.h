// A log-linear latency histogram used once exact samples would take too much memory.
#pragma once

#include <cstdint>
#include <vector>

namespace gm {

// Buckets: values below 128 are exact; above, each power of two [2^e, 2^(e+1)) is split into 128
// equal buckets, so a bucket's midpoint is within 2^-8 (0.39 %) of every value in it (the same layout
// as HdrHistogram with 7 significant bits). Memory grows with the largest value seen, not with the
// number of samples: at most 7,296 counters for 63-bit values.
// Contract: value_at_rank(r) returns a value within 2^-8 relative error of the r-th smallest sample.
class LatencySketch {
 public:
  static constexpr unsigned kSubBits = 7;
  static constexpr double kRelativeError = 1.0 / 256.0;

  void add(std::int64_t value, std::uint64_t times = 1);
  void merge(const LatencySketch& other);
  std::uint64_t count() const { return count_; }
  // rank is 1-based, 1 <= rank <= count(). The result is clamped to the largest recorded value.
  std::int64_t value_at_rank(std::uint64_t rank) const;

  static std::size_t bucket_of(std::int64_t value);
  static std::int64_t bucket_low(std::size_t bucket);
  static std::int64_t bucket_high(std::size_t bucket);  // inclusive

 private:
  std::vector<std::uint64_t> counts_;
  std::uint64_t count_ = 0;
  std::int64_t max_ = 0;
};

}  // namespace gm
