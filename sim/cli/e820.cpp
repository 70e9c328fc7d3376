// `guestmem e820 FILE [--json]`: reads a memory map in any of the forms models/e820_parse.h accepts,
// sanitizes it like e820__update_table() and prints the table, totals and holes (design §6).
#include <cinttypes>
#include <cstdio>
#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "models/e820.h"
#include "models/e820_parse.h"
#include "sim/cli/command.h"
#include "models/errors.h"
#include "sim/scenario/strict_json.h"

namespace gm::cli {
namespace {

constexpr std::uint64_t kMaxInputBytes = std::uint64_t{64} << 20;

struct E820Args {
  std::string file;
  bool json = false;
};

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

void execute(const E820Args& a) {
  std::vector<std::string> errors;
  auto text = read_input_file(a.file, a.file, kMaxInputBytes, errors);
  if (!text) throw InputError(errors);
  E820ParseResult parsed = parse_e820_text(*text);
  for (const auto& e : parsed.errors)
    errors.push_back(e.line ? a.file + ":" + std::to_string(e.line) + ":" + std::to_string(e.column) + ": " + e.message
                            : a.file + ": " + e.message);
  if (!errors.empty()) throw InputError(errors);
  if (parsed.entries.empty())
    throw InputError(a.file +
                     ": found no e820 entry, expected dmesg lines \"BIOS-e820: [mem 0xA-0xB] TYPE\" (or Xen:/user:), "
                     "Xen lines \"(XEN)  A - B (TYPE)\" / \"(XEN)  [A, B] (TYPE)\", a /sys/firmware/memmap dump or "
                     "guestmem JSON {\"entries\":[...]}");
  E820Table t(parsed.entries);
  t.sanitize();
  if (a.json) {
    nlohmann::json j;
    j["entries"] = nlohmann::json::array();
    for (const auto& e : t.entries())
      j["entries"].push_back({{"start", e.range.start.value}, {"end", e.range.end.value}, {"type", e820_type_name(e.type)}});
    j["total_usable_bytes"] = t.total_usable_bytes().value;
    j["bytes_by_type"] = nlohmann::json::object();
    for (const auto& [name, b] : t.bytes_by_type()) j["bytes_by_type"][name] = b.value;
    j["highest_address"] = t.highest_address()->value;
    j["holes"] = nlohmann::json::array();
    for (const auto& h : t.holes()) j["holes"].push_back({{"start", h.start.value}, {"end", h.end.value}});
    j["form"] = parsed.form;
    std::cout << j.dump(2) << '\n';
    return;
  }
  std::cout << a.file << ": " << t.entries().size() << " entries (" << parsed.form << " form";
  if (parsed.updates_applied) std::cout << ", " << parsed.updates_applied << " e820 updates applied";
  std::cout << "), sanitized like e820__update_table()\n";
  for (const auto& e : t.entries())
    std::cout << "  [mem " << hex(e.range.start.value) << "-" << hex(e.range.end.value) << "] "
              << e820_type_name(e.type) << "  (" << human(e.range.size().value) << ")\n";
  std::cout << "total usable: " << t.total_usable_bytes().value << " bytes (" << human(t.total_usable_bytes().value)
            << ")\n";
  for (const auto& [name, b] : t.bytes_by_type())
    std::cout << "  " << name << ": " << b.value << " bytes (" << human(b.value) << ")\n";
  std::cout << "highest address: " << hex(t.highest_address()->value) << "\n";
  auto holes = t.holes();
  std::cout << "holes: " << holes.size() << "\n";
  for (const auto& h : holes)
    std::cout << "  [mem " << hex(h.start.value) << "-" << hex(h.end.value) << "]  (" << human(h.size().value) << ")\n";
}

void add_e820(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<E820Args>();
  auto* sub = app.add_subcommand("e820", "Read an e820 memory map, sanitize it like the kernel, print table and totals");
  sub->add_option("FILE", args->file, "A dmesg/Xen log, a /sys/firmware/memmap dump or guestmem JSON")->required();
  sub->add_flag("--json", args->json,
                "Print one JSON document: {entries:[{start,end,type}], total_usable_bytes, bytes_by_type, "
                "highest_address, holes:[{start,end}]} (ends inclusive)");
  sub->footer(
      "Accepted forms (see docs/address-space.md): dmesg \"BIOS-e820: [mem 0xA-0xB] TYPE\", \"Xen: [mem ...]\",\n"
      "\"user: [mem ...]\" with any prefix (\"e820: update/remove\" lines are applied); Xen's own \"(XEN)  A - B (TYPE)\"\n"
      "(end exclusive) and \"(XEN)  [A, B] (TYPE)\" (inclusive); `grep . /sys/firmware/memmap/*/*` output or\n"
      "\"0xSTART 0xEND TYPE\" lines; guestmem JSON. Overlaps resolve to the greater type code, adjacent entries of\n"
      "one type merge; totals are raw bytes.\n\n"
      "Example:\n"
      "  dmesg | grep -E 'BIOS-e820|e820: (update|remove)' > map.txt\n"
      "  guestmem e820 map.txt\n"
      "  xl dmesg | grep -A40 'e820 RAM map' > xen-map.txt && guestmem e820 xen-map.txt --json");
  sub->callback([args, &ctx] {
    execute(*args);
    ctx.exit_code = kExitOk;
  });
}

}  // namespace

GUESTMEM_COMMAND(50, add_e820);

}  // namespace gm::cli
