// `guestmem calibrate TRACE`: fits the hypercall costs of a hypercall trace (either backend's
// --hypercall-trace) and writes a cost file scenarios can use (`costs.file`).
#include <guestmem/embedded.h>

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "analysis/atomic_write.h"
#include "analysis/calibration.h"
#include "sim/cli/command.h"
#include "sim/engine/cost_model.h"
#include "models/errors.h"
#include "sim/run/guest_builder.h"

namespace gm::cli {
namespace {

struct CalibrateArgs {
  std::string trace;
  std::string out;
  std::string base;
  std::string plots;
  bool json = false;
};

void execute(const CalibrateArgs& a, Context& ctx) {
  std::string text = read_input_file(a.trace);
  Calibration c = calibrate(parse_hypercall_trace(text, a.trace), a.trace);
  std::string base = a.base.empty() ? std::string(embedded::default_costs) : read_input_file(a.base);
  std::string costs;
  try {
    costs = calibrated_cost_file(c, base, std::filesystem::path(a.trace).filename().string());
  } catch (const nlohmann::json::exception&) {
    throw InputError(a.base + ": found malformed JSON, expected a cost file (scenarios/costs format)");
  }
  // What scenarios will load: a base file with unknown or missing parameters fails here, not later.
  (void)CostModel::from_json_text(
      costs, (a.base.empty() ? std::string("<embedded default costs>") : a.base) + " with the fitted values");
  if (!a.out.empty()) {
    std::error_code ec;
    auto parent = std::filesystem::absolute(a.out).parent_path();
    std::filesystem::create_directories(parent, ec);
    if (ec) throw EnvironmentError("cannot create directory " + parent.string() + ": " + ec.message());
    write_file_atomically(a.out, costs);
  }

  std::filesystem::path plot_dir = a.plots;
  if (plot_dir.empty() && !a.out.empty()) plot_dir = std::filesystem::absolute(a.out).parent_path();
  PlotResult plots;
  if (!plot_dir.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(plot_dir, ec);
    if (ec) throw EnvironmentError("cannot create plot directory " + plot_dir.string() + ": " + ec.message());
    plots = plot_calibration_residuals(plot_dir, "calibration_residuals", c);
    if (!plots.message.empty()) std::cerr << "guestmem: " << plots.message << '\n';
  }
  if (a.json) {
    std::cout << calibration_json(c, a.out).dump(2) << '\n';
  } else {
    std::cout << calibration_text(c);
    if (!a.out.empty()) std::cout << "cost file: " << a.out << '\n';
    if (!plot_dir.empty()) std::cout << "residual plot: " << (plot_dir / "calibration_residuals.svg").string() << '\n';
  }
  ctx.exit_code = 0;
}

void add_calibrate(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<CalibrateArgs>();
  auto* sub = app.add_subcommand("calibrate", "Fit the hypercall costs of a hypercall trace and write a cost file");
  sub->description(
      "Reads a hypercall trace (JSON lines from `guestmem run --hypercall-trace FILE`, simulated or real Xen\n"
      "backend) and fits, by least squares, ns = per-call cost + per-extent cost x extents done: per hypercall\n"
      "kind, and jointly in the cost model's shape (one hypercall_base, populate_per_page, decrease_per_page).\n"
      "Prints the fits with R² and the residuals' rms; --out writes a cost file (the base file with the three\n"
      "fitted values) for a scenario's `costs.file`, and a residual plot next to it.");
  sub->add_option("trace", args->trace, "Hypercall trace (JSON lines)")->required();
  sub->add_option("--out", args->out, "Write the calibrated cost file here");
  sub->add_option("--base", args->base, "Cost file whose other values are kept (default: the embedded default.json)");
  sub->add_option("--plots", args->plots, "Directory for the residual plot (default: the directory of --out)");
  sub->add_flag("--json", args->json, "Print the fit as one JSON document");
  sub->footer(
      "Example:\n"
      "  guestmem run scenarios/balloon-target.json --backend xen --domid 7 --hypercall-trace calls.jsonl\n"
      "  guestmem calibrate calls.jsonl --out scenarios/costs/my-host.json");
  sub->callback([args, &ctx] { execute(*args, ctx); });
}

}  // namespace

GUESTMEM_COMMAND(80, add_calibrate);

}  // namespace gm::cli
