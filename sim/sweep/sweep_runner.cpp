// Local sweep execution on the existing process pool, resumable by construction (see sweep_runner.h).
#include "sim/sweep/sweep_runner.h"

#include <unistd.h>

#include <fstream>
#include <iostream>

#include "analysis/atomic_write.h"
#include "models/errors.h"
#include "sim/engine/process_pool.h"

namespace gm {
namespace fs = std::filesystem;

void write_sweep_setup(const fs::path& dir, const SweepExpansion& sweep) {
  std::error_code ec;
  fs::create_directories(dir / "points", ec);
  if (ec) throw EnvironmentError("cannot create " + (dir / "points").string() + ": " + ec.message());
  fs::create_directories(dir / "runs", ec);
  if (ec) throw EnvironmentError("cannot create " + (dir / "runs").string() + ": " + ec.message());
  for (std::size_t i = 0; i < sweep.plan.points.size(); ++i)
    write_file_atomically(dir / sweep.plan.points[i].scenario, sweep.point_texts[i]);
  write_file_atomically(dir / "plan.json", sweep_plan_json(sweep.plan).dump(2) + "\n");
}

SweepRunSummary run_sweep_locally(const fs::path& dir, const SweepPlan& plan, const SweepRunOptions& o) {
  SweepRunSummary s;
  s.total = plan.runs.size();
  const fs::path runs = dir / "runs";
  std::error_code ec;
  // Leftovers of a killed sweep: their runs never got renamed, so they are computed again below.
  for (const auto& entry : fs::directory_iterator(runs, ec))
    if (entry.path().filename().string().rfind(".tmp-", 0) == 0) fs::remove_all(entry.path(), ec);

  std::vector<const SweepPlanRun*> todo;
  std::vector<ChildJob> jobs;
  std::vector<fs::path> tmps;
  const std::string pid = std::to_string(::getpid());
  for (const auto& r : plan.runs) {
    if (!r.unavailable.empty()) {
      ++s.unavailable;
      continue;
    }
    if (sweep_run_finished(dir, r)) {
      ++s.skipped;
      continue;
    }
    fs::path tmp = runs / (".tmp-" + r.id + "-" + pid);
    fs::create_directories(tmp, ec);
    if (ec) throw EnvironmentError("cannot create " + tmp.string() + ": " + ec.message());
    std::vector<std::string> argv{o.program, "run", (dir / plan.points[r.point].scenario).string(), "--strategy",
                                  r.strategy, "--seed", std::to_string(r.seed), "--out", tmp.string(), "--quiet"};
    argv.insert(argv.end(), o.simgrid_args.begin(), o.simgrid_args.end());
    jobs.push_back({argv, tmp / "stdout.txt", tmp / "stderr.txt"});
    todo.push_back(&r);
    tmps.push_back(tmp);
  }
  if (!o.quiet)
    std::cerr << "guestmem: sweep " << plan.name << ": " << s.total << " runs, " << s.skipped << " finished before, "
              << s.unavailable << " unavailable, " << todo.size() << " to run (" << o.jobs << " at a time)\n";

  std::size_t done = 0;
  run_children(jobs, o.jobs, [&](std::size_t i, const ChildResult& res) {
    const SweepPlanRun& r = *todo[i];
    std::ofstream(tmps[i] / "exit_code") << res.exit_code << '\n';
    const bool has_report = fs::is_regular_file(tmps[i] / "report.json");
    const fs::path final_dir = dir / r.dir;
    std::error_code e2;
    fs::remove_all(final_dir, e2);  // a failed earlier attempt
    fs::rename(tmps[i], final_dir, e2);
    if (e2) throw EnvironmentError("cannot rename " + tmps[i].string() + " to " + final_dir.string() + ": " + e2.message());
    if (!has_report)
      ++s.failed;
    else
      ++s.computed;
    if (has_report && res.exit_code != 0) ++s.nonzero;
    if (!o.quiet) {
      std::cerr << "guestmem: [" << ++done << "/" << jobs.size() << "] point " << r.point << " " << r.strategy
                << " seed " << r.seed << " -> " << r.dir;
      if (res.exit_code != 0) std::cerr << " (exit " << res.exit_code << (has_report ? "" : ", no report") << ")";
      std::cerr << '\n';
    }
  });
  return s;
}

}  // namespace gm
