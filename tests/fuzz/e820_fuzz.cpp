// Fuzz target: the e820 map reader (models/e820_parse.h). Errors come back in the result, never thrown.
#include <string_view>

#include "models/e820_parse.h"
#include "tests/fuzz/fuzz_target.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const gm::E820ParseResult r = gm::parse_e820_text(text);
  // Every entry the reader returns must be a well-formed inclusive range.
  for (const gm::E820Entry& e : r.entries) {
    if (e.range.end < e.range.start) __builtin_trap();
  }
  return 0;
}
