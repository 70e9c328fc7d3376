// `guestmem run`: one simulation in this process; writes DIR/report.json and DIR/time_series.csv.
#include <guestmem/embedded.h>

#include <algorithm>
#include <filesystem>
#include <iostream>

#include "analysis/atomic_write.h"
#include "analysis/run_summary.h"
#include "sim/cli/command.h"
#include "models/errors.h"
#include "sim/hypervisor/backend.h"
#include "sim/engine/cost_model.h"
#include "sim/run/runner.h"
#include "sim/scenario/did_you_mean.h"
#include "sim/scenario/scenario.h"
#include "sim/engine/units_text.h"

namespace gm::cli {
namespace {

struct RunArgs {
  std::string scenario;
  std::string strategy = "auto";
  std::optional<std::uint64_t> seed;
  std::string out = "out";
  std::string trace;
  std::string until;
  std::string max_model_memory;
  std::optional<std::uint64_t> max_events;
  bool json = false;
  bool quiet = false;
  std::string backend = "sim";  // --backend, --domid, --dry-run, --hypercall-trace (docs/backends.md)
  std::optional<std::uint32_t> domid;
  bool dry_run = false;
  std::string hypercall_trace;
  std::vector<std::string> costs;  // --cost NAME=VALUE: cost-model overrides on top of the scenario's
};

Scenario load(const std::string& path) {
  if (path.empty())
    return load_scenario_text(embedded::default_scenario, "<embedded scenarios/default.json>",
                              std::filesystem::current_path());
  return load_scenario_file(path);
}

// --cost NAME=VALUE (repeatable): a cost-model parameter set for this run, over the scenario's own
// costs.overrides (command line over scenario, design §6). `sensitivity` runs each variant this way.
void apply_cost_options(const std::vector<std::string>& costs, Scenario& sc) {
  const auto& names = CostModel::parameter_names();
  std::vector<std::string_view> known(names.begin(), names.end());
  for (const auto& c : costs) {
    auto eq = c.find('=');
    if (eq == std::string::npos)
      throw InputError("--cost: found \"" + c + "\", expected NAME=VALUE, e.g. scrub_page=600ns");
    std::string name = c.substr(0, eq), value = c.substr(eq + 1);
    if (std::find(names.begin(), names.end(), name) == names.end()) {
      auto hint = closest_match(name, known);
      throw InputError("--cost: unknown cost parameter \"" + name + "\", expected one of the cost file's parameters" +
                       (hint.empty() ? std::string() : " (did you mean \"" + hint + "\"?)"));
    }
    auto t = parse_duration(value);
    if (!t.value) throw InputError("--cost " + name + ": found \"" + value + "\", expected " + t.problem);
    sc.costs.overrides[name] = value;
  }
}

StrategyRequest parse_strategy(const std::string& s) {
  if (s == "ballooned") return StrategyRequest::ballooned;
  if (s == "unpopulated") return StrategyRequest::unpopulated;
  return StrategyRequest::automatic;
}

void execute(const RunArgs& a, Context& ctx) {
  Scenario sc = load(a.scenario);  // input errors leave no output behind: nothing is written before this
  apply_cost_options(a.costs, sc);
  RunOptions opt;
  opt.strategy = parse_strategy(a.strategy);
  opt.seed = a.seed;
  opt.max_events = a.max_events;
  opt.simgrid_args = ctx.simgrid_args;
  opt.progress = !a.quiet && !a.json;
  if (!a.trace.empty()) opt.trace = a.trace;
  if (!a.until.empty()) {
    auto t = parse_duration(a.until);
    if (!t.value) throw InputError("--until: found \"" + a.until + "\", expected " + t.problem);
    opt.until = SimTime{static_cast<std::int64_t>(*t.value)};
  }
  if (!a.max_model_memory.empty()) {
    auto b = parse_size(a.max_model_memory);
    if (!b.value)
      throw InputError("--max-model-memory: found \"" + a.max_model_memory + "\", expected " + b.problem);
    opt.max_model_memory = Bytes{*b.value};
  }
  opt.backend.kind = a.backend == "xen" ? BackendKind::xen : BackendKind::sim;
  opt.backend.domid = a.domid;
  opt.backend.dry_run = a.dry_run;
  if (!a.hypercall_trace.empty()) opt.backend.hypercall_trace = a.hypercall_trace;
  opt.dry_run_out = a.json ? &std::cerr : &std::cout;
  // Refusals (exit 2: usage, faults the real backend cannot apply) and a missing privcmd (exit 3) before any output.
  if (auto refusal = hypercall_fault_refusal(opt.backend, scenario_hypercall_faults(sc)); !refusal.empty())
    throw InputError(refusal);
  check_backend_request(opt.backend);
  RunOutcome r = run_simulation(sc, opt);
  std::filesystem::path out(a.out);
  std::error_code ec;
  std::filesystem::create_directories(out, ec);
  if (ec) throw EnvironmentError("cannot create output directory " + out.string() + ": " + ec.message());
  write_file_atomically(out / "time_series.csv", r.time_series_csv);
  write_file_atomically(out / "report.json", r.report.dump(2) + "\n");
  if (a.json)
    std::cout << r.report.dump(2) << '\n';
  else if (!a.quiet)
    std::cout << format_run_summary(r.report) << "report: " << (out / "report.json").string() << '\n';
  ctx.exit_code = r.exit_code;
}

void add_run(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<RunArgs>();
  auto* sub = app.add_subcommand("run", "Run one simulation of a scenario (the embedded default when none is given)");
  sub->description(
      "Runs one (scenario, strategy, seed) simulation and writes DIR/report.json and DIR/time_series.csv.\n"
      "--strategy auto takes what the scenario's Kconfig resolves to; ballooned/unpopulated force\n"
      "XEN_UNPOPULATED_ALLOC (exit 2 with the Kconfig explanation when that kernel cannot have it).\n"
      "Exit: 0 ok (every expect held), 1 an expect/invariant failed or deadlock, 2 bad input, 4 stopped early.");
  sub->add_option("scenario", args->scenario, "Scenario JSON file (default: the embedded scenarios/default.json)");
  sub->add_option("--strategy", args->strategy, "auto | ballooned | unpopulated")
      ->check(CLI::IsMember({"auto", "ballooned", "unpopulated"}))
      ->capture_default_str();
  sub->add_option("--seed", args->seed, "Seed overriding the scenario's `seed` (same seed => identical report)");
  sub->add_option("--out", args->out, "Output directory")->capture_default_str();
  sub->add_option("--trace", args->trace, "Also write a Chrome trace-event JSON file (open it in Perfetto)");
  sub->add_option("--until", args->until, "Stop at this simulated time, e.g. \"10 s\" (exit 4, complete=false)");
  sub->add_option("--max-model-memory", args->max_model_memory,
                  "Refuse (exit 2) a guest whose model is estimated above this, e.g. \"2 GiB\" (default 8 GiB)");
  sub->add_option("--max-events", args->max_events, "Stop after this many simulated events (exit 4)");
  sub->add_option("--backend", args->backend, "sim | xen: the simulated hypervisor or real PV hypercalls (docs/backends.md)")
      ->check(CLI::IsMember({"sim", "xen"}))
      ->capture_default_str();
  sub->add_option("--domid", args->domid, "--backend xen: the target domain (never 0 nor the domain guestmem runs in)");
  sub->add_flag("--dry-run", args->dry_run, "--backend xen: print the hypercalls instead of making them");
  sub->add_option("--hypercall-trace", args->hypercall_trace,
                  "Write every hypercall as a JSON line (input of `guestmem calibrate`)");
  sub->add_option("--cost", args->costs,
                  "NAME=VALUE: set one cost-model parameter for this run, e.g. --cost scrub_page=600ns (repeatable)");
  sub->add_flag("--json", args->json, "Print the report on stdout (one JSON document, nothing else)");
  sub->add_flag("--quiet", args->quiet, "No summary and no progress");
  sub->footer(
      "Examples:\n"
      "  guestmem run                                   # embedded default, writes out/report.json\n"
      "  guestmem run scenarios/pci-window.json --strategy unpopulated --seed 7 --out out/pci\n"
      "  guestmem run --json | jq .latency.overall\n"
      "  guestmem run scenarios/balloon-target.json --backend xen --domid 7 --hypercall-trace calls.jsonl");
  sub->callback([args, &ctx] { execute(*args, ctx); });
}

}  // namespace

GUESTMEM_COMMAND(10, add_run);

}  // namespace gm::cli
