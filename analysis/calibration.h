// Cost-model calibration from a hypercall trace (`guestmem calibrate`): least-squares fits of the
// per-call and per-extent cost of each hypercall kind, with R² and residuals, and the cost file that
// carries the fitted values (scenarios/costs format). The trace is what sim/hypervisor/hypercall_trace.h
// writes, from either backend.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/plots.h"

namespace gm {

// One line of a hypercall trace.
struct TraceCall {
  std::string kind;  // populate_physmap | decrease_reservation
  std::uint64_t extents = 0;
  std::int64_t result = 0;  // extents done, or -errno
  std::int64_t ns = 0;      // duration
  std::int64_t start_ns = 0;
};

// Parses JSON lines; blank lines are skipped. gm::InputError "NAME:LINE:COL: found X, expected Y"
// (or "NAME:LINE: /field: ...") for each bad line, all of them at once.
std::vector<TraceCall> parse_hypercall_trace(std::string_view text, std::string_view name);

// ns = base_ns + per_extent_ns * extents done, fitted over the calls of one kind.
struct LinearFit {
  double base_ns = 0, per_extent_ns = 0;
  double r2 = 0;
  double rms_residual_ns = 0;
  std::size_t calls = 0;
};

struct Calibration {
  std::map<std::string, LinearFit> per_kind;  // each kind on its own (its own per-call cost)
  // The cost model's shape: one hypercall_base shared by both kinds plus a per-extent cost per kind
  // (sim/hypervisor/simulated.cpp charges hypercall_base + per_page * done). Kinds absent from the
  // trace are absent from per_extent_ns.
  double hypercall_base_ns = 0;
  std::map<std::string, double> per_extent_ns;
  double r2 = 0;
  double rms_residual_ns = 0;
  std::vector<std::int64_t> residual_start_ns;  // per fitted call, in trace order
  std::vector<double> residual_ns;              // measured - fitted
  std::size_t used = 0, skipped = 0;            // skipped: calls that failed (result < 0)
};

// Contract: fits with Eigen's ColPivHouseholderQR. gm::InputError when the trace cannot determine the
// parameters (no successful call, or a kind whose calls all did the same number of extents).
Calibration calibrate(const std::vector<TraceCall>& calls, std::string_view name);

// The cost file: `base_costs_json` (a scenarios/costs file) with hypercall_base, populate_per_page and
// decrease_per_page replaced by the fitted values (rounded to ns) and their source naming the trace;
// parameters of kinds absent from the trace keep their value.
std::string calibrated_cost_file(const Calibration& c, std::string_view base_costs_json, std::string_view trace_name);

// What `calibrate --json` prints: {calls, skipped_failed_calls, fit:{hypercall_base_ns, r2, rms_residual_ns,
// KIND_per_extent_ns}, per_kind:{KIND:{calls, base_ns, per_extent_ns, r2, rms_residual_ns}}, cost_file}
// (cost_file null when empty), and the table it prints without --json.
nlohmann::ordered_json calibration_json(const Calibration& c, const std::string& cost_file);
std::string calibration_text(const Calibration& c);

// Residuals of the joint fit over the trace's simulated time (DIR/STEM.gp, .dat, .svg, .png).
PlotResult plot_calibration_residuals(const std::filesystem::path& dir, const std::string& stem, const Calibration& c,
                                      const PlotOptions& o = {});

}  // namespace gm
