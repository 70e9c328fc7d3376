// One rule for text that is not UTF-8, in every input guestmem reads (files, scenario strings, command-line
// arguments): it is refused at the input edge with exit 2 and the line:column of the first bad byte, so every
// writer (JSON, CSV, Markdown, text) only ever sees valid UTF-8 (docs/reliability.md, "Bytes in, valid output
// out"). Plain functions over bytes: no I/O.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace gm {

// Offset of the first byte that breaks UTF-8 (RFC 3629: no overlongs, no surrogates, nothing above U+10FFFF),
// or nullopt when all of `text` is UTF-8.
std::optional<std::size_t> first_invalid_utf8(std::string_view text);

// "0xFF"
std::string hex_byte(unsigned char c);

// Contract: returns normally when `text` is UTF-8; otherwise throws gm::InputError with one line
// "NAME:LINE:COL: found byte 0xXX that is not UTF-8, expected UTF-8 text" (LINE and COL 1-based, COL in
// bytes), where the expectation is `expected` when given (e.g. "UTF-8 /proc/buddyinfo text").
void require_utf8(std::string_view text, std::string_view name, std::string_view expected = "UTF-8 text");

// The same rule for one string that has no lines (a command-line argument, a JSON string): throws
// gm::InputError "WHAT: found byte 0xXX at byte N that is not UTF-8, expected UTF-8 text".
void require_utf8_string(std::string_view s, std::string_view what);

}  // namespace gm
