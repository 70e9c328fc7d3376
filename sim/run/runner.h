// Runs one (scenario, strategy, seed) simulation in this process and produces report.json
// (design §6). One engine per process: call run_simulation() at most once per process.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "models/units.h"
#include "sim/engine/cost_model.h"
#include "sim/hypervisor/backend.h"
#include "sim/engine/model_budget.h"
#include "sim/scenario/scenario.h"

namespace gm {

enum class StrategyRequest { automatic, ballooned, unpopulated };

struct RunOptions {
  StrategyRequest strategy = StrategyRequest::automatic;
  std::optional<std::uint64_t> seed;          // overrides the scenario's seed
  std::optional<std::uint64_t> max_events;    // stop after this many simulated events (exit 4)
  std::optional<SimTime> until;               // stop at this simulated time (exit 4)
  std::optional<std::filesystem::path> trace;  // Chrome trace-event JSON
  BackendRequest backend;                      // --backend/--domid/--dry-run/--hypercall-trace
  std::ostream* dry_run_out = nullptr;         // where --dry-run prints the hypercalls
  std::vector<std::string> simgrid_args;      // --cfg=/--log= passed through
  bool progress = true;                       // progress lines on stderr
  Bytes max_model_memory = kDefaultMaxModelMemory;  // refuse larger models (exit 2), model_budget.h
};

struct RunOutcome {
  nlohmann::json report;       // the whole report.json document
  std::string time_series_csv;  // out/time_series.csv
  int exit_code = 0;           // 0, 1 (expect/invariant/deadlock) or 4 (stopped early)
  std::uint64_t events = 0;    // simulated events processed (actor wake-ups)
};

// Throws gm::InputError for an impossible strategy (with the Kconfig explanation) or inconsistent input.
RunOutcome run_simulation(const Scenario& scenario, const RunOptions& options);

std::string_view to_string(StrategyRequest s);

// The scenario's cost model: its costs.file (or the embedded scenarios/costs/default.json) with its
// costs.overrides applied. gm::InputError when the file is missing or invalid.
CostModel load_costs(const Scenario& scenario);

inline constexpr int kReportSchemaVersion = 1;

}  // namespace gm
