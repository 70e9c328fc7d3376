// `guestmem buddyinfo FILE [--json]`: reads /proc/buddyinfo and prints the kernel's fragmentation
// indexes per zone and order (design §6). Parsing and formulas live in models/, layout in analysis/.
#include <iostream>
#include <memory>

#include "analysis/buddyinfo_report.h"
#include "sim/cli/command.h"
#include "models/errors.h"
#include "sim/scenario/strict_json.h"

namespace gm::cli {
namespace {

struct BuddyinfoArgs {
  std::string file;
  bool json = false;
};

constexpr std::uint64_t kMaxInputBytes = std::uint64_t{64} << 20;

void execute(const BuddyinfoArgs& a) {
  std::vector<std::string> errors;
  auto text = read_input_file(a.file, a.file, kMaxInputBytes, errors);
  if (!text) throw InputError(errors);
  BuddyinfoCommandOutput out = buddyinfo_command(*text, a.file);
  std::cout << (a.json ? out.json : out.text);
}

void add_buddyinfo(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<BuddyinfoArgs>();
  auto* sub = app.add_subcommand(
      "buddyinfo", "Read /proc/buddyinfo and print the kernel's unusable_index and extfrag_index per zone and order");
  sub->add_option("FILE", args->file, "A /proc/buddyinfo copy")->required();
  sub->add_flag("--json", args->json,
                "Print one JSON document: {\"zones\":[{node, zone, free, unusable_index, extfrag_index}]}");
  sub->footer(
      "Reads any number of nodes and zones, one column per order; other lines are skipped. Prints the\n"
      "indexes as the kernel's /sys/kernel/debug/extfrag/{unusable_index,extfrag_index} would\n"
      "(mm/vmstat.c integer arithmetic). unusable_index: share of free memory in blocks too small for\n"
      "the order (1.000 = all of it). extfrag_index: towards 1.000 a failure would be due to\n"
      "fragmentation, towards 0 to lack of memory; -1.000 means a block of that order is free.\n"
      "Compaction of costly orders runs when it exceeds vm.extfrag_threshold (0.500).\n\n"
      "Example:\n"
      "  cat /proc/buddyinfo > buddyinfo.txt\n"
      "  guestmem buddyinfo buddyinfo.txt\n"
      "  guestmem buddyinfo buddyinfo.txt --json\n");
  sub->callback([args, &ctx] {
    execute(*args);
    ctx.exit_code = kExitOk;
  });
}

}  // namespace

GUESTMEM_COMMAND(70, add_buddyinfo);

}  // namespace gm::cli
