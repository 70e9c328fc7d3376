// sensitivity.json as people read it: a text report, GitHub markdown, or CSV; and the files of `sensitivity`.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "analysis/plots.h"

namespace gm {

// analysis/compare_table.h (not included here: its enumerator `json` would shadow a file's `using json`).
enum class CompareFormat;

// Contract: text and md give, per headline metric, the default delta and one row per varied parameter
// (widest swing first) with the delta at its low and high value and the flips; then the verdict per metric
// and the parameters not varied with the reason ("not charged by this scenario", "no range in the cost
// file"). csv: one row per metric and parameter (not varied ones included, with their status and empty
// deltas), header in sensitivity_csv_header(). json: doc.dump(2) and a newline.
std::string format_sensitivity(const nlohmann::json& doc, CompareFormat f);
const char* sensitivity_csv_header();

// One tornado plot per headline metric, DIR/tornado-METRIC.{gp,dat,svg,png} (plot_tornado's contract):
// one bar per varied parameter from the delta at its low to the delta at its high value, widest on top,
// around the default delta; parameters whose claim changes are marked in their label.
PlotResult write_tornado_plots(const std::filesystem::path& dir, const nlohmann::json& doc, const PlotOptions& o = {});

}  // namespace gm
