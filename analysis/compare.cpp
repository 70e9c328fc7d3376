// Builds compare.json: per strategy and metric the values over seeds with their interval, and deltas.
#include "analysis/compare.h"

#include <cmath>
#include <fstream>
#include <optional>
#include <sstream>

#include "analysis/compare_metrics.h"
#include "analysis/stats.h"
#include "analysis/time_series.h"
#include "models/errors.h"

namespace gm {
namespace {

std::uint64_t fnv1a(const std::string& s) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : s) h = (h ^ c) * 0x100000001b3ULL;
  return h;
}

const char* method_name(IntervalMethod m) { return m == IntervalMethod::t ? "t" : "bootstrap"; }

// The method actually used for n values: the percentile bootstrap needs a handful of values to mean
// anything (with 2 values it returns their range and calls a 2-seed difference "significant"), so below
// kMinBootstrapValues the t interval is used instead.
IntervalMethod method_for(const CompareMetric& m, std::size_t n) {
  return m.interval == IntervalMethod::bootstrap && n >= kMinBootstrapValues ? IntervalMethod::bootstrap
                                                                             : IntervalMethod::t;
}

std::optional<Interval> interval_for(const CompareMetric& m, const std::vector<double>& v, std::uint64_t seed,
                                     const std::string& stream) {
  if (method_for(m, v.size()) == IntervalMethod::t) return t_interval(v);
  return bootstrap_interval(v, seed ^ fnv1a(stream));
}

nlohmann::json interval_json(const std::optional<Interval>& i) {
  if (!i) return nullptr;
  return nlohmann::json::array({json_number(i->lo), json_number(i->hi)});
}

// Per-seed values of one metric for one strategy, aligned with `seeds` (nullopt = missing).
std::vector<std::optional<double>> values_by_seed(const CompareMetric& m, const std::vector<CompareRun>& runs,
                                                  const std::vector<std::uint64_t>& seeds) {
  std::vector<std::optional<double>> out(seeds.size());
  for (std::size_t i = 0; i < seeds.size(); ++i)
    for (const auto& r : runs)
      if (r.seed == seeds[i]) out[i] = m.extract(r.report);
  return out;
}

std::vector<double> present(const std::vector<std::optional<double>>& v) {
  std::vector<double> out;
  for (const auto& x : v)
    if (x) out.push_back(*x);
  return out;
}

nlohmann::json values_json(const std::vector<std::optional<double>>& v) {
  nlohmann::json a = nlohmann::json::array();
  for (const auto& x : v) a.push_back(x ? json_number(*x) : nlohmann::json(nullptr));
  return a;
}

}  // namespace

nlohmann::json build_compare(const CompareInput& in) {
  nlohmann::json out;
  out["schema_version"] = kCompareSchemaVersion;
  nlohmann::json scenario = in.scenario;
  if (scenario.is_null())
    for (const auto& [name, runs] : in.runs)
      if (!runs.empty() && runs.front().report.contains("scenario")) {
        scenario = runs.front().report["scenario"];
        break;
      }
  out["scenario"] = scenario;
  out["seeds"] = in.seeds;
  out["bootstrap_seed"] = in.bootstrap_seed;

  std::map<std::string, std::map<std::string, std::vector<std::optional<double>>>> by_strategy;
  nlohmann::json strategies = nlohmann::json::object();
  for (const auto& [name, runs] : in.runs) {
    nlohmann::json s;
    s["runs"] = nlohmann::json::array();
    for (const auto& r : runs) s["runs"].push_back(r.path);
    s["metrics"] = nlohmann::json::object();
    for (const auto& m : compare_metrics()) {
      auto vals = values_by_seed(m, runs, in.seeds);
      auto v = present(vals);
      if (v.empty()) continue;
      by_strategy[name][m.name] = vals;
      s["metrics"][m.name] = {{"values", values_json(vals)},
                              {"n", v.size()},
                              {"mean", json_number(mean(v))},
                              {"stddev", json_number(sample_stddev(v))},
                              {"ci95", interval_json(interval_for(m, v, in.bootstrap_seed, name + "/" + m.name))},
                              {"interval", method_name(method_for(m, v.size()))}};
    }
    strategies[name] = std::move(s);
  }
  out["strategies"] = std::move(strategies);

  nlohmann::json deltas = nlohmann::json::object();
  if (by_strategy.count(kBallooned) && by_strategy.count(kUnpopulated)) {
    for (const auto& m : compare_metrics()) {
      auto& b = by_strategy[kBallooned];
      auto& u = by_strategy[kUnpopulated];
      if (!b.count(m.name) || !u.count(m.name)) continue;
      std::vector<std::optional<double>> d(in.seeds.size());
      for (std::size_t i = 0; i < in.seeds.size(); ++i)
        if (b[m.name][i] && u[m.name][i]) d[i] = *u[m.name][i] - *b[m.name][i];  // paired by seed
      auto v = present(d);
      if (v.empty()) continue;
      auto ci = interval_for(m, v, in.bootstrap_seed, "delta/" + m.name);
      deltas[m.name] = {{"values", values_json(d)},
                        {"n", v.size()},
                        {"mean", json_number(mean(v))},
                        {"ci95", interval_json(ci)},
                        {"interval", method_name(method_for(m, v.size()))},
                        {"significant", ci.has_value() && ci->excludes_zero()}};
    }
  }
  out["deltas"] = std::move(deltas);
  out["unavailable"] = nlohmann::json::object();
  for (const auto& [name, why] : in.unavailable) out["unavailable"][name] = why;
  nlohmann::json meta = nlohmann::json::object();
  for (const auto& m : compare_metrics())
    meta[m.name] = {{"pointer", m.pointer},
                    {"unit", m.unit},
                    {"description", m.description},
                    {"interval", method_name(m.interval)}};
  out["metrics"] = std::move(meta);
  return out;
}

CompareRun load_compare_run(const std::filesystem::path& report, const std::string& shown_path) {
  std::ifstream f(report, std::ios::binary);
  if (!f) throw InputError(report.string() + ": found no readable file, expected a report.json");
  std::stringstream ss;
  ss << f.rdbuf();
  CompareRun run;
  run.path = shown_path;
  try {
    run.report = nlohmann::json::parse(ss.str());
  } catch (const nlohmann::json::parse_error& e) {
    throw InputError(report.string() + ": byte " + std::to_string(e.byte) + ": found invalid JSON, expected a report");
  } catch (const nlohmann::json::out_of_range&) {
    // A number beyond a double ("1e999") is out_of_range 406, not parse_error (same fuzz finding as e820).
    throw InputError(report.string() + ": found a number beyond the range of a double, expected a report");
  }
  if (!run.report.is_object() || !run.report.contains("seed") || !run.report["seed"].is_number_unsigned())
    throw InputError(report.string() + ": /seed: found " +
                     (run.report.is_object() && run.report.contains("seed") ? run.report["seed"].dump() : "nothing") +
                     ", expected a non-negative integer");
  run.seed = run.report["seed"].get<std::uint64_t>();
  return run;
}

}  // namespace gm
