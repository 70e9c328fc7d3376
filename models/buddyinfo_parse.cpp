// /proc/buddyinfo reader: see buddyinfo_parse.h. The kernel prints each line with
// "Node %d, zone %8s " and "%6lu " per order (mm/vmstat.c@v6.12 frag_show_print).
#include "models/buddyinfo_parse.h"

#include <cctype>
#include <charconv>
#include <optional>

namespace gm {

namespace {

std::vector<std::string_view> split_ws(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    std::size_t j = i;
    while (j < s.size() && !std::isspace(static_cast<unsigned char>(s[j]))) ++j;
    if (j > i) out.push_back(s.substr(i, j - i));
    i = j;
  }
  return out;
}

template <class T>
std::optional<T> parse_number(std::string_view s) {
  T v{};
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || p != s.data() + s.size()) return std::nullopt;
  return v;
}

std::optional<BuddyinfoZone> parse_line(std::string_view line) {
  auto tok = split_ws(line);
  // "Node" "0," "zone" "NAME" counts...
  if (tok.size() < 5 || tok[0] != "Node" || tok[2] != "zone" || tok[1].empty() || tok[1].back() != ',')
    return std::nullopt;
  auto node = parse_number<int>(tok[1].substr(0, tok[1].size() - 1));
  if (!node) return std::nullopt;
  BuddyinfoZone z;
  z.node = *node;
  z.zone = std::string(tok[3]);
  for (std::size_t i = 4; i < tok.size(); ++i) {
    auto n = parse_number<std::uint64_t>(tok[i]);
    if (!n) return std::nullopt;
    z.free.push_back(*n);
  }
  return z;
}

}  // namespace

std::vector<BuddyinfoZone> parse_buddyinfo(std::string_view text) {
  std::vector<BuddyinfoZone> zones;
  int line_no = 0;
  while (!text.empty()) {
    std::size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    ++line_no;
    if (auto z = parse_line(line)) {
      z->line = line_no;
      zones.push_back(std::move(*z));
    }
  }
  return zones;
}

}  // namespace gm
