// `guestmem e820` output: see e820_report.h.
#include "analysis/e820_report.h"

#include <cinttypes>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <sstream>
#include <vector>

#include "models/e820.h"
#include "models/e820_parse.h"
#include "models/errors.h"
#include "models/utf8.h"

namespace gm {
namespace {

std::string hex(std::uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%016" PRIx64, v);
  return buf;
}

std::string human(std::uint64_t b) {
  static const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  int u = 0;
  double v = static_cast<double>(b);
  while (v >= 1024 && u < 4) {
    v /= 1024;
    ++u;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, u == 0 ? "%.0f %s" : "%.1f %s", v, units[u]);
  return buf;
}

}  // namespace

E820CommandOutput e820_command(std::string_view text, const std::string& name) {
  require_utf8(text, name);
  E820ParseResult parsed = parse_e820_text(text);
  std::vector<std::string> errors;
  for (const auto& e : parsed.errors)
    errors.push_back(e.line ? name + ":" + std::to_string(e.line) + ":" + std::to_string(e.column) + ": " + e.message
                            : name + ": " + e.message);
  if (!errors.empty()) throw InputError(errors);
  if (parsed.entries.empty())
    throw InputError(name +
                     ": found no e820 entry, expected dmesg lines \"BIOS-e820: [mem 0xA-0xB] TYPE\" (or Xen:/user:), "
                     "Xen lines \"(XEN)  A - B (TYPE)\" / \"(XEN)  [A, B] (TYPE)\", a /sys/firmware/memmap dump or "
                     "guestmem JSON {\"entries\":[...]}");
  E820Table t(parsed.entries);
  t.sanitize();
  E820CommandOutput out;

  nlohmann::json j;
  j["entries"] = nlohmann::json::array();
  for (const auto& e : t.entries())
    j["entries"].push_back({{"start", e.range.start.value}, {"end", e.range.end.value}, {"type", e820_type_name(e.type)}});
  j["total_usable_bytes"] = t.total_usable_bytes().value;
  j["bytes_by_type"] = nlohmann::json::object();
  for (const auto& [type, b] : t.bytes_by_type()) j["bytes_by_type"][type] = b.value;
  j["highest_address"] = t.highest_address()->value;
  j["holes"] = nlohmann::json::array();
  for (const auto& h : t.holes()) j["holes"].push_back({{"start", h.start.value}, {"end", h.end.value}});
  j["form"] = parsed.form;
  out.json = j.dump(2) + "\n";

  std::ostringstream s;
  s << name << ": " << t.entries().size() << " entries (" << parsed.form << " form";
  if (parsed.updates_applied) s << ", " << parsed.updates_applied << " e820 updates applied";
  s << "), sanitized like e820__update_table()\n";
  for (const auto& e : t.entries())
    s << "  [mem " << hex(e.range.start.value) << "-" << hex(e.range.end.value) << "] " << e820_type_name(e.type)
      << "  (" << human(e.range.size().value) << ")\n";
  s << "total usable: " << t.total_usable_bytes().value << " bytes (" << human(t.total_usable_bytes().value) << ")\n";
  for (const auto& [type, b] : t.bytes_by_type()) s << "  " << type << ": " << b.value << " bytes (" << human(b.value) << ")\n";
  s << "highest address: " << hex(t.highest_address()->value) << "\n";
  auto holes = t.holes();
  s << "holes: " << holes.size() << "\n";
  for (const auto& h : holes)
    s << "  [mem " << hex(h.start.value) << "-" << hex(h.end.value) << "]  (" << human(h.size().value) << ")\n";
  out.text = s.str();
  return out;
}

}  // namespace gm
