// A plain growable bitmap with word-level range scans: one bit per frame (or per pageblock) of
// allocator state, so a 1 TiB zone costs 32 MiB per bitmap instead of per-page objects (design §5).
#pragma once

#include <bit>
#include <cassert>
#include <cstdint>
#include <vector>

namespace gm {

// Bits indexed from 0; every query is bounded by an explicit limit so scans stay O(range / 64).
class FrameBitmap {
 public:
  explicit FrameBitmap(std::uint64_t nbits = 0) { resize(nbits); }

  void resize(std::uint64_t nbits) {
    nbits_ = nbits;
    words_.resize((nbits + 63) / 64, 0);
  }
  std::uint64_t size() const { return nbits_; }
  std::uint64_t bytes() const { return words_.capacity() * sizeof(std::uint64_t); }

  bool test(std::uint64_t i) const {
    assert(i < nbits_);
    return (words_[i >> 6] >> (i & 63)) & 1u;
  }
  void set(std::uint64_t i) {
    assert(i < nbits_);
    words_[i >> 6] |= std::uint64_t{1} << (i & 63);
  }
  void clear(std::uint64_t i) {
    assert(i < nbits_);
    words_[i >> 6] &= ~(std::uint64_t{1} << (i & 63));
  }
  void assign(std::uint64_t i, bool v) { v ? set(i) : clear(i); }

  // Sets or clears [first, end).
  void fill(std::uint64_t first, std::uint64_t end, bool v) {
    assert(first <= end && end <= nbits_);
    while (first < end && (first & 63)) assign(first++, v);
    for (; first + 64 <= end; first += 64) words_[first >> 6] = v ? ~std::uint64_t{0} : 0;
    while (first < end) assign(first++, v);
  }

  // First set bit in [from, limit), or limit when there is none.
  std::uint64_t next_set(std::uint64_t from, std::uint64_t limit) const {
    if (limit > nbits_) limit = nbits_;
    if (from >= limit) return limit;
    std::uint64_t w = from >> 6;
    std::uint64_t bits = words_[w] & (~std::uint64_t{0} << (from & 63));
    while (true) {
      if (bits) {
        std::uint64_t i = (w << 6) + static_cast<std::uint64_t>(std::countr_zero(bits));
        return i < limit ? i : limit;
      }
      if (++w << 6 >= limit) return limit;
      bits = words_[w];
    }
  }

  // True when any bit of [first, end) is set.
  bool any_in(std::uint64_t first, std::uint64_t end) const { return next_set(first, end) < end; }

  // True when every bit of [first, end) is set.
  bool all_in(std::uint64_t first, std::uint64_t end) const {
    while (first < end && (first & 63))
      if (!test(first++)) return false;
    for (; first + 64 <= end; first += 64)
      if (words_[first >> 6] != ~std::uint64_t{0}) return false;
    while (first < end)
      if (!test(first++)) return false;
    return true;
  }

  std::uint64_t word(std::uint64_t w) const { return words_[w]; }

 private:
  std::vector<std::uint64_t> words_;
  std::uint64_t nbits_ = 0;
};

}  // namespace gm
