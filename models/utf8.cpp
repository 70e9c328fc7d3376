// UTF-8 validation at the input edge: see utf8.h.
#include "models/utf8.h"

#include "models/errors.h"

namespace gm {

std::optional<std::size_t> first_invalid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    // Lead byte: how many continuation bytes follow and the range allowed for the first of them, which is
    // what excludes overlong forms (E0, F0), surrogates (ED) and code points above U+10FFFF (F4).
    std::size_t n = 0;
    unsigned lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) n = 1;
    else if (c == 0xE0) n = 2, lo = 0xA0;
    else if (c == 0xED) n = 2, hi = 0x9F;
    else if (c >= 0xE1 && c <= 0xEF) n = 2;
    else if (c == 0xF0) n = 3, lo = 0x90;
    else if (c >= 0xF1 && c <= 0xF3) n = 3;
    else if (c == 0xF4) n = 3, hi = 0x8F;
    else return i;
    for (std::size_t k = 1; k <= n; ++k) {
      if (i + k >= s.size()) return i;
      auto d = static_cast<unsigned char>(s[i + k]);
      unsigned l = k == 1 ? lo : 0x80, h = k == 1 ? hi : 0xBF;
      if (d < l || d > h) return i;
    }
    i += n + 1;
  }
  return std::nullopt;
}

std::string hex_byte(unsigned char c) {
  static const char* digits = "0123456789ABCDEF";
  return std::string("0x") + digits[c >> 4] + digits[c & 15];
}

void require_utf8(std::string_view text, std::string_view name, std::string_view expected) {
  auto bad = first_invalid_utf8(text);
  if (!bad) return;
  std::size_t line = 1, col = 1;
  for (std::size_t i = 0; i < *bad; ++i) {
    if (text[i] == '\n') {
      ++line;
      col = 1;
    } else {
      ++col;
    }
  }
  std::string msg(name);
  msg.append(":").append(std::to_string(line)).append(":").append(std::to_string(col));
  msg.append(": found byte ").append(hex_byte(static_cast<unsigned char>(text[*bad])));
  msg.append(" that is not UTF-8, expected ").append(expected);
  throw InputError(msg);
}

void require_utf8_string(std::string_view s, std::string_view what) {
  auto bad = first_invalid_utf8(s);
  if (!bad) return;
  std::string msg(what);
  msg.append(": found byte ").append(hex_byte(static_cast<unsigned char>(s[*bad])));
  msg.append(" at byte ").append(std::to_string(*bad + 1)).append(" that is not UTF-8, expected UTF-8 text");
  throw InputError(msg);
}

}  // namespace gm
