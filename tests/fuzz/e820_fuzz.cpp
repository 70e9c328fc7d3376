// Fuzz target: `guestmem e820 FILE [--json]` whole (analysis/e820_report.h e820_command: the UTF-8 rule,
// every map form models/e820_parse.h reads, the kernel's sanitizer, the JSON and the text). Its documented
// failure is gm::InputError.
#include <string_view>

#include "analysis/e820_report.h"
#include "models/e820_parse.h"
#include "models/errors.h"
#include "tests/fuzz/fuzz_target.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  // The reader's contract: every entry it returns is a well-formed inclusive range.
  for (const gm::E820Entry& e : gm::parse_e820_text(text).entries) {
    if (e.range.end < e.range.start) __builtin_trap();
  }
  try {
    const gm::E820CommandOutput out = gm::e820_command(text, "fuzz-e820.txt");
    gm::fuzz::check_json_output(out.json);
    gm::fuzz::check_text_output(out.text);
  } catch (const gm::InputError&) {
  }
  return 0;
}
