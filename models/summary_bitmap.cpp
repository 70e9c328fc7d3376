// Hierarchical bitmap: see summary_bitmap.h.
#include "models/summary_bitmap.h"

#include <bit>

namespace gm {

void SummaryBitmap::resize(std::uint64_t nbits) {
  std::vector<std::uint64_t> leaf = levels_.empty() ? std::vector<std::uint64_t>{} : std::move(levels_[0]);
  leaf.resize(nbits == 0 ? 1 : (nbits + 63) / 64, 0);
  if (nbits < nbits_ && (nbits & 63)) leaf.back() &= (std::uint64_t{1} << (nbits & 63)) - 1;
  nbits_ = nbits;
  levels_.clear();
  levels_.push_back(std::move(leaf));
  while (levels_.back().size() > 1) {
    const auto& below = levels_.back();
    std::vector<std::uint64_t> up((below.size() + 63) / 64, 0);
    for (std::uint64_t w = 0; w < below.size(); ++w)
      if (below[w]) up[w >> 6] |= std::uint64_t{1} << (w & 63);
    levels_.push_back(std::move(up));
  }
}

std::uint64_t SummaryBitmap::bytes() const {
  std::uint64_t b = 0;
  for (const auto& l : levels_) b += l.capacity() * sizeof(std::uint64_t);
  return b;
}

void SummaryBitmap::set(std::uint64_t i) {
  for (auto& level : levels_) {
    std::uint64_t& w = level[i >> 6];
    bool was_zero = w == 0;
    w |= std::uint64_t{1} << (i & 63);
    if (!was_zero) return;  // the levels above already know this word is non-zero
    i >>= 6;
  }
}

void SummaryBitmap::clear(std::uint64_t i) {
  for (auto& level : levels_) {
    std::uint64_t& w = level[i >> 6];
    w &= ~(std::uint64_t{1} << (i & 63));
    if (w != 0) return;
    i >>= 6;
  }
}

std::optional<std::uint64_t> SummaryBitmap::find_first() const {
  if (!any()) return std::nullopt;
  std::uint64_t idx = 0;
  for (auto l = levels_.size(); l-- > 0;) idx = (idx << 6) + std::countr_zero(levels_[l][idx]);
  return idx;
}

std::optional<std::uint64_t> SummaryBitmap::find_last() const {
  if (!any()) return std::nullopt;
  std::uint64_t idx = 0;
  for (auto l = levels_.size(); l-- > 0;) idx = (idx << 6) + (63 - std::countl_zero(levels_[l][idx]));
  return idx;
}

}  // namespace gm
