#include "sim/scenario/did_you_mean.h"

#include <algorithm>
#include <cctype>
#include <cstdint>

namespace gm {

std::size_t edit_distance(std::string_view a, std::string_view b) {
  auto lower = [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); };
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t up = row[j];
      std::size_t subst = diag + (lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1);
      row[j] = std::min({up + 1, row[j - 1] + 1, subst});
      diag = up;
    }
  }
  return row[b.size()];
}

std::string closest_match(std::string_view word, const std::vector<std::string_view>& candidates) {
  std::string_view best;
  std::size_t best_d = SIZE_MAX;
  for (auto c : candidates) {
    std::size_t d = edit_distance(word, c);
    if (d < best_d) best_d = d, best = c;
  }
  if (best.empty()) return {};
  std::size_t limit = std::max<std::size_t>(1, std::max(word.size(), best.size()) / 3);
  if (best_d <= limit) return std::string(best);
  // A truncated or extended name ("hotplug" for "hotplug_unpopulated") is far by edit distance but plausible.
  if (word.size() >= 3)
    for (auto c : candidates)
      if (c.size() >= 3 && (c.substr(0, word.size()) == word || word.substr(0, c.size()) == c)) return std::string(c);
  return {};
}

}  // namespace gm
