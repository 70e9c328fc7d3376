// "Did you mean" suggestions for misspelt keys and names, by edit distance.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "models/edit_distance.h"  // edit_distance()

namespace gm {


// The closest candidate when it is close enough to be a plausible typo (distance <= max(1, len/3), or one is
// a prefix of the other), else an empty string.
std::string closest_match(std::string_view word, const std::vector<std::string_view>& candidates);

}  // namespace gm
