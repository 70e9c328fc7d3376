// The runs of a paired comparison: both strategies x seeds of one scenario, each `guestmem run` in a
// child process (design §4). Planned here, run through the process pool (sim/engine/process_pool.h) and
// collected into a CompareInput. Shared by `compare` and `sensitivity`.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "analysis/compare.h"
#include "sim/engine/process_pool.h"
#include "sim/scenario/scenario.h"

namespace gm {

// The strategies this kernel/arch/Kconfig cannot have at all, each with the Kconfig explanation.
std::map<std::string, std::string> unavailable_strategies(const Scenario& sc);

// What to run: `program run [scenario] --strategy S --seed N --out RUNS/S-seedN --quiet [run_args] [simgrid_args]`
// for every available strategy (ballooned first) and seed.
struct CompareRunSpec {
  std::string program;                             // this executable
  std::string scenario;                            // scenario file; empty: the embedded default
  std::vector<std::uint64_t> seeds;
  std::map<std::string, std::string> unavailable;  // strategies not run
  std::vector<std::string> run_args;               // extra `run` arguments (sensitivity: --cost NAME=VALUE)
  std::vector<std::string> simgrid_args;           // --cfg=/--log= passed on
  std::filesystem::path runs_dir;                  // RUNS above
};

// One planned child run.
struct PlannedRun {
  std::string strategy;
  std::uint64_t seed = 0;
  std::filesystem::path dir;  // its --out directory
  ChildJob job;
};

// Contract: the runs of `spec` in a fixed order (strategy, then seed), their directories created;
// gm::EnvironmentError when a directory cannot be created.
std::vector<PlannedRun> plan_compare_runs(const CompareRunSpec& spec);

// Contract: adds the report of every finished run to in.runs[strategy], its path shown relative to
// `shown_base`. A run that exited 2 or 3 or left no report.json is bad input or environment: gm::InputError
// naming the strategy, the seed, the exit code and the run's stderr. Returns the worst of the other
// outcomes: 0, kExitFailed (an expect or invariant failed) or kExitStopped (stopped early).
int collect_compare_runs(const std::vector<PlannedRun>& plan, const std::vector<ChildResult>& results,
                         const std::filesystem::path& shown_base, CompareInput& in);

}  // namespace gm
