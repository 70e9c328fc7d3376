// Fuzz target: `guestmem buddyinfo FILE [--json]` whole (analysis/buddyinfo_report.h buddyinfo_command: the
// UTF-8 rule, the /proc/buddyinfo reader, the kernel's index arithmetic, the JSON and the text). Its
// documented failure is gm::InputError.
#include <string_view>

#include "analysis/buddyinfo_report.h"
#include "models/buddyinfo_parse.h"
#include "models/errors.h"
#include "tests/fuzz/fuzz_target.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  // The reader's contract: a zone line carries at least one count.
  for (const gm::BuddyinfoZone& z : gm::parse_buddyinfo(text)) {
    if (z.free.empty()) __builtin_trap();
  }
  try {
    const gm::BuddyinfoCommandOutput out = gm::buddyinfo_command(text, "fuzz-buddyinfo.txt");
    gm::fuzz::check_json_output(out.json);
    gm::fuzz::check_text_output(out.text);
  } catch (const gm::InputError&) {
  }
  return 0;
}
