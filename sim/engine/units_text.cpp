#include "sim/engine/units_text.h"

#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <utility>

namespace gm {
namespace {

struct Unit {
  std::string_view name;
  std::uint64_t factor;
};

constexpr std::array kSizeUnits{Unit{"B", 1}, Unit{"KiB", 1ull << 10}, Unit{"MiB", 1ull << 20},
                                Unit{"GiB", 1ull << 30}, Unit{"TiB", 1ull << 40}};
constexpr std::array kTimeUnits{Unit{"ns", 1}, Unit{"us", 1000}, Unit{"ms", 1000000}, Unit{"s", 1000000000},
                                Unit{"min", 60000000000ull}, Unit{"h", 3600000000000ull}};

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

template <std::size_t N>
UnitParse parse_with(std::string_view text, const std::array<Unit, N>& units, std::string_view what,
                     bool need_whole) {
  std::string accepted;
  for (auto& u : units) accepted += (accepted.empty() ? "" : ", ") + std::string(u.name);
  text = trim(text);
  std::size_t i = 0;
  while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.')) ++i;
  std::string_view number = text.substr(0, i);
  std::string_view unit = trim(text.substr(i));
  if (!text.empty() && text.front() == '-') return {std::nullopt, "a negative " + std::string(what)};
  if (number.empty()) return {std::nullopt, "a " + std::string(what) + " such as \"4 GiB\" (units: " + accepted + ")"};
  const Unit* found = nullptr;
  for (auto& u : units)
    if (u.name == unit) found = &u;
  if (!found) {
    if (unit.empty())
      return {std::nullopt, "a unit after the number (" + accepted + ")"};
    return {std::nullopt, "a known unit, not \"" + std::string(unit) + "\" (" + accepted + ")"};
  }
  if (number.find('.') == std::string_view::npos) {
    std::uint64_t v = 0;
    auto [p, ec] = std::from_chars(number.data(), number.data() + number.size(), v);
    if (ec != std::errc{} || p != number.data() + number.size()) return {std::nullopt, "a number below 2^64"};
    if (v != 0 && found->factor > UINT64_MAX / v) return {std::nullopt, "a " + std::string(what) + " below 2^64"};
    return {v * found->factor, {}};
  }
  double d = 0;
  auto [p, ec] = std::from_chars(number.data(), number.data() + number.size(), d);
  if (ec != std::errc{} || p != number.data() + number.size() || !std::isfinite(d))
    return {std::nullopt, "a decimal number"};
  long double scaled = static_cast<long double>(d) * static_cast<long double>(found->factor);
  if (scaled >= 18446744073709551615.0L) return {std::nullopt, "a " + std::string(what) + " below 2^64"};
  if (need_whole && std::floor(scaled) != scaled) return {std::nullopt, "a whole number of bytes"};
  return {static_cast<std::uint64_t>(std::llround(static_cast<double>(scaled))), {}};
}

template <std::size_t N>
std::string format_with(std::uint64_t v, const std::array<Unit, N>& units) {
  for (std::size_t k = N; k-- > 0;)
    if (v != 0 && v % units[k].factor == 0) return std::to_string(v / units[k].factor) + " " + std::string(units[k].name);
  return std::to_string(v) + " " + std::string(units[0].name);
}

}  // namespace

UnitParse parse_size(std::string_view text) { return parse_with(text, kSizeUnits, "size", true); }
UnitParse parse_duration(std::string_view text) { return parse_with(text, kTimeUnits, "duration", false); }
std::string format_size(Bytes b) { return format_with(b.value, kSizeUnits); }
std::string format_duration(SimTime t) { return format_with(static_cast<std::uint64_t>(t.ns), kTimeUnits); }

}  // namespace gm
