// What `guestmem compare` leaves in its output directory: compare.json and the comparison plots.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>

#include "analysis/compare.h"
#include "analysis/plots.h"

namespace gm {

// The written document and the plots' outcome (PlotResult::message says how to render when gnuplot
// is missing; print it on stderr).
struct CompareOutputs {
  nlohmann::json compare;
  PlotResult plots;
};

// Contract: builds compare.json from `in` (build_compare), writes DIR/compare.json atomically (DIR is
// created when missing) and the plots of write_compare_plots into DIR. gm::EnvironmentError when a
// file cannot be written; a missing gnuplot is not an error.
CompareOutputs write_compare_outputs(const std::filesystem::path& dir, const CompareInput& in,
                                     const PlotOptions& o = {});

}  // namespace gm
