// Parsers for the e820 text forms (see e820_parse.h). Print formats: arch/x86/kernel/e820.c@v6.12
// (e820__print_table "%s: [mem %#018Lx-%#018Lx] ", e820__range_update "e820: update [mem ...] ",
// old kernels "%s: %016Lx - %016Lx "), xen/arch/x86/e820.c (print_e820_memory_map: " %016Lx - %016Lx"
// before Xen 4.19, " [%016Lx, %016Lx]" after).
#include "models/e820_parse.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <map>
#include <optional>

#include <nlohmann/json.hpp>

namespace gm {
namespace {

// A cursor over one line.
struct Cursor {
  std::string_view s;
  std::size_t i = 0;
  void skip_ws() {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
  }
  bool eat(std::string_view lit) {
    if (s.substr(i, lit.size()) != lit) return false;
    i += lit.size();
    return true;
  }
  std::optional<std::uint64_t> hex() {
    std::size_t j = i;
    if (s.substr(j, 2) == "0x" || s.substr(j, 2) == "0X") j += 2;
    std::uint64_t v = 0;
    auto [p, ec] = std::from_chars(s.data() + j, s.data() + s.size(), v, 16);
    if (ec != std::errc() || p == s.data() + j) return std::nullopt;
    i = static_cast<std::size_t>(p - s.data());
    return v;
  }
  std::string_view rest() const { return s.substr(std::min(i, s.size())); }
};

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

enum class Kind { firmware, user, xen, sysfs, update, remove };

struct Line {
  Kind kind;
  E820Entry entry;
  E820Type new_type = E820Type::ram;  // for update
  int line = 0;
};

struct Scan {
  std::vector<Line> lines;
  std::vector<E820ParseError> errors;
};

std::string found_text(std::string_view rest) {
  rest = trim(rest);
  if (rest.empty()) return "end of line";
  return "\"" + std::string(rest.substr(0, 24)) + "\"";
}

// "[mem 0xA-0xB]" at c; inclusive.
std::optional<AddrRange> mem_range(Cursor& c) {
  c.skip_ws();
  if (!c.eat("[mem ")) return std::nullopt;
  auto a = c.hex();
  if (!a || !c.eat("-")) return std::nullopt;
  auto b = c.hex();
  if (!b || !c.eat("]")) return std::nullopt;
  return AddrRange{PhysAddr{*a}, PhysAddr{*b}};
}

// "A - B" (exclusive end) at c.
std::optional<AddrRange> dash_range(Cursor& c) {
  c.skip_ws();
  auto a = c.hex();
  if (!a) return std::nullopt;
  c.skip_ws();
  if (!c.eat("-")) return std::nullopt;
  c.skip_ws();
  auto b = c.hex();
  if (!b || *b <= *a) return std::nullopt;
  return AddrRange{PhysAddr{*a}, PhysAddr{*b - 1}};
}

// "(TYPE)" or a bare TYPE to the end of the line.
std::optional<E820Type> type_text(std::string_view rest, bool parenthesised) {
  rest = trim(rest);
  if (parenthesised) {
    if (rest.size() < 2 || rest.front() != '(' || rest.back() != ')') return std::nullopt;
    rest = rest.substr(1, rest.size() - 2);
  }
  return e820_type_from_name(rest);
}

void error(Scan& scan, int line, std::size_t col, std::string msg) {
  scan.errors.push_back({line, static_cast<int>(col) + 1, std::move(msg)});
}

// dmesg markers, in the order they are tried.
bool scan_dmesg(std::string_view text, int ln, Scan& scan) {
  struct Marker {
    std::string_view tag;
    Kind kind;
  };
  static constexpr Marker kMarkers[] = {{"BIOS-e820:", Kind::firmware}, {"user:", Kind::user},
                                        {"e820: update", Kind::update}, {"e820: remove", Kind::remove},
                                        {"Xen:", Kind::firmware}};
  for (const auto& m : kMarkers) {
    auto pos = text.find(m.tag);
    if (pos == std::string_view::npos) continue;
    Cursor c{text, pos + m.tag.size()};
    Cursor probe = c;
    probe.skip_ws();
    bool mem_form = probe.rest().substr(0, 5) == "[mem ";
    // "Xen:" and "user:" begin many unrelated messages; only "[mem" makes them a map line.
    if (!mem_form && m.tag != "BIOS-e820:") return false;
    std::optional<AddrRange> r = mem_form ? mem_range(c) : dash_range(c);
    if (!r) {
      c.i = probe.i;  // point at the start of the range
      error(scan, ln, c.i, "found " + found_text(c.rest()) + ", expected \"[mem 0xSTART-0xEND]\" after " +
                               std::string(m.tag));
      return true;
    }
    if (r->end < r->start) {
      error(scan, ln, pos, "found a range ending before it starts, expected START <= END");
      return true;
    }
    std::string_view rest = c.rest();
    Line l{m.kind, {*r, E820Type::ram}, E820Type::ram, ln};
    if (m.kind == Kind::update) {
      auto arrow = rest.find("==>");
      auto from = arrow == std::string_view::npos ? std::nullopt : type_text(rest.substr(0, arrow), false);
      auto to = arrow == std::string_view::npos ? std::nullopt : type_text(rest.substr(arrow + 3), false);
      if (!from || !to) {
        error(scan, ln, c.i, "found " + found_text(rest) + ", expected \"OLD_TYPE ==> NEW_TYPE\"");
        return true;
      }
      l.entry.type = *from;
      l.new_type = *to;
    } else {
      auto t = type_text(rest, !mem_form);
      if (!t) {
        error(scan, ln, c.i, "found " + found_text(rest) + ", expected an e820 type (usable, reserved, ACPI data, ...)");
        return true;
      }
      l.entry.type = *t;
    }
    scan.lines.push_back(l);
    return true;
  }
  return false;
}

bool scan_xen(std::string_view text, int ln, Scan& scan) {
  auto pos = text.find("(XEN)");
  if (pos == std::string_view::npos) return false;
  Cursor c{text, pos + 5};
  c.skip_ws();
  // An optional console timestamp "[...]" without a comma precedes the payload.
  if (c.rest().substr(0, 1) == "[") {
    auto close = c.rest().find(']');
    if (close != std::string_view::npos && c.rest().substr(0, close).find(',') == std::string_view::npos) {
      c.i += close + 1;
      c.skip_ws();
    }
  }
  std::optional<AddrRange> r;
  if (c.eat("[")) {  // [A, B] inclusive (Xen 4.19+)
    auto a = c.hex();
    c.skip_ws();
    if (!a || !c.eat(",")) return false;
    c.skip_ws();
    auto b = c.hex();
    if (!b || !c.eat("]")) return false;
    // Same START <= END rule as the other forms (found while fuzzing tests/fuzz/e820_fuzz).
    if (*b < *a) {
      error(scan, ln, c.i, "found a range ending before it starts, expected START <= END");
      return true;
    }
    r = AddrRange{PhysAddr{*a}, PhysAddr{*b}};
  } else {
    Cursor probe = c;
    auto a = probe.hex();
    // Require the 16-digit zero-padded form so unrelated "(XEN) 1 - 2" lines are not taken.
    if (!a || probe.i - c.i != 16) return false;
    r = dash_range(c);
    if (!r) return false;
  }
  auto t = type_text(c.rest(), true);
  if (!t) {
    error(scan, ln, c.i, "found " + found_text(c.rest()) + ", expected \"(TYPE)\" after a Xen memory-map range");
    return true;
  }
  scan.lines.push_back({Kind::xen, {*r, *t}, E820Type::ram, ln});
  return true;
}

// ".../memmap/N/start:0x..." lines; collected per N.
struct SysfsPart {
  std::optional<std::uint64_t> start, end;
  std::optional<E820Type> type;
  int line = 0;
};

bool scan_sysfs(std::string_view text, int ln, Scan& scan, std::map<long, SysfsPart>& parts) {
  auto pos = text.find("memmap/");
  if (pos != std::string_view::npos) {
    Cursor c{text, pos + 7};
    long n = 0;
    auto [p, ec] = std::from_chars(text.data() + c.i, text.data() + text.size(), n);
    if (ec != std::errc()) return false;
    c.i = static_cast<std::size_t>(p - text.data());
    auto& part = parts[n];
    if (!part.line) part.line = ln;
    if (c.eat("/start:")) {
      part.start = c.hex();
    } else if (c.eat("/end:")) {
      part.end = c.hex();
    } else if (c.eat("/type:")) {
      part.type = e820_type_from_name(c.rest());
      if (!part.type) error(scan, ln, c.i, "found " + found_text(c.rest()) + ", expected a memmap type (System RAM, Reserved, ...)");
    } else {
      return false;
    }
    return true;
  }
  // "0xSTART 0xEND TYPE"
  Cursor c{text, 0};
  c.skip_ws();
  if (c.rest().substr(0, 2) != "0x") return false;
  auto a = c.hex();
  c.skip_ws();
  if (!a || c.rest().substr(0, 2) != "0x") return false;
  auto b = c.hex();
  if (!b) return false;
  auto t = e820_type_from_name(c.rest());
  if (!t) return false;
  if (*b < *a) {
    error(scan, ln, 0, "found a range ending before it starts, expected START <= END");
    return true;
  }
  scan.lines.push_back({Kind::sysfs, {{PhysAddr{*a}, PhysAddr{*b}}, *t}, E820Type::ram, ln});
  return true;
}

std::pair<int, int> line_col(std::string_view text, std::size_t byte) {
  int line = 1, col = 1;
  for (std::size_t i = 0; i < byte && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      col = 1;
    } else {
      ++col;
    }
  }
  return {line, col};
}

std::optional<std::uint64_t> json_addr(const nlohmann::json& v) {
  if (v.is_number_unsigned()) return v.get<std::uint64_t>();
  if (v.is_number_integer() && v.get<std::int64_t>() >= 0) return static_cast<std::uint64_t>(v.get<std::int64_t>());
  if (v.is_string()) {
    Cursor c{v.get_ref<const std::string&>(), 0};
    if (c.s.substr(0, 2) != "0x") return std::nullopt;
    auto h = c.hex();
    if (h && c.i == c.s.size()) return h;
  }
  return std::nullopt;
}

E820ParseResult parse_json(std::string_view text) {
  E820ParseResult res;
  res.form = "json";
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    auto [l, c] = line_col(text, e.byte == 0 ? 0 : e.byte - 1);
    std::string what = e.what();
    auto p = what.find("syntax error");
    res.errors.push_back({l, c, p == std::string::npos ? what : what.substr(p)});
    return res;
  } catch (const nlohmann::json::out_of_range&) {
    // nlohmann reports a number beyond a double ("3e534") as out_of_range 406, not parse_error; it
    // escaped as an exception before (fuzz finding, tests/fuzz/corpus/e820/crash-bed57923-number-overflow).
    res.errors.push_back({0, 0, "found a number beyond the range of a double, expected an address"});
    return res;
  }
  const nlohmann::json* arr = &doc;
  std::string base;
  if (doc.is_object()) {
    if (!doc.contains("entries")) {
      res.errors.push_back({0, 0, "/: found an object without \"entries\", expected {\"entries\": [...]}"});
      return res;
    }
    arr = &doc["entries"];
    base = "/entries";
  }
  if (!arr->is_array()) {
    res.errors.push_back({0, 0, (base.empty() ? "/" : base) + ": found " + std::string(arr->type_name()) +
                                    ", expected an array of {\"start\", \"end\", \"type\"}"});
    return res;
  }
  for (std::size_t i = 0; i < arr->size(); ++i) {
    const auto& e = (*arr)[i];
    std::string path = base + "/" + std::to_string(i);
    if (!e.is_object()) {
      res.errors.push_back({0, 0, path + ": found " + std::string(e.type_name()) + ", expected an object"});
      continue;
    }
    auto s = e.contains("start") ? json_addr(e["start"]) : std::nullopt;
    auto en = e.contains("end") ? json_addr(e["end"]) : std::nullopt;
    std::optional<E820Type> t;
    if (e.contains("type")) {
      if (e["type"].is_string()) t = e820_type_from_name(e["type"].get<std::string>());
      if (e["type"].is_number_unsigned()) t = static_cast<E820Type>(e["type"].get<std::uint32_t>());
    }
    if (!s) res.errors.push_back({0, 0, path + "/start: found " + (e.contains("start") ? e["start"].dump() : "nothing") +
                                            ", expected an address (integer or \"0x...\")"});
    if (!en) res.errors.push_back({0, 0, path + "/end: found " + (e.contains("end") ? e["end"].dump() : "nothing") +
                                             ", expected an inclusive end address (integer or \"0x...\")"});
    if (!t) res.errors.push_back({0, 0, path + "/type: found " + (e.contains("type") ? e["type"].dump() : "nothing") +
                                            ", expected an e820 type (\"usable\", \"reserved\", ... or a code)"});
    if (!s || !en || !t) continue;
    const std::uint64_t sv = s.value(), ev = en.value();
    if (ev < sv)
      res.errors.push_back({0, 0, path + ": found end < start, expected start <= end"});
    else
      res.entries.push_back({{PhysAddr{sv}, PhysAddr{ev}}, t.value()});
  }
  return res;
}

}  // namespace

