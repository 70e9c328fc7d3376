// Fuzz target: a cost file as `run` (costs.file) and `calibrate --base` read it: sim/engine/cost_model.h
// CostModel::from_json_text, then the calibrated cost file `calibrate --out` writes from it
// (analysis/calibration.h calibrated_cost_file, with a fixed fit). Its documented failure is gm::InputError.
#include <string>
#include <string_view>

#include "analysis/calibration.h"
#include "models/errors.h"
#include "sim/engine/cost_model.h"
#include "tests/fuzz/fuzz_target.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const gm::CostModel m = gm::CostModel::from_json_text(text, "fuzz-costs.json");
    static_cast<void>(m.values());
    gm::Calibration c;
    c.hypercall_base_ns = 1500;
    c.per_extent_ns = {{"populate_physmap", 850}, {"decrease_reservation", 320}};
    std::string out;
    try {
      out = gm::calibrated_cost_file(c, text, "fuzz-trace.jsonl");
    } catch (const nlohmann::json::exception&) {
      return 0;  // `calibrate` reports this as exit 2: "found malformed JSON, expected a cost file"
    }
    gm::fuzz::check_json_output(out);
  } catch (const gm::InputError&) {
  }
  return 0;
}
