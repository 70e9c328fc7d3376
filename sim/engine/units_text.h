// Text forms of sizes and durations used in scenario and cost files (design §7): "4 GiB", "200 ms".
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "models/units.h"

namespace gm {

// Parse results carry a reason on failure so callers can name what was expected.
struct UnitParse {
  std::optional<std::uint64_t> value;  // bytes or nanoseconds
  std::string problem;                 // empty on success
};

// Sizes: B, KiB, MiB, GiB, TiB (integer or decimal mantissa; the result must be a whole byte count).
UnitParse parse_size(std::string_view text);
// Durations: ns, us, ms, s, min, h (decimal mantissa allowed; rounded to the nearest ns).
UnitParse parse_duration(std::string_view text);

// The shortest exact form: 4294967296 -> "4 GiB", 1536 MiB -> "1536 MiB", 200000000 ns -> "200 ms".
std::string format_size(Bytes b);
std::string format_duration(SimTime t);

}  // namespace gm
