// Planning and collecting the child runs of a paired comparison (compare, sensitivity).
#include "sim/run/compare_runs.h"

#include <algorithm>
#include <fstream>
#include <system_error>

#include "models/errors.h"
#include "sim/kconfig/kconfig_embedded.h"

namespace gm {

namespace fs = std::filesystem;

std::map<std::string, std::string> unavailable_strategies(const Scenario& sc) {
  std::map<std::string, std::string> out;
  for (auto [name, a] : {std::pair{kBallooned, XenAllocator::ballooned}, std::pair{kUnpopulated, XenAllocator::unpopulated}}) {
    StrategyKconfig k = resolve_kconfig_for_strategy(sc.arch, sc.kernel, sc.kconfig, a);
    if (k.possible) continue;
    std::string why;
    for (const auto& l : k.why_not) why += (why.empty() ? "" : "; ") + l;
    out[name] = why;
  }
  return out;
}

std::vector<PlannedRun> plan_compare_runs(const CompareRunSpec& spec) {
  std::vector<PlannedRun> plan;
  for (const char* strategy : {kBallooned, kUnpopulated}) {
    if (spec.unavailable.count(strategy)) continue;
    for (auto seed : spec.seeds) {
      PlannedRun r;
      r.strategy = strategy;
      r.seed = seed;
      r.dir = spec.runs_dir / (std::string(strategy) + "-seed" + std::to_string(seed));
      std::error_code ec;
      fs::create_directories(r.dir, ec);
      if (ec) throw EnvironmentError("cannot create " + r.dir.string() + ": " + ec.message());
      std::vector<std::string> argv{spec.program, "run"};
      if (!spec.scenario.empty()) argv.push_back(spec.scenario);
      argv.insert(argv.end(), {"--strategy", strategy, "--seed", std::to_string(seed), "--out", r.dir.string(), "--quiet"});
      argv.insert(argv.end(), spec.run_args.begin(), spec.run_args.end());
      argv.insert(argv.end(), spec.simgrid_args.begin(), spec.simgrid_args.end());
      r.job = {argv, r.dir / "stdout.txt", r.dir / "stderr.txt"};
      plan.push_back(std::move(r));
    }
  }
  return plan;
}

int collect_compare_runs(const std::vector<PlannedRun>& plan, const std::vector<ChildResult>& results,
                         const fs::path& shown_base, CompareInput& in) {
  int worst = 0;
  for (std::size_t i = 0; i < plan.size() && i < results.size(); ++i) {
    int rc = results[i].exit_code;
    fs::path report = plan[i].dir / "report.json";
    if (rc == kExitInput || rc == kExitEnvironment || !fs::exists(report)) {
      std::string err;
      std::ifstream f(plan[i].job.stderr_file);
      std::getline(f, err, '\0');
      throw InputError(plan[i].strategy + " seed " + std::to_string(plan[i].seed) + " failed (exit " +
                       std::to_string(rc) + "): " + err);
    }
    if (rc != 0) worst = std::max(worst, rc == kExitStopped ? kExitStopped : kExitFailed);
    in.runs[plan[i].strategy].push_back(load_compare_run(report, fs::relative(report, shown_base).string()));
  }
  return worst;
}

}  // namespace gm
