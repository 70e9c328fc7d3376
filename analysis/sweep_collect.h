// `guestmem collect`: every finished run of a sweep directory into one table (one row per point x
// strategy: mean and 95 % interval over seeds of the headline metrics), curves per numeric axis, and
// the list of runs that are missing, failed or unavailable (never silently dropped).
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "analysis/plots.h"
#include "analysis/stats.h"
#include "analysis/sweep_plan.h"

namespace gm {

// The metrics of compare_metrics() that a sweep tabulates and plots (the table's column order).
const std::vector<std::string>& sweep_headline_metrics();

struct SweepCell {
  std::optional<double> mean;
  std::optional<Interval> ci95;  // t interval, or bootstrap with >= kMinBootstrapValues seeds (as compare)
  std::string interval;          // "t" | "bootstrap" | "" (no interval: fewer than 2 values)
};

struct SweepRow {
  std::size_t point = 0;
  std::string strategy;
  std::size_t planned = 0, finished = 0;  // runs (seeds) planned and with a report
  std::size_t expect_failed = 0;          // finished runs with an `expect` that did not hold
  std::vector<SweepCell> cells;           // per sweep_headline_metrics()
};

// A run that contributes nothing: "missing" (never ran or still running), "failed" (its directory exists
// without report.json), or "unavailable" (the point's kernel cannot have the strategy).
struct SweepGap {
  std::size_t point = 0;
  std::string strategy;
  std::uint64_t seed = 0;
  std::string dir, status, detail;
};

struct SweepCollection {
  SweepPlan plan;
  std::vector<SweepRow> rows;  // point-major, strategies in plan order; rows without any run are kept
  std::vector<SweepGap> gaps;
  std::size_t missing_or_failed() const;
};

// Contract: reads DIR/plan.json and every DIR/runs/ID/report.json; the numbers depend only on the
// reports (the same runs give byte-identical tables whichever machine or scheduler made them). Intervals
// come from build_compare() (analysis/compare.h), per point, seeded with the point's first seed.
SweepCollection collect_sweep(const std::filesystem::path& dir);

// sweep.json: {"schema_version", "name", "axes":[{pointer, unit, zip_with}], "metrics":{NAME:{unit, description}},
// "rows":[{"point", "values":{POINTER:value}, "strategy", "planned", "finished", "expect_failed",
// "metrics":{NAME:{"mean", "ci95":[lo,hi]|null, "interval"}}}], "gaps":[{point, strategy, seed, dir, status, detail}]}.
nlohmann::json sweep_collection_json(const SweepCollection& c);
// Header: point, one column per axis pointer, strategy, planned, finished, expect_failed, then per metric
// METRIC_mean, METRIC_ci_lo, METRIC_ci_hi; numbers in their shortest round-trip form, empty = none.
std::string format_sweep_csv(const SweepCollection& c);
// Per metric a table of rows (axis values, strategy, n, mean, 95 % interval) with scaled units; then the gaps.
std::string format_sweep_text(const SweepCollection& c);
std::string format_sweep_markdown(const SweepCollection& c);

// Writes DIR/sweep.csv and DIR/sweep.json atomically and DIR/plots/METRIC-vs-AXIS.{gp,dat,svg,png}: each
// headline metric against each leading axis whose values are all numeric (sizes, durations, numbers), one
// line per strategy (and per value of the other axes) with its interval band.
PlotResult write_sweep_outputs(const std::filesystem::path& dir, const SweepCollection& c, const PlotOptions& o = {});

}  // namespace gm
