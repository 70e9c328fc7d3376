// `guestmem iomem` output: see iomem_report.h.
#include "analysis/iomem_report.h"

#include <cinttypes>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <sstream>
#include <vector>

#include "models/e820_parse.h"
#include "models/errors.h"
#include "models/iomem_parse.h"
#include "models/utf8.h"

namespace gm {
namespace {

std::string hex(std::uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%08" PRIx64, v);
  return buf;
}

template <class Err>
void add_errors(std::vector<std::string>& out, const std::string& file, const std::vector<Err>& errors) {
  for (const auto& e : errors)
    out.push_back(e.line ? file + ":" + std::to_string(e.line) + ":" + std::to_string(e.column) + ": " + e.message
                         : file + ": " + e.message);
}

}  // namespace

IomemCommandOutput iomem_command(const NamedText& iomem, const std::optional<NamedText>& e820_in,
                                 const PlacementRequest& req) {
  require_utf8(iomem.text, iomem.name);  // one rule for every input (models/utf8.h)
  if (e820_in) require_utf8(e820_in->text, e820_in->name);
  std::vector<std::string> errors;
  IomemParseResult io = parse_iomem_text(iomem.text);
  add_errors(errors, iomem.name, io.errors);
  if (errors.empty() && io.entries.empty())
    errors.push_back(iomem.name + ": found no resource line, expected /proc/iomem lines \"START-END : NAME\"");
  std::optional<E820Table> e820;
  if (e820_in) {
    E820ParseResult p = parse_e820_text(e820_in->text);
    add_errors(errors, e820_in->name, p.errors);
    if (p.errors.empty() && p.entries.empty())
      errors.push_back(e820_in->name + ": found no e820 entry, expected a map `guestmem e820` reads");
    e820 = E820Table(p.entries);
    e820->sanitize();
  }
  if (!errors.empty()) throw InputError(errors);

  const PlacementPrediction pred = predict_placements(io.entries, e820, req);
  const std::string kind = req.kind == PlacementKind::hotplug ? "hotplug" : "scratch";
  IomemCommandOutput out;

  nlohmann::json j;
  j["kind"] = kind;
  j["at"] = req.at_boot ? "boot" : "now";
  j["size_bytes"] = req.size.value;
  j["align_bytes"] = req.align.value;
  j["e820_source"] = pred.e820_source;
  j["requested"] = req.count;
  j["complete"] = static_cast<int>(pred.placements.size()) == req.count;
  j["placements"] = nlohmann::json::array();
  for (const auto& p : pred.placements) {
    nlohmann::json o{{"name", p.name}, {"start", p.range.start.value}, {"end", p.range.end.value}};
    o["overlaps"] = nlohmann::json::array();
    for (const auto& e : p.overlaps)
      o["overlaps"].push_back(
          {{"name", e.name}, {"start", e.range.start.value}, {"end", e.range.end.value}, {"depth", e.depth}});
    j["placements"].push_back(o);
  }
  out.json = j.dump(2) + "\n";

  std::ostringstream s;
  s << "Next " << req.count << " \"" << (req.kind == PlacementKind::scratch ? "Xen scratch" : "System RAM")
    << "\" range(s) of 128 MiB, 128 MiB-aligned, first fit over top-level gaps"
    << (req.at_boot ? " of the early-boot tree" : " of " + iomem.name) << ", e820 clip from "
    << (pred.e820_source == "file" && e820_in ? e820_in->name : iomem.name + " (e820-named lines)") << ":\n";
  int i = 0;
  for (const auto& p : pred.placements) {
    s << "  #" << ++i << " [mem " << hex(p.range.start.value) << "-" << hex(p.range.end.value) << "]";
    if (p.overlaps.empty()) {
      s << "  overlaps nothing in " << iomem.name << "\n";
      continue;
    }
    s << "  overlaps:\n";
    for (const auto& e : p.overlaps)
      s << "      " << std::string(static_cast<std::size_t>(e.depth) * 2, ' ') << hex(e.range.start.value) << "-"
        << hex(e.range.end.value) << " : " << e.name << "\n";
  }
  if (pred.stopped != Errno::ok) s << "  no room for #" << i + 1 << ": allocate_resource() would fail with -EBUSY\n";
  out.text = s.str();
  return out;
}

}  // namespace gm