E820ParseResult parse_e820_text(std::string_view text) {
  std::string_view t = trim(text);
  // JSON: an object, or an array whose first element is an object ("[    0.000000] ..." is a log).
  if (!t.empty() && t.front() == '{') return parse_json(text);
  if (!t.empty() && t.front() == '[') {
    std::string_view after = trim(t.substr(1));
    if (!after.empty() && (after.front() == '{' || after.front() == ']')) return parse_json(text);
  }

  Scan scan;
  std::map<long, SysfsPart> sysfs;
  int ln = 0;
  std::size_t at = 0;
  while (at <= text.size()) {
    auto nl = text.find('\n', at);
    std::string_view line = text.substr(at, nl == std::string_view::npos ? std::string_view::npos : nl - at);
    at = nl == std::string_view::npos ? text.size() + 1 : nl + 1;
    ++ln;
    std::string_view tl = trim(line);
    if (tl.empty() || tl.front() == '#') continue;
    if (scan_dmesg(line, ln, scan)) continue;
    if (scan_xen(line, ln, scan)) continue;
    scan_sysfs(line, ln, scan, sysfs);
  }
  for (auto& [n, p] : sysfs) {
    if (!p.start || !p.end || !p.type) {
      if (!p.type && p.start && p.end) continue;  // a bad type was already reported
      error(scan, p.line, 0, "memmap/" + std::to_string(n) + ": found an incomplete entry, expected start, end and type");
      continue;
    }
    // Found by tests/fuzz/e820_fuzz (corpus/e820/crash-e5eec548-sysfs-end-before-start): the per-file form needs the same
    // START <= END check as the one-line form, or an inverted range reaches the E820 table.
    if (*p.end < *p.start) {
      error(scan, p.line, 0, "memmap/" + std::to_string(n) + ": found end < start, expected start <= end");
      continue;
    }
    scan.lines.push_back({Kind::sysfs, {{PhysAddr{*p.start}, PhysAddr{*p.end}}, *p.type}, E820Type::ram, p.line});
  }

  E820ParseResult res;
  res.errors = std::move(scan.errors);
  // Blocks: maximal runs of one kind in file order; the last block of the best kind is the map.
  auto pick = [&](Kind k) -> std::pair<std::size_t, std::size_t> {
    std::size_t best_b = 0, best_e = 0;
    for (std::size_t i = 0; i < scan.lines.size();) {
      if (scan.lines[i].kind != k) {
        ++i;
        continue;
      }
      std::size_t j = i;
      while (j < scan.lines.size() && scan.lines[j].kind == k) ++j;
      best_b = i;
      best_e = j;
      i = j;
    }
    return {best_b, best_e};
  };
  static constexpr std::pair<Kind, std::string_view> kOrder[] = {
      {Kind::user, "dmesg"}, {Kind::firmware, "dmesg"}, {Kind::xen, "xen"}, {Kind::sysfs, "sysfs"}};
  for (auto [kind, form] : kOrder) {
    auto [b, e] = pick(kind);
    if (b == e) continue;
    res.form = form;
    for (std::size_t i = b; i < e; ++i) res.entries.push_back(scan.lines[i].entry);
    if (kind == Kind::firmware) {  // updates printed after the firmware map modify it
      E820Table table(res.entries);
      table.sanitize();
      for (std::size_t i = e; i < scan.lines.size(); ++i) {
        const auto& l = scan.lines[i];
        if (l.kind == Kind::update) {
          table.update(l.entry.range, l.entry.type, l.new_type);
          ++res.updates_applied;
        } else if (l.kind == Kind::remove) {
          table.remove(l.entry.range, l.entry.type);
          ++res.updates_applied;
        }
      }
      if (res.updates_applied) res.entries = table.entries();
    }
    break;
  }
  return res;
}

}  // namespace gm
