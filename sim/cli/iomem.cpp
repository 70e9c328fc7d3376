// `guestmem iomem FILE [--e820 FILE] [--next N] [--json]`: reads /proc/iomem (as root) and predicts
// where the next N "Xen scratch" sections or balloon hot-add blocks land by the kernel's first-fit
// rule, and which existing windows or BARs each would overlap (design §6). Logic: models/iomem_*; output:
// analysis/iomem_report.
#include <iostream>
#include <memory>
#include <optional>

#include "analysis/iomem_report.h"
#include "models/errors.h"
#include "sim/cli/command.h"
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

std::string text_of(const std::string& file) {
  std::vector<std::string> errors;
  auto t = read_input_file(file, file, kMaxInputBytes, errors);
  if (!t) throw InputError(errors);
  return *t;
}

void execute(const IomemArgs& a) {
  const std::string iomem = text_of(a.file);
  std::optional<std::string> e820;
  if (!a.e820_file.empty()) e820 = text_of(a.e820_file);
  PlacementRequest req;
  req.kind = a.kind == "hotplug" ? PlacementKind::hotplug : PlacementKind::scratch;
  req.count = a.next;
  req.at_boot = a.at == "boot";
  IomemCommandOutput out = iomem_command({iomem, a.file},
                                         e820 ? std::optional<NamedText>(NamedText{*e820, a.e820_file}) : std::nullopt,
                                         req);
  std::cout << (a.json ? out.json : out.text);
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
