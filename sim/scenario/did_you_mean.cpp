#include "sim/scenario/did_you_mean.h"

#include <algorithm>
#include <cctype>
#include <cstdint>

namespace gm {

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
