// Fuzz target: `guestmem iomem FILE [--e820 FILE] [--kind K] [--at A] [--next N] [--json]` whole
// (analysis/iomem_report.h iomem_command: the UTF-8 rule, the /proc/iomem and e820 readers, the placement
// prediction, the JSON and the text). Input: the iomem text, and after a line "%%" the e820 text; the
// input's length picks the options (so plain /proc/iomem seeds stay what they are). Its documented failure
// is gm::InputError.
#include <optional>
#include <string_view>

#include "analysis/iomem_report.h"
#include "models/errors.h"
#include "tests/fuzz/fuzz_target.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::size_t options = size;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::optional<gm::NamedText> e820;
  if (auto sep = text.find("\n%%\n"); sep != std::string_view::npos) {
    e820 = gm::NamedText{text.substr(sep + 4), "fuzz-e820.txt"};
    text = text.substr(0, sep + 1);
  }
  gm::PlacementRequest req;
  req.kind = options & 1 ? gm::PlacementKind::hotplug : gm::PlacementKind::scratch;
  req.at_boot = (options & 2) != 0;
  req.count = 1 + static_cast<int>((options >> 2) & 3);  // 1..4 placements
  try {
    const gm::IomemCommandOutput out = gm::iomem_command({text, "fuzz-iomem.txt"}, e820, req);
    gm::fuzz::check_json_output(out.json);
    gm::fuzz::check_text_output(out.text);
  } catch (const gm::InputError&) {
  }
  return 0;
}
