// `guestmem sensitivity`: which headline deltas of `compare` keep their sign and significance when each cost
// parameter moves to the low or the high end of its range (issue 19 item 5); tornado plots.
#include <guestmem/embedded.h>

#include <filesystem>
#include <iostream>
#include <thread>

#include "analysis/compare_table.h"
#include "analysis/sensitivity_output.h"
#include "models/errors.h"
#include "sim/cli/command.h"
#include "sim/engine/process_pool.h"
#include "sim/scenario/scenario.h"
#include "sim/sweep/sensitivity_runner.h"

namespace gm::cli {
namespace {

namespace fs = std::filesystem;

struct SensitivityArgs {
  std::string scenario;
  unsigned seeds = 5;
  unsigned jobs = std::max(1u, std::thread::hardware_concurrency());
  std::string out = "out/sensitivity";
  std::string format = "text";
  bool quiet = false;
};

void execute(const SensitivityArgs& a, Context& ctx) {
  Scenario sc = a.scenario.empty() ? load_scenario_text(embedded::default_scenario, "<embedded scenarios/default.json>",
                                                        fs::current_path())
                                   : load_scenario_file(a.scenario);  // bad input: exit 2 before anything is written
  CompareFormat format = parse_compare_format(a.format);
  SensitivityOptions o;
  o.program = self_executable(ctx.argv0);
  o.scenario_path = a.scenario;
  o.seeds = a.seeds;
  o.jobs = a.jobs;
  o.quiet = a.quiet;
  o.simgrid_args = ctx.simgrid_args;
  o.out = a.out;
  SensitivityResult r = run_sensitivity(sc, o);
  if (!r.plots.message.empty()) std::cerr << "guestmem: " << r.plots.message << '\n';
  std::cout << format_sensitivity(r.document, format);
  if (format == CompareFormat::text && !a.quiet)
    std::cout << "\nwritten: " << (o.out / "sensitivity.json").string() << ", tornado plots "
              << (o.out / "tornado-METRIC.{svg,png}").string() << ", each comparison under " << o.out.string()
              << "/{baseline,PARAM-low,PARAM-high}/\n";
  if (r.exit_code == kExitFailed)
    std::cerr << "guestmem: some runs failed an expect or an invariant (see their report.json)\n";
  ctx.exit_code = r.exit_code;
}

void add_sensitivity(CLI::App& app, Context& ctx) {
  auto a = std::make_shared<SensitivityArgs>();
  auto* sub = app.add_subcommand(
      "sensitivity", "Which compare conclusions survive every cost parameter's plausible range (tornado plots)");
  sub->description(
      "Runs the paired comparison (ballooned and unpopulated, seeds seed .. seed+N-1, one child process per run)\n"
      "at the default costs, then once per end of every cost parameter's range: the parameter at its `low`, then\n"
      "at its `high` value from the cost file (scenarios/costs/default.json or the scenario's costs.file), every\n"
      "other parameter at its default, the same seeds (paired). A parameter the default runs never charged\n"
      "(zero in report.json's costs_charged, or no hypercall frames for the per-frame costs) cannot change\n"
      "anything: it is listed as \"not charged by this scenario\" and not run.\n"
      "For each headline metric (request and allocation latency mean/p50/p99, failures, RAM released to Xen,\n"
      "scratch address space, struct-page memory, hot-added memory, decrease calls, order-9 unusable index)\n"
      "it reports the delta unpopulated - ballooned with its 95 % interval at low, default and high, and flips:\n"
      "  sign          the mean delta changes sign at an end of the range;\n"
      "  significance  the interval excludes zero at the default but not at an end, or the other way round;\n"
      "  claim         what the delta says changes (\"unpopulated higher\", \"unpopulated lower\", \"no\n"
      "                significant difference\"): the conclusion depends on that cost, within its range.\n"
      "A claim that no end of any parameter changes survives the whole cost range.\n"
      "Writes DIR/sensitivity.json, DIR/tornado-METRIC.{gp,dat,svg,png} (one bar per parameter from the delta at\n"
      "its low to the delta at its high value, widest on top, dashed line at the default delta) and each\n"
      "comparison's compare.json and runs under DIR/baseline/ and DIR/PARAM-{low,high}/. Progress on stderr.");
  sub->add_option("scenario", a->scenario, "Scenario JSON file (default: the embedded scenarios/default.json)");
  sub->add_option("--seeds", a->seeds, "Seeds per strategy and cost setting")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000));
  sub->add_option("--jobs,-j", a->jobs, "Simulations running at once (default: cores)")->check(CLI::Range(1, 256));
  sub->add_option("--out", a->out, "Output directory")->capture_default_str();
  sub->add_option("--format", a->format, "text | md | csv | json (what is printed on stdout)")
      ->check(CLI::IsMember({"text", "md", "csv", "json"}))
      ->capture_default_str();
  sub->add_flag("--quiet", a->quiet, "No progress on stderr");
  sub->footer(
      "Examples:\n"
      "  guestmem sensitivity --jobs 2                     # embedded default, 5 seeds: 310 runs, ~55 s of CPU\n"
      "  guestmem sensitivity scenarios/fragmentation.json --seeds 10 --format md > robust.md");
  sub->callback([a, &ctx] { execute(*a, ctx); });
}

}  // namespace

GUESTMEM_COMMAND(22, add_sensitivity);

}  // namespace gm::cli
