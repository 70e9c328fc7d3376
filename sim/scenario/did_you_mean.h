// "Did you mean" suggestions for misspelt keys and names, by edit distance.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace gm {

// Levenshtein distance (insert, delete, substitute; each costs 1), case-insensitive.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The closest candidate when it is close enough to be a plausible typo (distance <= max(1, len/3), or one is
// a prefix of the other), else an empty string.
std::string closest_match(std::string_view word, const std::vector<std::string_view>& candidates);

}  // namespace gm
