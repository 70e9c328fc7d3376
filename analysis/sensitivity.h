// sensitivity.json: the paired comparison repeated with each cost parameter at the low and at the high
// end of its range, and whether each headline delta keeps its sign and significance (issue 19 item 5).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "analysis/stats.h"

namespace gm {

inline constexpr int kSensitivitySchemaVersion = 1;
inline constexpr const char* kNotCharged = "not charged by this scenario";
inline constexpr const char* kNoRange = "no range in the cost file";
inline constexpr const char* kVaried = "varied";

// The metrics whose deltas sensitivity judges, in table order: both latencies (mean, p50, p99), failures and
// the memory metrics (RAM given to Xen, address space, struct pages, hot-added memory, fragmentation).
const std::vector<std::string>& sensitivity_headline_metrics();

// Whether the run that wrote `report` charged cost parameter `name` at all: its CPU time (costs_charged.cpu_ns,
// where hypercall_base is "hypercall"), its waits (costs_charged.wait_ns), or for the simulated hypervisor's
// per-frame costs the frames of its reservation hypercalls (hypercall_base also counts them). A report without
// these fields (older schema) counts as charging everything.
bool cost_charged(const std::string& name, const nlohmann::json& report);

// One delta of a compare.json document (unpopulated - ballooned): nullopt mean when the metric is missing.
struct DeltaAt {
  std::optional<double> mean;
  std::optional<Interval> ci;
  bool significant = false;
};
DeltaAt delta_at(const nlohmann::json& compare, const std::string& metric);

// -1, 0 or +1: the sign of the mean (0 for a missing mean).
int delta_sign(const DeltaAt& d);
// What a delta claims: "unpopulated higher" / "unpopulated lower" when significant, else
// "no significant difference"; "missing" when there is no delta.
std::string delta_claim(const DeltaAt& d);

// Flips at the low and high end of one parameter against the default. sign: the mean's sign differs at an end;
// significance: "significant" differs at an end; claim: delta_claim differs at an end (a significant result
// that lost significance or turned around, or a new significant result). A sign change of an insignificant
// mean is a sign flip but not a claim change.
struct Flips {
  bool sign = false, significance = false, claim = false;
  bool operator==(const Flips&) const = default;
};
Flips flips(const DeltaAt& low, const DeltaAt& def, const DeltaAt& high);

// One cost parameter: its values from the cost file (after the scenario's overrides), whether the baseline
// runs charged it, and the compare.json documents of its two ends (null when that end was not run: not
// charged, or equal to the default value, where the baseline stands for it).
struct SensitivityParameter {
  std::string name;
  std::int64_t default_ns = 0, low_ns = 0, high_ns = 0;
  std::string source;
  bool charged = true;
  nlohmann::json low, high;
  std::string low_compare, high_compare;  // where their compare.json was written, relative to the output dir
};

struct SensitivityInput {
  nlohmann::json scenario;  // the resolved scenario (from a report)
  std::string cost_file;    // as shown: a path, or "<embedded scenarios/costs/default.json>"
  std::vector<std::uint64_t> seeds;
  nlohmann::json baseline;  // compare.json at the default costs
  std::string baseline_compare;
  std::vector<SensitivityParameter> parameters;  // in cost-file order
};

// Contract: {"schema_version", "scenario", "cost_file", "seeds", "headline_metrics", "metrics":{M:{unit,
// description}}, "baseline":{"compare", "deltas":{M:{mean, ci95, significant}}}, "parameters":[{"name",
// "default_ns", "low_ns", "high_ns", "source", "status": varied | not charged by this scenario | no range in
// the cost file, "low_compare", "high_compare", "metrics":{M:{"low","default","high":{mean, ci95,
// significant}, "sign_flip", "significance_flip", "claim_changes"}}}], "not_charged":[names],
// "verdict":{M:{"claim", "survives", "changed_by":[{"parameter","end","claim"}], "sign_flipped_by":[names],
// "sign_and_significance_unchanged"}}}. A claim survives when no end of any varied parameter changes it;
// sign_and_significance_unchanged is stricter: not even an insignificant mean changed sign.
// Parameters not varied have no "metrics". Depends only on its input (no clock, no paths of this machine).
nlohmann::json build_sensitivity(const SensitivityInput& in);

// Indexes into doc["parameters"] of the varied parameters, widest swing of `metric`'s delta first
// (|delta at high - delta at low|, missing ends count as 0 width; ties keep cost-file order): the tornado order.
std::vector<std::size_t> tornado_order(const nlohmann::json& doc, const std::string& metric);

}  // namespace gm
