// plan.json: what a sweep runs (points x strategies x seeds) and where each run's results go. Written by
// `guestmem sweep` (run or --emit) into the sweep directory; read by `guestmem collect` and by a rerun.
#pragma once

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace gm {

inline constexpr int kSweepPlanSchemaVersion = 1;

// One axis of the grid as the plan records it: the JSON pointer it sets in the base scenario, and the
// axis it varies together with (zip), if any.
struct SweepPlanAxis {
  std::string pointer;
  std::optional<std::size_t> zip_with;  // index of an earlier axis; nullopt: crossed with the others
  std::string unit;                     // "bytes" or "ns" when every value is a size/duration; "" otherwise
};

// One point of the grid: the value of every axis, its number (bytes, ns, or the JSON number) when it has
// one, and the point's scenario file, relative to the sweep directory.
struct SweepPlanPoint {
  std::vector<nlohmann::json> values;          // per axis
  std::vector<std::optional<double>> numbers;  // per axis
  std::string scenario;                        // "points/HASH.json"
};

// One run: point x strategy x seed, in the directory named by the hash of its resolved scenario, strategy
// and seed ("runs/HASH"). `unavailable` is set (and nothing runs) when the point's kernel/arch/Kconfig
// cannot have the strategy; it says why.
struct SweepPlanRun {
  std::size_t point = 0;
  std::string strategy;
  std::uint64_t seed = 0;
  std::string id;   // 16 hex digits
  std::string dir;  // "runs/ID", relative to the sweep directory
  std::string unavailable;
};

struct SweepPlan {
  std::string name;
  std::vector<SweepPlanAxis> axes;
  std::vector<std::string> strategies;
  std::vector<SweepPlanPoint> points;
  std::vector<SweepPlanRun> runs;  // point-major, then strategy, then seed
};

// FNV-1a 64 of `text`, finalized like SplitMix64, as 16 lower-case hex digits (names run and point directories; not cryptographic).
std::string sweep_hash(const std::string& text);

// The `guestmem run` command of a run, relative to the sweep directory (design §6: no absolute paths),
// e.g. "guestmem run points/H.json --strategy ballooned --seed 3 --out runs/ID --quiet".
std::string sweep_run_command(const SweepPlan& plan, const SweepPlanRun& run, const std::string& program = "guestmem");

nlohmann::json sweep_plan_json(const SweepPlan& plan);
// Reads DIR/plan.json; gm::InputError naming the file and JSON path when it is missing or malformed.
SweepPlan read_sweep_plan(const std::filesystem::path& dir);

// A run is finished when its report.json exists (guestmem run writes it atomically, last).
bool sweep_run_finished(const std::filesystem::path& dir, const SweepPlanRun& run);

}  // namespace gm
