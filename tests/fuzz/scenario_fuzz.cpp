// Fuzz target: the scenario loader (sim/scenario/scenario.h load_scenario_text). Its documented failure is
// gm::InputError carrying every problem; anything else escaping is a finding.
#include <filesystem>
#include <string_view>

#include "models/errors.h"
#include "sim/scenario/scenario.h"
#include "tests/fuzz/fuzz_target.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  // Relative file references (e820/iomem/costs files) resolve against the fixtures, so seeds that name
  // tests/data/scenario files reach the readers behind them.
  static const std::filesystem::path base = GUESTMEM_FUZZ_SCENARIO_DIR;
  try {
    const gm::Scenario s = gm::load_scenario_text(text, "fuzz.json", base);
    static_cast<void>(gm::to_json(s));
  } catch (const gm::InputError&) {
  }
  return 0;
}
