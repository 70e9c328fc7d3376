// Strict reading of JSON input files (design §7): a size limit, UTF-8 only, no duplicate keys, bounded
// nesting, and syntax errors reported as FILE:LINE:COL. Reusable for any JSON input guestmem reads.
#pragma once

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gm {

// Reads a whole file of at most `limit` bytes. On failure appends one error line ("NAME: ...") and
// returns nullopt (missing, not a regular file, unreadable, too large).
std::optional<std::string> read_input_file(const std::filesystem::path& path, std::string_view display_name,
                                           std::uint64_t limit, std::vector<std::string>& errors);

// Parses `text` strictly. On failure appends error lines and returns nullopt: empty input, bytes that are
// not UTF-8 or NUL ("NAME:LINE:COL: ..."), syntax errors ("NAME:LINE:COL: ..."), duplicate keys and
// nesting deeper than `max_depth` ("NAME: /json/path: found X, expected Y"). Every duplicate key is reported.
std::optional<nlohmann::json> parse_strict_json(std::string_view text, std::string_view display_name,
                                                int max_depth, std::vector<std::string>& errors);

// 1-based line and column of byte `offset` (0-based) in `text`.
std::pair<std::size_t, std::size_t> line_col(std::string_view text, std::size_t offset);

// Escapes a key for a JSON pointer segment (RFC 6901: "~" -> "~0", "/" -> "~1").
std::string pointer_segment(std::string_view key);

}  // namespace gm
