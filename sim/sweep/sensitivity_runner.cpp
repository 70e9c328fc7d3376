// Runs the baseline comparison and the comparisons at every charged cost parameter's low and high value.
#include "sim/sweep/sensitivity_runner.h"

#include <algorithm>
#include <chrono>
#include <iostream>

#include "analysis/atomic_write.h"
#include "analysis/compare.h"
#include "analysis/sensitivity.h"
#include "analysis/sensitivity_output.h"
#include "models/errors.h"
#include "sim/engine/units_text.h"
#include "sim/run/compare_runs.h"
#include "sim/run/runner.h"

namespace gm {
namespace {

namespace fs = std::filesystem;

// One comparison to run: the baseline, or one parameter at one end.
struct SensVariant {
  std::string label;  // "baseline" or PARAM-low / PARAM-high: also its directory
  std::vector<std::string> run_args;
  std::size_t parameter = 0;  // index into SensitivityInput::parameters (variants only)
  bool high = false;
  std::vector<PlannedRun> runs;
  CompareInput input;
};

// Runs every variant's planned runs in one pool (so the cores stay busy across variants) and collects them.
int sens_run_variants(std::vector<SensVariant>& variants, const SensitivityOptions& o, const std::string& phase) {
  std::vector<ChildJob> jobs;
  std::vector<std::pair<std::size_t, std::size_t>> owner;  // job -> (variant, run)
  for (std::size_t v = 0; v < variants.size(); ++v)
    for (std::size_t r = 0; r < variants[v].runs.size(); ++r) {
      jobs.push_back(variants[v].runs[r].job);
      owner.emplace_back(v, r);
    }
  if (jobs.empty()) return 0;
  const auto start = std::chrono::steady_clock::now();
  std::size_t done = 0;
  std::vector<ChildResult> results = run_children(jobs, o.jobs, [&](std::size_t i, const ChildResult& r) {
    ++done;
    if (o.quiet) return;
    const auto& [v, k] = owner[i];
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::cerr << "guestmem: " << phase << " [" << done << "/" << jobs.size() << "] " << variants[v].label << " "
              << variants[v].runs[k].strategy << " seed " << variants[v].runs[k].seed
              << (r.exit_code == 0 ? "" : " exit " + std::to_string(r.exit_code)) << " (" << static_cast<int>(s)
              << " s)\n";
  });
  int worst = 0;
  std::size_t at = 0;
  for (auto& v : variants) {
    std::vector<ChildResult> mine(results.begin() + static_cast<std::ptrdiff_t>(at),
                                  results.begin() + static_cast<std::ptrdiff_t>(at + v.runs.size()));
    at += v.runs.size();
    try {
      worst = std::max(worst, collect_compare_runs(v.runs, mine, o.out / v.label, v.input));
    } catch (const InputError& e) {
      throw InputError(v.label + ": " + e.what());
    }
  }
  return worst;
}

SensVariant sens_make_variant(const std::string& label, std::vector<std::string> run_args, const CompareInput& proto,
                              const SensitivityOptions& o) {
  SensVariant v;
  v.label = label;
  v.run_args = std::move(run_args);
  v.input = proto;
  CompareRunSpec spec{o.program,  o.scenario_path, proto.seeds,           proto.unavailable,
                      v.run_args, o.simgrid_args,  o.out / label / "runs"};
  v.runs = plan_compare_runs(spec);
  return v;
}

nlohmann::json sens_write_compare(const fs::path& out, const SensVariant& v) {
  nlohmann::json doc = build_compare(v.input);
  write_file_atomically(out / v.label / "compare.json", doc.dump(2) + "\n");
  return doc;
}

}  // namespace

SensitivityResult run_sensitivity(const Scenario& sc, const SensitivityOptions& o) {
  if (o.seeds < 1) throw InputError("--seeds: found 0, expected at least 1 seed");
  CompareInput proto;
  proto.unavailable = unavailable_strategies(sc);
  for (const auto& [name, why] : proto.unavailable)
    throw InputError("sensitivity compares both strategies, but " + name + " is unavailable for this scenario: " + why);
  proto.bootstrap_seed = sc.seed;
  for (unsigned i = 0; i < o.seeds; ++i) proto.seeds.push_back(sc.seed + i);
  const CostModel costs = load_costs(sc);  // bad cost file: exit 2 before any run
  const auto values = costs.values();

  SensitivityInput in;
  in.cost_file = sc.costs.file ? sc.costs.file->string() : "<embedded scenarios/costs/default.json>";
  in.seeds = proto.seeds;
  in.baseline_compare = "baseline/compare.json";
  for (const auto& name : CostModel::parameter_names()) {
    SensitivityParameter p;
    p.name = name;
    p.default_ns = values.at(name).ns;
    const auto& e = costs.entries().at(name);
    p.low_ns = e.low.ns;
    p.high_ns = e.high.ns;
    p.source = e.source;
    in.parameters.push_back(std::move(p));
  }

  // Phase 1: the baseline, which also tells which parameters this scenario charges at all.
  std::vector<SensVariant> base;
  base.push_back(sens_make_variant("baseline", {}, proto, o));
  int worst = sens_run_variants(base, o, "baseline");
  in.baseline = sens_write_compare(o.out, base[0]);
  in.scenario = in.baseline.value("scenario", nlohmann::json());
  for (auto& p : in.parameters) {
    p.charged = false;
    for (const auto& [strategy, runs] : base[0].input.runs)
      for (const auto& r : runs) p.charged = p.charged || cost_charged(p.name, r.report);
  }

  // Phase 2: each charged parameter at each end that differs from its default value.
  std::vector<SensVariant> variants;
  for (std::size_t i = 0; i < in.parameters.size(); ++i) {
    const auto& p = in.parameters[i];
    if (!p.charged) continue;
    for (bool high : {false, true}) {
      const std::int64_t ns = high ? p.high_ns : p.low_ns;
      if (ns == p.default_ns) continue;
      SensVariant v = sens_make_variant(p.name + (high ? "-high" : "-low"),
                                        {"--cost", p.name + "=" + format_duration(SimTime{ns})}, proto, o);
      v.parameter = i;
      v.high = high;
      variants.push_back(std::move(v));
    }
  }
  if (!o.quiet) {
    std::string skipped;
    for (const auto& p : in.parameters)
      if (!p.charged) skipped += (skipped.empty() ? "" : ", ") + p.name;
    if (!skipped.empty()) std::cerr << "guestmem: not charged by this scenario, not varied: " << skipped << '\n';
  }
  worst = std::max(worst, sens_run_variants(variants, o, "ranges"));
  for (const auto& v : variants) {
    auto& p = in.parameters[v.parameter];
    (v.high ? p.high : p.low) = sens_write_compare(o.out, v);
    (v.high ? p.high_compare : p.low_compare) = v.label + "/compare.json";
  }

  SensitivityResult result;
  result.document = build_sensitivity(in);
  result.exit_code = worst;
  write_file_atomically(o.out / "sensitivity.json", result.document.dump(2) + "\n");
  result.plots = write_tornado_plots(o.out, result.document, o.plots);
  return result;
}

}  // namespace gm
