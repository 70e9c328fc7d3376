// Fuzz target: the /proc/buddyinfo reader (models/buddyinfo_parse.h). Never throws: unreadable lines are skipped.
#include <string_view>

#include "models/buddyinfo_parse.h"
#include "tests/fuzz/fuzz_target.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::vector<gm::BuddyinfoZone> zones = gm::parse_buddyinfo(text);
  // The contract: a zone line carries at least one count.
  for (const gm::BuddyinfoZone& z : zones) {
    if (z.free.empty()) __builtin_trap();
  }
  return 0;
}
