// A synthetic hypercall trace with known costs and multiplicative noise, for the calibration tests.
// Portable: mt19937_64 is fully specified and the normal deviates are drawn here (Box-Muller), not
// by std::normal_distribution, whose output differs between standard libraries.
#pragma once

#include <cmath>
#include <cstdint>
#include <random>
#include <string>

namespace gm::test {

struct SyntheticCosts {
  double base_ns = 1500, populate_ns = 850, decrease_ns = 320;
};

// `calls` lines alternating populate/decrease runs; extents 1..512 with half the calls at 1..16 (the
// balloon's small tail batches); ns = (base + per_extent * extents) * (1 + noise * N(0,1)).
inline std::string synthetic_trace(const SyntheticCosts& c, int calls, double noise, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  auto uniform01 = [&] { return (static_cast<double>(rng() >> 11) + 0.5) * 0x1.0p-53; };
  std::string out;
  std::int64_t t = 0;
  for (int i = 0; i < calls; ++i) {
    bool populate = (i / 10) % 2 == 0;
    std::uint64_t extents = i % 2 == 0 ? 1 + rng() % 512 : 1 + rng() % 16;
    double z = std::sqrt(-2.0 * std::log(uniform01())) * std::cos(2.0 * M_PI * uniform01());
    double ns =
        (c.base_ns + (populate ? c.populate_ns : c.decrease_ns) * static_cast<double>(extents)) * (1 + noise * z);
    auto ins = static_cast<std::int64_t>(std::llround(ns));
    out += std::string("{\"kind\":\"") + (populate ? "populate_physmap" : "decrease_reservation") +
           "\",\"domain\":5,\"extents\":" + std::to_string(extents) +
           ",\"order\":0,\"result\":" + std::to_string(extents) + ",\"ns\":" + std::to_string(ins) +
           ",\"start_ns\":" + std::to_string(t) + "}\n";
    t += ins + 1000;
  }
  return out;
}

}  // namespace gm::test
