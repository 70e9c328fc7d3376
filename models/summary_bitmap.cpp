// Hierarchical bitmap: see summary_bitmap.h.
#include "models/summary_bitmap.h"

#include <bit>

namespace gm {

void SummaryBitmap::resize(std::uint64_t nbits) {
  std::uint64_t leaf_words = nbits == 0 ? 1 : (nbits + 63) / 64;
  std::vector<std::uint64_t> leaf(leaf_words, 0);
  if (!offset_.empty()) {
    std::uint64_t old_leaf = offset_.size() > 1 ? offset_[1] : 1;
    for (std::uint64_t w = 0; w < leaf_words && w < old_leaf; ++w) leaf[w] = words_[w];
  }
  if (nbits < nbits_ && (nbits & 63)) leaf.back() &= (std::uint64_t{1} << (nbits & 63)) - 1;
  nbits_ = nbits;
  offset_.assign(1, 0);
  words_ = std::move(leaf);
  std::uint64_t below = 0, below_words = leaf_words;
  while (below_words > 1) {
    std::uint64_t up_words = (below_words + 63) / 64, up = words_.size();
    offset_.push_back(up);
    words_.resize(up + up_words, 0);
    for (std::uint64_t w = 0; w < below_words; ++w)
      if (words_[below + w]) words_[up + (w >> 6)] |= std::uint64_t{1} << (w & 63);
    below = up;
    below_words = up_words;
  }
  words_.shrink_to_fit();
}

std::uint64_t SummaryBitmap::bytes() const {
  return words_.capacity() * sizeof(std::uint64_t) + offset_.capacity() * sizeof(std::uint64_t);
}

void SummaryBitmap::set(std::uint64_t i) {
  for (std::uint64_t off : offset_) {
    std::uint64_t& w = words_[off + (i >> 6)];
    bool was_zero = w == 0;
    w |= std::uint64_t{1} << (i & 63);
    if (!was_zero) return;  // the levels above already know this word is non-zero
    i >>= 6;
  }
}

void SummaryBitmap::clear(std::uint64_t i) {
  for (std::uint64_t off : offset_) {
    std::uint64_t& w = words_[off + (i >> 6)];
    w &= ~(std::uint64_t{1} << (i & 63));
    if (w != 0) return;
    i >>= 6;
  }
}

std::optional<std::uint64_t> SummaryBitmap::find_first() const {
  if (!any()) return std::nullopt;
  std::uint64_t idx = 0;
  for (auto l = offset_.size(); l-- > 0;) idx = (idx << 6) + std::countr_zero(words_[offset_[l] + idx]);
  return idx;
}

std::optional<std::uint64_t> SummaryBitmap::find_last() const {
  if (!any()) return std::nullopt;
  std::uint64_t idx = 0;
  for (auto l = offset_.size(); l-- > 0;) idx = (idx << 6) + (63 - std::countl_zero(words_[offset_[l] + idx]));
  return idx;
}

}  // namespace gm
