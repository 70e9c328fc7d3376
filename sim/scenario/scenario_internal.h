// Pieces shared by the scenario loader's files (not a public interface).
#pragma once

#include <array>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "sim/scenario/scenario.h"

namespace gm::scenario_detail {

inline constexpr std::array<std::string_view, 5> kArchNames{"x86_64", "i386", "arm64", "arm", "riscv64"};
inline constexpr std::array<std::string_view, 3> kGuestTypeNames{"pv", "pvh", "hvm"};
inline constexpr std::array<std::string_view, 2> kFirmwareNames{"dt", "acpi"};
inline constexpr std::array<std::string_view, 6> kExpectNames{"no_enomem",          "no_guest_crash", "guest_crash",
                                                              "effective_strategy", "metric_max",     "metric_min"};
inline constexpr std::array<std::string_view, 5> kFaultNames{"populate_physmap", "decrease_reservation", "pgmap_alloc",
                                                             "p2m_alloc", "memremap"};
inline constexpr std::array<std::string_view, 7> kCallerKindNames{"gntdev", "blkback", "netback",  "privcmd",
                                                                  "xenbus", "pvh_grant_frames", "drm_front"};
inline constexpr std::array<std::string_view, 4> kArrivalNames{"poisson", "periodic", "burst", "once"};
inline constexpr std::array<std::string_view, 4> kDistributionNames{"fixed", "uniform", "lognormal", "choice"};
inline constexpr std::array<std::string_view, 2> kPciKindNames{"window", "bar"};

template <class E, std::size_t N>
E enum_from(const std::array<std::string_view, N>& names, std::string_view name, E fallback) {
  for (std::size_t i = 0; i < N; ++i)
    if (names[i] == name) return static_cast<E>(i);
  return fallback;
}

// Error collection while loading one file.
struct LoadContext {
  std::string name;                 // display name that prefixes every line
  std::filesystem::path base_dir;   // relative paths are resolved against it
  std::vector<std::string> errors;
  std::set<std::string> failed;     // JSON paths whose value was rejected (semantic checks skip them)

  void error(const std::string& path, const std::string& found, const std::string& expected) {
    errors.push_back(name + ": " + (path.empty() ? "/" : path) + ": found " + found + ", expected " + expected);
    failed.insert(path);
  }
  bool ok(const std::string& path) const { return !failed.count(path); }
};

// A short description of a JSON value for "found X".
std::string describe(const nlohmann::json& v);

// Walks the input by the parameter table: unknown keys, types, ranges, required fields; fills defaults.
nlohmann::json normalize_scenario(const nlohmann::json& input, LoadContext& ctx);
// Builds the typed scenario from normalized JSON (tolerates nulls left by rejected values).
Scenario bind_scenario(const nlohmann::json& normalized, const std::filesystem::path& base_dir);
// Rules between fields: maxmem >= memory, start < stop <= duration, ranges fit the address space, ...
void check_semantics(const Scenario& s, LoadContext& ctx);

}  // namespace gm::scenario_detail
