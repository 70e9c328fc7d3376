// Fuzz target: the scenario loader (sim/scenario/scenario.h load_scenario_text) through to the JSON every
// command writes from it (`validate --json`, the "scenario" of report.json and compare.json: to_json dumped).
// Its documented failure is gm::InputError carrying every problem; anything else escaping is a finding.
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
    gm::fuzz::check_json_output(gm::to_json(s).dump(2));
  } catch (const gm::InputError&) {
  }
  return 0;
}
