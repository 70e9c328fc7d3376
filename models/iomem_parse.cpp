// /proc/iomem as kernel/resource.c@v6.12 r_show() prints it; zeroed ranges for readers without
// CAP_SYS_ADMIN (iomem_is_exclusive / r_show: "if (!capable) start = end = 0").
#include "models/iomem_parse.h"

#include <charconv>

namespace gm {

IomemParseResult parse_iomem_text(std::string_view text) {
  IomemParseResult res;
  std::vector<AddrRange> parents;  // the open range at each depth
  int ln = 0;
  bool any_nonzero = false;
  std::size_t at = 0;
  while (at <= text.size()) {
    auto nl = text.find('\n', at);
    std::string_view line = text.substr(at, nl == std::string_view::npos ? std::string_view::npos : nl - at);
    at = nl == std::string_view::npos ? text.size() + 1 : nl + 1;
    ++ln;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    std::size_t indent = 0;
    while (indent < line.size() && line[indent] == ' ') ++indent;
    std::string_view body = line.substr(indent);
    if (body.empty() || body.front() == '#') continue;
    auto err = [&](std::size_t col, std::string msg) {
      res.errors.push_back({ln, static_cast<int>(col) + 1, std::move(msg)});
    };
    std::uint64_t a = 0, b = 0;
    const char* p = body.data();
    const char* end = body.data() + body.size();
    auto r1 = std::from_chars(p, end, a, 16);
    if (r1.ec != std::errc() || r1.ptr == end || *r1.ptr != '-') {
      err(indent, "found \"" + std::string(body.substr(0, 24)) + "\", expected \"START-END : NAME\" (hex addresses)");
      continue;
    }
    auto r2 = std::from_chars(r1.ptr + 1, end, b, 16);
    std::string_view rest(r2.ptr, static_cast<std::size_t>(end - r2.ptr));
    if (r2.ec != std::errc() || rest.substr(0, 3) != " : " || rest.size() <= 3) {
      err(indent + static_cast<std::size_t>(r2.ptr - p),
          "found \"" + std::string(rest.substr(0, 24)) + "\", expected \" : NAME\" after the range");
      continue;
    }
    // A zero-size resource (end == start - 1, resource_size() == 0) is printed as it is kept.
    if (b < a && b + 1 != a) {
      err(indent, "found a range ending before it starts, expected START <= END (or END = START - 1 for a "
                  "zero-size resource)");
      continue;
    }
    if (indent % 2) {
      err(0, "found an indent of " + std::to_string(indent) + " spaces, expected a multiple of 2");
      continue;
    }
    int depth = static_cast<int>(indent / 2);
    if (depth > static_cast<int>(parents.size())) {
      err(0, "found indent depth " + std::to_string(depth) + ", expected at most " + std::to_string(parents.size()) +
                 " (one level deeper than the line above)");
      continue;
    }
    AddrRange r{PhysAddr{a}, PhysAddr{b}};
    parents.resize(static_cast<std::size_t>(depth));
    if (a || b) any_nonzero = true;
    if (depth > 0 && (a || b) && !(parents.back().start <= r.start && r.end <= parents.back().end)) {
      err(indent, "found a range outside its parent, expected it inside the line it is indented under");
      continue;
    }
    parents.push_back(r);
    res.entries.push_back({std::string(rest.substr(3)), r, depth});
  }
  if (!res.entries.empty() && !any_nonzero && res.errors.empty()) {
    res.errors.push_back({0, 0,
                          "found every address zero, expected real addresses: /proc/iomem hides them from "
                          "readers without CAP_SYS_ADMIN; read it as root (sudo cat /proc/iomem > FILE)"});
    res.entries.clear();
  }
  return res;
}

}  // namespace gm
