// Levenshtein distance between names, for "did you mean" suggestions (scenario keys, Kconfig symbols).
#pragma once

#include <cstddef>
#include <string_view>

namespace gm {

// Insert, delete and substitute each cost 1; letters compare case-insensitively.
std::size_t edit_distance(std::string_view a, std::string_view b);

}  // namespace gm
