// Fuzz target: the /proc/iomem reader (models/iomem_parse.h). Errors come back in the result, never thrown.
#include <string_view>

#include "models/iomem_parse.h"
#include "tests/fuzz/fuzz_target.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const gm::IomemParseResult r = gm::parse_iomem_text(text);
  static_cast<void>(r);
  return 0;
}
