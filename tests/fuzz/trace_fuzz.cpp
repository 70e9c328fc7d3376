// Fuzz target: the hypercall trace reader behind `calibrate` (analysis/calibration.h parse_hypercall_trace).
// Its documented failure is gm::InputError listing every bad line; anything else escaping is a finding.
#include <string_view>

#include "analysis/calibration.h"
#include "models/errors.h"
#include "tests/fuzz/fuzz_target.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const std::vector<gm::TraceCall> calls = gm::parse_hypercall_trace(text, "fuzz-trace.jsonl");
    for (const gm::TraceCall& c : calls) {
      if (c.ns < 0) __builtin_trap();  // the reader refuses negative durations
    }
  } catch (const gm::InputError&) {
  }
  return 0;
}
