// `guestmem sensitivity`: the paired comparison of a scenario at its default costs, then with each charged
// cost parameter at the low and at the high end of its range (one at a time), every run a child process.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "analysis/plots.h"
#include "sim/scenario/scenario.h"

namespace gm {

struct SensitivityOptions {
  std::string program;        // this executable (children: PROGRAM run ...)
  std::string scenario_path;  // as given; empty: the embedded default
  unsigned seeds = 5;         // seeds seed, seed+1, ...
  unsigned jobs = 1;
  bool quiet = false;                     // no progress on stderr
  std::vector<std::string> simgrid_args;  // --cfg=/--log= passed on
  std::filesystem::path out;
  PlotOptions plots;
};

struct SensitivityResult {
  nlohmann::json document;  // sensitivity.json
  PlotResult plots;
  int exit_code = 0;  // worst child outcome: 0, 1 (an expect or invariant failed) or 4 (stopped early)
};

// Contract: OUT/baseline/ (runs/ and compare.json at the default costs) first; the parameters the baseline
// runs never charged (analysis/sensitivity.h cost_charged) are not run; then OUT/PARAM-low/ and
// OUT/PARAM-high/ (runs/, compare.json) for the others, all in one pool of `jobs` children, an end equal to
// the default value reusing the baseline. Writes OUT/sensitivity.json atomically and the tornado plots.
// gm::InputError when a strategy is unavailable (a delta needs both) or a child exits 2 or 3.
SensitivityResult run_sensitivity(const Scenario& sc, const SensitivityOptions& o);

}  // namespace gm
