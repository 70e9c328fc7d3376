// A bitmap with 64-ary summary levels: set/clear/lowest/highest set bit in O(log64 n). The buddy
// allocator keeps one per (order, migratetype) over pageblocks, so "lowest pageblock holding a free
// block of order o and type t" costs three word reads for a 1 TiB zone.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace gm {

// Contract: level 0 holds the bits; bit j of level k+1 is set iff word j of level k is non-zero.
class SummaryBitmap {
 public:
  explicit SummaryBitmap(std::uint64_t nbits = 0) { resize(nbits); }

  // Grows or shrinks to nbits, keeping the bits below min(old, new) size.
  void resize(std::uint64_t nbits);
  std::uint64_t size() const { return nbits_; }
  std::uint64_t bytes() const;

  bool test(std::uint64_t i) const { return (words_[i >> 6] >> (i & 63)) & 1u; }
  void set(std::uint64_t i);
  void clear(std::uint64_t i);
  bool any() const { return words_[offset_.back()] != 0; }

  std::optional<std::uint64_t> find_first() const;
  std::optional<std::uint64_t> find_last() const;

 private:
  std::vector<std::uint64_t> words_;   // every level, leaf level first, in one array
  std::vector<std::uint64_t> offset_;  // first word of each level; the last level is one word
  std::uint64_t nbits_ = 0;
};

}  // namespace gm
