// The libFuzzer entry point every tests/fuzz/<name>_fuzz.cpp defines; the replay driver calls it too.
#pragma once

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string_view>

#include "models/utf8.h"

// Contract: feeds one input to one command, from its parser through its model to every output format it
// writes; returns 0. Documented input errors (gm::InputError, error lists in a parse result) are normal
// outcomes; anything else (a crash, a sanitizer report, an unexpected exception escaping, an output that
// is not valid UTF-8 or, for a JSON output, not valid JSON) is a finding.
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace gm::fuzz {

// Every output a command writes is UTF-8 (models/utf8.h: non-UTF-8 input is refused at the edge).
inline void check_text_output(std::string_view out) {
  if (first_invalid_utf8(out)) __builtin_trap();
}

// ... and every JSON output is one valid JSON document.
inline void check_json_output(std::string_view out) {
  check_text_output(out);
  if (!nlohmann::json::accept(out)) __builtin_trap();
}

}  // namespace gm::fuzz
