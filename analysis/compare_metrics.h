// The declared list of metrics that `compare` reads from each report.json and compares across strategies.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace gm {

// How a metric's 95 % interval over seeds is computed (design §6): Student's t for means and counts,
// a seeded bootstrap for percentiles and maxima, whose per-seed values are far from normal.
enum class IntervalMethod { t, bootstrap };

// One compared metric. `pointer` documents where the value lives in report.json (an RFC 6901 JSON
// pointer, or a short description when the value is derived); `extract` reads it and returns nullopt
// when the report lacks it (missing fields are skipped, never read as zero).
struct CompareMetric {
  std::string name;
  std::string pointer;
  std::string unit;  // ns, bytes, pages, calls, frames, count, ratio, order, index
  std::string description;
  IntervalMethod interval = IntervalMethod::t;
  std::function<std::optional<double>(const nlohmann::json& report)> extract;
};

// Contract: the list is fixed and ordered (the table's row order); names are unique identifiers.
const std::vector<CompareMetric>& compare_metrics();

// The numeric value at `pointer` in `report`, or nullopt when absent, null or not a number.
std::optional<double> number_at(const nlohmann::json& report, const std::string& pointer);

}  // namespace gm
