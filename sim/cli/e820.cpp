// `guestmem e820 FILE [--json]`: reads a memory map in any of the forms models/e820_parse.h accepts,
// sanitizes it like e820__update_table() and prints the table, totals and holes (design §6).
#include <iostream>
#include <memory>

#include "analysis/e820_report.h"
#include "models/errors.h"
#include "sim/cli/command.h"
#include "sim/scenario/strict_json.h"

namespace gm::cli {
namespace {

constexpr std::uint64_t kMaxInputBytes = std::uint64_t{64} << 20;

struct E820Args {
  std::string file;
  bool json = false;
};

void execute(const E820Args& a) {
  std::vector<std::string> errors;
  auto text = read_input_file(a.file, a.file, kMaxInputBytes, errors);
  if (!text) throw InputError(errors);
  E820CommandOutput out = e820_command(*text, a.file);
  std::cout << (a.json ? out.json : out.text);
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
