// `guestmem iomem FILE [--e820 FILE] [--next N] [--json]`: reads /proc/iomem (as root) and predicts
// where the next N "Xen scratch" sections or balloon hot-add blocks land by the kernel's first-fit
// rule, and which existing windows or BARs each would overlap (design §6). Logic: models/iomem_*.
#include <cinttypes>
#include <cstdio>
#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "models/e820_parse.h"
#include "models/iomem_parse.h"
#include "models/iomem_predict.h"
#include "sim/cli/command.h"
#include "models/errors.h"
#include "sim/scenario/strict_json.h"

namespace gm::cli {
namespace {

constexpr std::uint64_t kMaxInputBytes = std::uint64_t{64} << 20;

struct IomemArgs {
  std::string file;
  std::string e820_file;
  int next = 1;
  std::string kind = "scratch";
  std::string at = "now";
  bool json = false;
};

std::string hex(std::uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%08" PRIx64, v);
  return buf;
}

std::string text_of(const std::string& file, std::vector<std::string>& errors) {
  auto t = read_input_file(file, file, kMaxInputBytes, errors);
  if (!t) throw InputError(errors);
  return *t;
}

void execute(const IomemArgs& a) {
  std::vector<std::string> errors;
  IomemParseResult io = parse_iomem_text(text_of(a.file, errors));
  for (const auto& e : io.errors)
    errors.push_back(e.line ? a.file + ":" + std::to_string(e.line) + ":" + std::to_string(e.column) + ": " + e.message
                            : a.file + ": " + e.message);
  if (errors.empty() && io.entries.empty())
    errors.push_back(a.file + ": found no resource line, expected /proc/iomem lines \"START-END : NAME\"");
  std::optional<E820Table> e820;
  if (!a.e820_file.empty()) {
    E820ParseResult p = parse_e820_text(text_of(a.e820_file, errors));
    for (const auto& e : p.errors)
      errors.push_back(e.line ? a.e820_file + ":" + std::to_string(e.line) + ":" + std::to_string(e.column) + ": " +
                                    e.message
                              : a.e820_file + ": " + e.message);
    if (p.errors.empty() && p.entries.empty())
      errors.push_back(a.e820_file + ": found no e820 entry, expected a map `guestmem e820` reads");
    e820 = E820Table(p.entries);
    e820->sanitize();
  }
  if (!errors.empty()) throw InputError(errors);

  PlacementRequest req;
  req.kind = a.kind == "hotplug" ? PlacementKind::hotplug : PlacementKind::scratch;
  req.count = a.next;
  req.at_boot = a.at == "boot";
  PlacementPrediction pred = predict_placements(io.entries, e820, req);

  if (a.json) {
    nlohmann::json j;
    j["kind"] = a.kind;
    j["at"] = a.at;
    j["size_bytes"] = req.size.value;
    j["align_bytes"] = req.align.value;
    j["e820_source"] = pred.e820_source;
    j["requested"] = a.next;
    j["complete"] = static_cast<int>(pred.placements.size()) == a.next;
    j["placements"] = nlohmann::json::array();
    for (const auto& p : pred.placements) {
      nlohmann::json o{{"name", p.name}, {"start", p.range.start.value}, {"end", p.range.end.value}};
      o["overlaps"] = nlohmann::json::array();
      for (const auto& e : p.overlaps)
        o["overlaps"].push_back({{"name", e.name}, {"start", e.range.start.value}, {"end", e.range.end.value},
                                 {"depth", e.depth}});
      j["placements"].push_back(o);
    }
    std::cout << j.dump(2) << '\n';
    return;
  }
  std::cout << "Next " << a.next << " \"" << (req.kind == PlacementKind::scratch ? "Xen scratch" : "System RAM")
            << "\" range(s) of 128 MiB, 128 MiB-aligned, first fit over top-level gaps"
            << (req.at_boot ? " of the early-boot tree" : " of " + a.file) << ", e820 clip from "
            << (pred.e820_source == "file" ? a.e820_file : a.file + " (e820-named lines)") << ":\n";
  int i = 0;
  for (const auto& p : pred.placements) {
    std::cout << "  #" << ++i << " [mem " << hex(p.range.start.value) << "-" << hex(p.range.end.value) << "]";
    if (p.overlaps.empty()) {
      std::cout << "  overlaps nothing in " << a.file << "\n";
      continue;
    }
    std::cout << "  overlaps:\n";
    for (const auto& e : p.overlaps)
      std::cout << "      " << std::string(static_cast<std::size_t>(e.depth) * 2, ' ') << hex(e.range.start.value)
                << "-" << hex(e.range.end.value) << " : " << e.name << "\n";
  }
  if (pred.stopped != Errno::ok)
    std::cout << "  no room for #" << i + 1 << ": allocate_resource() would fail with -EBUSY\n";
}

void add_iomem(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<IomemArgs>();
  auto* sub = app.add_subcommand(
      "iomem", "Read /proc/iomem and predict where the next Xen scratch sections or hot-add blocks would land");
  sub->add_option("FILE", args->file, "A /proc/iomem copy read as root (non-root reads show zeros)")->required();
  sub->add_option("--e820", args->e820_file, "The e820 map (any form `guestmem e820` reads) for the x86 clip");
  sub->add_option("--next", args->next, "How many placements to predict")->check(CLI::Range(1, 4096));
  sub->add_option("--kind", args->kind, "scratch (unpopulated-alloc fill_list) or hotplug (balloon hot-add)")
      ->check(CLI::IsMember({"scratch", "hotplug"}));
  sub->add_option("--at", args->at,
                  "now: against FILE as it is; boot: against the early-boot tree (e820 entries do_mark_busy inserts "
                  "early, no Reserved, no PCI windows), reporting what FILE now has there")
      ->check(CLI::IsMember({"now", "boot"}));
  sub->add_flag("--json", args->json,
                "Print one JSON document: {kind, at, size_bytes, align_bytes, e820_source, requested, complete, "
                "placements:[{name,start,end,overlaps:[{name,start,end,depth}]}]}");
  sub->footer(
      "The rule (kernel/resource.c, arch/x86/kernel/resource.c): allocate_resource() takes the first gap between\n"
      "the root's direct children that still holds an aligned 128 MiB range after clipping the BIOS ROM and every\n"
      "e820 entry (keeping the larger side). Space inside a PCI window is never chosen, but at early boot the\n"
      "windows do not exist yet: --at boot shows what a scratch range taken then overlaps today.\n\n"
      "Example:\n"
      "  sudo cat /proc/iomem > iomem.txt; dmesg | grep BIOS-e820 > e820.txt\n"
      "  guestmem iomem iomem.txt --e820 e820.txt --next 2 --at boot");
  sub->callback([args, &ctx] {
    execute(*args);
    ctx.exit_code = kExitOk;
  });
}

}  // namespace

GUESTMEM_COMMAND(60, add_iomem);

}  // namespace gm::cli
