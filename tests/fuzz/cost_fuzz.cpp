// Fuzz target: the cost file reader (sim/cost_model.h CostModel::from_json_text). Its documented failure
// is gm::InputError with the JSON path; anything else escaping is a finding.
#include <string_view>

#include "sim/cost_model.h"
#include "models/errors.h"
#include "tests/fuzz/fuzz_target.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const gm::CostModel m = gm::CostModel::from_json_text(text, "fuzz-costs.json");
    static_cast<void>(m.values());
  } catch (const gm::InputError&) {
  }
  return 0;
}
