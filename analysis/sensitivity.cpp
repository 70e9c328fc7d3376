// Builds sensitivity.json from the baseline comparison and the comparisons at each parameter's range ends.
#include "analysis/sensitivity.h"

#include <algorithm>
#include <cmath>

#include "analysis/compare_metrics.h"
#include "analysis/time_series.h"

namespace gm {
namespace {

nlohmann::json sens_delta_json(const DeltaAt& d) {
  nlohmann::json ci = nullptr;
  if (d.ci) ci = nlohmann::json::array({json_number(d.ci->lo), json_number(d.ci->hi)});
  return {
      {"mean", d.mean ? json_number(*d.mean) : nlohmann::json(nullptr)}, {"ci95", ci}, {"significant", d.significant}};
}

const CompareMetric* sens_find_metric(const std::string& name) {
  for (const auto& m : compare_metrics())
    if (m.name == name) return &m;
  return nullptr;
}

std::int64_t sens_int_at(const nlohmann::json& j, const char* pointer) {
  nlohmann::json::json_pointer p(pointer);
  if (!j.contains(p) || !j.at(p).is_number()) return 0;
  return j.at(p).get<std::int64_t>();
}

}  // namespace

const std::vector<std::string>& sensitivity_headline_metrics() {
  static const std::vector<std::string> list = {
      "latency_mean_ns",      "latency_p50_ns",       "latency_p99_ns",   "alloc_latency_mean_ns",
      "alloc_latency_p50_ns", "alloc_latency_p99_ns", "failures",         "released_to_xen_pages",
      "scratch_bytes",        "memmap_bytes",         "hotplugged_bytes", "decrease_calls",
      "unusable_index_order9"};
  return list;
}

bool cost_charged(const std::string& name, const nlohmann::json& report) {
  if (!report.is_object() || !report.contains("costs_charged")) return true;
  const auto& c = report["costs_charged"];
  const std::int64_t populate_frames = sens_int_at(report, "/balloon/hypercalls/populate_physmap/frames");
  const std::int64_t decrease_frames = sens_int_at(report, "/balloon/hypercalls/decrease_reservation/frames");
  if (name == "populate_per_page") return populate_frames > 0;
  if (name == "decrease_per_page") return decrease_frames > 0;
  const std::int64_t calls = sens_int_at(report, "/balloon/hypercalls/populate_physmap/calls") +
                             sens_int_at(report, "/balloon/hypercalls/decrease_reservation/calls");
  std::string key = name == "hypercall_base" ? "hypercall" : name;
  for (const char* part : {"cpu_ns", "wait_ns"})
    if (c.contains(part) && c[part].is_object() && c[part].contains(key) && c[part][key].is_number())
      return c[part][key].get<double>() > 0 || (name == "hypercall_base" && calls > 0);
  if (name == "hypercall_base" && calls > 0) return true;
  // Not in the breakdown at all: a newer cost parameter this report does not know; run it to be safe.
  return !(c.contains("cpu_ns") && c["cpu_ns"].is_object());
}

DeltaAt delta_at(const nlohmann::json& compare, const std::string& metric) {
  DeltaAt d;
  nlohmann::json::json_pointer p("/deltas/" + metric);
  if (!compare.is_object() || !compare.contains(p)) return d;
  const auto& j = compare.at(p);
  if (j.contains("mean") && j["mean"].is_number()) d.mean = j["mean"].get<double>();
  if (j.contains("ci95") && j["ci95"].is_array() && j["ci95"].size() == 2 && j["ci95"][0].is_number() &&
      j["ci95"][1].is_number())
    d.ci = Interval{j["ci95"][0].get<double>(), j["ci95"][1].get<double>()};
  d.significant = j.value("significant", false);
  return d;
}

int delta_sign(const DeltaAt& d) {
  if (!d.mean) return 0;
  return *d.mean > 0 ? 1 : *d.mean < 0 ? -1 : 0;
}

std::string delta_claim(const DeltaAt& d) {
  if (!d.mean) return "missing";
  if (!d.significant) return "no significant difference";
  return *d.mean > 0 ? "unpopulated higher" : "unpopulated lower";
}

Flips flips(const DeltaAt& low, const DeltaAt& def, const DeltaAt& high) {
  Flips f;
  for (const DeltaAt* end : {&low, &high}) {
    f.sign = f.sign || delta_sign(*end) != delta_sign(def) || end->mean.has_value() != def.mean.has_value();
    f.significance = f.significance || end->significant != def.significant;
    f.claim = f.claim || delta_claim(*end) != delta_claim(def);
  }
  return f;
}

nlohmann::json build_sensitivity(const SensitivityInput& in) {
  nlohmann::json out;
  out["schema_version"] = kSensitivitySchemaVersion;
  out["scenario"] = in.scenario;
  out["cost_file"] = in.cost_file;
  out["seeds"] = in.seeds;
  out["headline_metrics"] = sensitivity_headline_metrics();
  nlohmann::json meta = nlohmann::json::object();
  for (const auto& name : sensitivity_headline_metrics())
    if (const CompareMetric* m = sens_find_metric(name))
      meta[name] = {{"unit", m->unit}, {"description", m->description}};
  out["metrics"] = meta;

  nlohmann::json base = nlohmann::json::object();
  for (const auto& name : sensitivity_headline_metrics()) base[name] = sens_delta_json(delta_at(in.baseline, name));
  out["baseline"] = {{"compare", in.baseline_compare}, {"deltas", base}};

  nlohmann::json verdict = nlohmann::json::object();
  for (const auto& name : sensitivity_headline_metrics())
    verdict[name] = {{"claim", delta_claim(delta_at(in.baseline, name))},
                     {"survives", true},
                     {"changed_by", nlohmann::json::array()},
                     {"sign_flipped_by", nlohmann::json::array()}};

  nlohmann::json params = nlohmann::json::array();
  nlohmann::json not_charged = nlohmann::json::array();
  for (const auto& p : in.parameters) {
    nlohmann::json j = {{"name", p.name},
                        {"default_ns", p.default_ns},
                        {"low_ns", p.low_ns},
                        {"high_ns", p.high_ns},
                        {"source", p.source}};
    const bool ranged = p.low_ns != p.default_ns || p.high_ns != p.default_ns;
    j["status"] = !p.charged ? kNotCharged : !ranged ? kNoRange : kVaried;
    if (!p.charged) not_charged.push_back(p.name);
    if (!p.charged || !ranged) {
      params.push_back(std::move(j));
      continue;
    }
    j["low_compare"] = p.low.is_null() ? in.baseline_compare : p.low_compare;
    j["high_compare"] = p.high.is_null() ? in.baseline_compare : p.high_compare;
    nlohmann::json metrics = nlohmann::json::object();
    for (const auto& name : sensitivity_headline_metrics()) {
      DeltaAt def = delta_at(in.baseline, name);
      DeltaAt lo = p.low.is_null() ? def : delta_at(p.low, name);
      DeltaAt hi = p.high.is_null() ? def : delta_at(p.high, name);
      Flips f = flips(lo, def, hi);
      metrics[name] = {{"low", sens_delta_json(lo)},          {"default", sens_delta_json(def)},
                       {"high", sens_delta_json(hi)},         {"sign_flip", f.sign},
                       {"significance_flip", f.significance}, {"claim_changes", f.claim}};
      auto& v = verdict[name];
      if (f.sign) v["sign_flipped_by"].push_back(p.name);
      for (auto [end, d] : {std::pair{"low", &lo}, std::pair{"high", &hi}})
        if (delta_claim(*d) != delta_claim(def)) {
          v["survives"] = false;
          v["changed_by"].push_back({{"parameter", p.name}, {"end", end}, {"claim", delta_claim(*d)}});
        }
    }
    j["metrics"] = std::move(metrics);
    params.push_back(std::move(j));
  }
  for (auto& v : verdict)
    v["sign_and_significance_unchanged"] = v["survives"].get<bool>() && v["sign_flipped_by"].empty();
  out["parameters"] = std::move(params);
  out["not_charged"] = std::move(not_charged);
  out["verdict"] = std::move(verdict);
  return out;
}

std::vector<std::size_t> tornado_order(const nlohmann::json& doc, const std::string& metric) {
  std::vector<std::pair<double, std::size_t>> rows;
  if (!doc.contains("parameters") || !doc["parameters"].is_array()) return {};
  const auto& params = doc["parameters"];
  for (std::size_t i = 0; i < params.size(); ++i) {
    nlohmann::json::json_pointer p("/metrics/" + metric);
    if (!params[i].contains(p)) continue;
    const auto& m = params[i].at(p);
    double width = 0;
    if (m["low"]["mean"].is_number() && m["high"]["mean"].is_number())
      width = std::fabs(m["high"]["mean"].get<double>() - m["low"]["mean"].get<double>());
    rows.emplace_back(width, i);
  }
  std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<std::size_t> out;
  for (const auto& r : rows) out.push_back(r.second);
  return out;
}

}  // namespace gm
