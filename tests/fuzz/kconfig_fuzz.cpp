// Fuzz target: the Kconfig rule parser and the .config fragment reader (models/kconfig_rules.h). Both
// report errors as a returned line, never by throwing.
#include <string_view>

#include "models/kconfig_rules.h"
#include "tests/fuzz/fuzz_target.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  gm::KconfigRules rules;
  static_cast<void>(rules.add_file("fuzz.kconfig", text));
  // A second file on top of the first exercises redefinition and reverse-dependency merging.
  static_cast<void>(rules.add_file("fuzz2.kconfig", text));
  const gm::KConfigFragment frag = gm::parse_config_fragment("fuzz.config", text);
  static_cast<void>(frag);
  return 0;
}
