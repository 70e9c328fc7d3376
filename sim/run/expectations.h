// Evaluates a scenario's `expect` entries against a finished report (design §6 exit 0/1).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/scenario/scenario.h"

namespace gm {

// Returns report.json's `expect`: [{check, ok, detail}] in scenario order.
// - no_enomem: no caller request failed with -ENOMEM;
// - no_guest_crash / guest_crash: the simulated guest did not / did hit a BUG_ON;
// - effective_strategy: the allocator callers really got equals `strategy`;
// - metric_max / metric_min: the report value at `metric` (a JSON pointer such as
//   /latency/overall/p99_ns, or the same path dotted: latency.overall.p99_ns) is <= / >= `value`
//   (a number, or a size/duration string converted to bytes/ns).
nlohmann::json evaluate_expectations(const std::vector<Expectation>& expect, const nlohmann::json& report);

}  // namespace gm
