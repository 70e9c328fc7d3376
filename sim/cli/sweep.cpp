// `guestmem sweep`: a parameter grid over a base scenario, run here (resumable) or written as a job list
// for GNU parallel / a Slurm array (docs/sweeps.md, docs/sweep-format.md).
#include <filesystem>
#include <iostream>
#include <thread>

#include "analysis/atomic_write.h"
#include "models/errors.h"
#include "sim/cli/command.h"
#include "sim/engine/process_pool.h"
#include "sim/sweep/sweep_emit.h"
#include "sim/sweep/sweep_file.h"
#include "sim/sweep/sweep_runner.h"

namespace gm::cli {
namespace {

namespace fs = std::filesystem;

struct SweepArgs {
  std::string sweep;
  std::string out = "sweep-out";
  unsigned jobs = std::max(1u, std::thread::hardware_concurrency());
  bool jobs_given = false;
  std::string emit;
  bool quiet = false;
};

void execute(const SweepArgs& a, Context& ctx) {
  const fs::path out(a.out);
  SweepExpansion sweep = expand_sweep_file(a.sweep, out);  // every point validated: exit 2 before any output
  write_sweep_setup(out, sweep);
  const SweepPlan& plan = sweep.plan;
  std::size_t unavailable = 0;
  for (const auto& r : plan.runs)
    if (!r.unavailable.empty()) {
      if (!unavailable++) std::cerr << "guestmem: some runs are unavailable (listed by collect): " << r.unavailable << '\n';
    }
  if (!a.emit.empty()) {
    std::string list = sweep_job_list(plan);
    std::size_t lines = plan.runs.size() - unavailable;
    write_file_atomically(out / "jobs.txt", list);
    fs::create_directories(out / "logs");
    if (a.emit == "slurm")
      write_file_atomically(out / "sweep.sbatch", sweep_sbatch_script(plan, lines, a.jobs_given ? std::optional(a.jobs) : std::nullopt));
    std::cout << "written: " << (out / "plan.json").string() << ", " << plan.points.size() << " point scenarios in "
              << (out / "points").string() << ", " << (out / "jobs.txt").string() << " (" << lines << " runs)";
    if (a.emit == "slurm") std::cout << ", " << (out / "sweep.sbatch").string();
    std::cout << "\nnext: ";
    if (a.emit == "parallel")
      std::cout << "cd " << out.string() << " && parallel --joblog joblog.txt --resume-failed < jobs.txt\n";
    else
      std::cout << "cd " << out.string() << " && sbatch sweep.sbatch\n";
    std::cout << "then: guestmem collect " << out.string() << '\n';
    return;
  }
  SweepRunOptions o{self_executable(ctx.argv0), a.jobs, a.quiet, ctx.simgrid_args};
  SweepRunSummary s = run_sweep_locally(out, plan, o);
  std::cout << "sweep " << plan.name << ": " << s.total << " runs: " << s.skipped << " finished before, " << s.computed
            << " computed now, " << s.failed << " failed, " << s.unavailable << " unavailable\n"
            << "next: guestmem collect " << out.string() << '\n';
  if (s.failed > 0) std::cerr << "guestmem: " << s.failed << " runs failed: rerun the same command to retry them\n";
  if (s.nonzero > 0) std::cerr << "guestmem: " << s.nonzero << " runs exited 1 or 4 (an expect failed, or stopped early)\n";
  ctx.exit_code = (s.failed > 0 || s.nonzero > 0) ? kExitFailed : kExitOk;
}

void add_sweep(CLI::App& app, Context& ctx) {
  auto a = std::make_shared<SweepArgs>();
  auto* sub = app.add_subcommand("sweep", "Run a parameter grid (sweep file) here, or write it for GNU parallel / Slurm");
  sub->description(
      "A sweep file names a base scenario, axes (JSON pointers into it with the values to try, crossed or\n"
      "zipped), strategies and seeds (docs/sweep-format.md). Every point is validated before anything runs.\n"
      "Each run (point x strategy x seed) gets DIR/runs/ID, ID a hash of its resolved scenario, strategy and\n"
      "seed. Without --emit the runs execute here, --jobs at a time, one process each; rerunning the same\n"
      "command skips finished runs and retries failed ones, so a killed sweep resumes. With --emit the\n"
      "runs are written as DIR/jobs.txt (one `guestmem run ...` line each, paths relative to DIR) for GNU\n"
      "parallel, plus DIR/sweep.sbatch for a Slurm array (docs/sweeps.md). Then: guestmem collect DIR.\n"
      "Exit: 0 all runs finished cleanly, 1 some run failed or exited 1/4, 2 bad sweep file or point.");
  sub->add_option("sweep", a->sweep, "Sweep JSON file (docs/sweep-format.md)")->required();
  sub->add_option("--out", a->out, "Sweep directory (plan, point scenarios, runs, job lists)")->capture_default_str();
  sub->add_option("--jobs,-j", a->jobs,
                  "Runs at once (default: cores); with --emit slurm: the array throttle %J (none when not given)")
      ->check(CLI::Range(1, 4096))
      ->each([a](const std::string&) { a->jobs_given = true; });
  sub->add_option("--emit", a->emit, "parallel | slurm: write the job list (and sbatch script) instead of running")
      ->check(CLI::IsMember({"parallel", "slurm"}));
  sub->add_flag("--quiet", a->quiet, "No progress on stderr");
  sub->footer(
      "Examples:\n"
      "  guestmem sweep sweeps/guest-memory.json --out sw --jobs 2     # run here; rerun to resume\n"
      "  guestmem sweep sweeps/guest-memory.json --out sw --emit parallel\n"
      "  (cd sw && parallel --joblog joblog.txt --resume-failed < jobs.txt)\n"
      "  guestmem sweep sweeps/guest-memory.json --out sw --emit slurm --jobs 64 && (cd sw && sbatch sweep.sbatch)\n"
      "  guestmem collect sw --format md");
  sub->callback([a, &ctx] { execute(*a, ctx); });
}

}  // namespace

GUESTMEM_COMMAND(27, add_sweep);

}  // namespace gm::cli
