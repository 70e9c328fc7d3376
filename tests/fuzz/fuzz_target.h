// The libFuzzer entry point every tests/fuzz/<name>_fuzz.cpp defines; the replay driver calls it too.
#pragma once

#include <cstddef>
#include <cstdint>

// Contract: feeds one input to one parser; returns 0. Documented parse errors (gm::InputError, error
// lists in the parse result) are normal outcomes; anything else (a crash, a sanitizer report, an
// unexpected exception escaping) is a finding.
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);
