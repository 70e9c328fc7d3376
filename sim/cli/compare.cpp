// `guestmem compare`: both strategies x N seeds, one child process per run (design §4), J at a time;
// writes DIR/compare.json, the runs and the plots, and prints the side-by-side table.
#include <guestmem/embedded.h>

#include <filesystem>
#include <iostream>
#include <thread>

#include "analysis/compare.h"
#include "analysis/compare_output.h"
#include "analysis/compare_table.h"
#include "sim/cli/command.h"
#include "models/errors.h"
#include "sim/engine/process_pool.h"
#include "sim/run/compare_runs.h"
#include "sim/scenario/scenario.h"

namespace gm::cli {
namespace {

namespace fs = std::filesystem;

struct CompareArgs {
  std::string scenario;
  unsigned seeds = 5;
  unsigned jobs = std::max(1u, std::thread::hardware_concurrency());
  std::string out = "out";
  std::string format = "text";
  std::size_t width = 100;
  bool quiet = false;
};

Scenario load(const std::string& path) {
  if (path.empty())
    return load_scenario_text(embedded::default_scenario, "<embedded scenarios/default.json>", fs::current_path());
  return load_scenario_file(path);
}

void execute(const CompareArgs& a, Context& ctx) {
  Scenario sc = load(a.scenario);  // bad input: exit 2 before anything is written
  CompareFormat format = parse_compare_format(a.format);
  if (a.seeds < 1) throw InputError("--seeds: expected at least 1");
  fs::path out(a.out), runs = fs::path(a.out) / "runs";
  std::error_code ec;
  fs::create_directories(runs, ec);
  if (ec) throw EnvironmentError("cannot create " + runs.string() + ": " + ec.message());

  CompareInput in;
  in.unavailable = unavailable_strategies(sc);
  in.bootstrap_seed = sc.seed;
  for (unsigned i = 0; i < a.seeds; ++i) in.seeds.push_back(sc.seed + i);
  CompareRunSpec spec{self_executable(ctx.argv0), a.scenario, in.seeds, in.unavailable, {}, ctx.simgrid_args, runs};
  std::vector<PlannedRun> plan = plan_compare_runs(spec);
  std::vector<ChildJob> jobs;
  for (const auto& r : plan) jobs.push_back(r.job);
  for (const auto& [s, why] : in.unavailable) std::cerr << "guestmem: strategy " << s << " unavailable: " << why << '\n';

  std::size_t done = 0;
  std::vector<ChildResult> results = run_children(jobs, a.jobs, [&](std::size_t i, const ChildResult& r) {
    if (!a.quiet)
      std::cerr << "guestmem: [" << ++done << "/" << jobs.size() << "] " << plan[i].strategy << " seed " << plan[i].seed
                << (r.exit_code == 0 ? "" : " exit " + std::to_string(r.exit_code)) << '\n';
  });
  int worst = collect_compare_runs(plan, results, out, in);
  CompareOutputs outputs = write_compare_outputs(out, in);
  if (!outputs.plots.message.empty()) std::cerr << "guestmem: " << outputs.plots.message << '\n';
  std::cout << format_compare(outputs.compare, format, a.width);
  if (format == CompareFormat::text && !a.quiet)
    std::cout << "\nwritten: " << (out / "compare.json").string() << ", runs under " << runs.string()
              << ", plots in " << out.string() << '\n';
  if (worst == kExitFailed) std::cerr << "guestmem: some runs failed an expect or an invariant (see their report.json)\n";
  ctx.exit_code = worst;
}

void add_compare(CLI::App& app, Context& ctx) {
  auto a = std::make_shared<CompareArgs>();
  auto* sub = app.add_subcommand("compare", "Run both strategies over N seeds and compare them side by side");
  sub->description(
      "Runs ballooned and unpopulated over seeds seed, seed+1, ..., each in its own child process (--jobs at a\n"
      "time), then writes DIR/compare.json (per-metric means, 95 % t-intervals, bootstrap intervals for\n"
      "percentiles, paired deltas unpopulated - ballooned) and plots, and prints the table; `*` marks a delta\n"
      "whose interval excludes zero. A strategy the kernel/arch/Kconfig cannot have is reported, not run.");
  sub->add_option("scenario", a->scenario, "Scenario JSON file (default: the embedded scenarios/default.json)");
  sub->add_option("--seeds", a->seeds, "Seeds per strategy")->capture_default_str()->check(CLI::Range(1, 1000));
  sub->add_option("--jobs,-j", a->jobs, "Simulations running at once (default: cores)")->check(CLI::Range(1, 256));
  sub->add_option("--out", a->out, "Output directory")->capture_default_str();
  sub->add_option("--format", a->format, "text | md | csv | json")
      ->check(CLI::IsMember({"text", "md", "csv", "json"}))
      ->capture_default_str();
  sub->add_option("--width", a->width, "Width of the text table")->capture_default_str()->check(CLI::Range(40, 400));
  sub->add_flag("--quiet", a->quiet, "No progress on stderr");
  sub->footer(
      "Examples:\n"
      "  guestmem compare                                  # embedded default, 5 seeds, table on stdout\n"
      "  guestmem compare scenarios/pci-window.json --seeds 10 --jobs 2 --format md > table.md");
  sub->callback([a, &ctx] { execute(*a, ctx); });
}

}  // namespace

GUESTMEM_COMMAND(20, add_compare);

}  // namespace gm::cli
