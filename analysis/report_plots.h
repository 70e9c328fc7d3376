// The standard plots of a run (report.json) and of a comparison (reports per strategy).
#pragma once

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "analysis/plots.h"

namespace gm {

// Map ranges from a report: /address_space/e820 (kind from the type), /address_space/iomem entries of
// depth <= 1 (kind from the name: "System RAM", "Xen scratch", "PCI ...", "ACPI ...", "Reserved"), and
// /address_space/scratch_ranges and /address_space/hotplugged_ranges ([{start, end}]) when present.
std::vector<MapRange> map_ranges_from_report(const nlohmann::json& report);

// Contract: writes into `dir` (which must exist) latency_cdf, fragmentation, memory, hypercalls and address_map
// (.gp, .dat, and .svg + .png when gnuplot runs); plots whose data the report lacks are skipped. Time
// series columns are read by the names in gm::series (time_series.h).
PlotResult write_run_plots(const std::filesystem::path& dir, const nlohmann::json& report, const PlotOptions& o = {});

// Contract: as write_run_plots for a comparison: latency_cdf (one curve per strategy: the per-seed CDFs
// averaged percentile by percentile, i.e. Vincentized), fragmentation (order-9 unusable index over time),
// memory (guest RAM above, scratch and ballooned memory below) and hypercalls (rates from the cumulative
// populate_calls / decrease_calls columns) from each strategy's first report, and
// address_map_STRATEGY per strategy. Each strategy keeps its colour across the plots.
PlotResult write_compare_plots(const std::filesystem::path& dir,
                               const std::map<std::string, std::vector<nlohmann::json>>& reports_by_strategy,
                               const PlotOptions& o = {});

}  // namespace gm
