// `guestmem collect`: a sweep directory's finished runs into sweep.csv, sweep.json, curves and a table.
#include <filesystem>
#include <iostream>

#include "analysis/sweep_collect.h"
#include "models/errors.h"
#include "sim/cli/command.h"

namespace gm::cli {
namespace {

struct CollectArgs {
  std::string dir;
  std::string format = "text";
  bool no_plots = false;
};

void execute(const CollectArgs& a, Context& ctx) {
  SweepCollection c = collect_sweep(a.dir);
  PlotOptions o;
  o.render = !a.no_plots;
  PlotResult plots = write_sweep_outputs(a.dir, c, o);
  if (!plots.message.empty() && !a.no_plots) std::cerr << "guestmem: " << plots.message << '\n';
  if (a.format == "csv")
    std::cout << format_sweep_csv(c);
  else if (a.format == "json")
    std::cout << sweep_collection_json(c).dump(2) << '\n';
  else if (a.format == "md")
    std::cout << format_sweep_markdown(c);
  else
    std::cout << format_sweep_text(c);
  const std::size_t gaps = c.missing_or_failed();
  if (gaps > 0)
    std::cerr << "guestmem: " << gaps << " planned runs are missing or failed (listed above and in sweep.json "
              << "\"gaps\"): rerun the sweep to compute them\n";
  ctx.exit_code = gaps > 0 ? kExitFailed : kExitOk;
}

void add_collect(CLI::App& app, Context& ctx) {
  auto a = std::make_shared<CollectArgs>();
  auto* sub = app.add_subcommand("collect", "Gather a sweep directory's finished runs into one table and curves");
  sub->description(
      "Reads DIR/plan.json (written by `guestmem sweep`, with or without --emit) and every DIR/runs/ID/report.json,\n"
      "whoever ran them (here, GNU parallel, Slurm). Writes DIR/sweep.csv and DIR/sweep.json: one row per point x\n"
      "strategy, mean and 95 % interval over seeds of the headline metrics (intervals as in compare), and\n"
      "DIR/plots/METRIC-vs-AXIS.{svg,png}: each metric against each numeric axis, one line per strategy with its\n"
      "band, and DIR/plots/latency-vs-AXIS: request (solid) and allocation (dashed) mean latency together.\n"
      "Runs missing, failed (directory without report.json) or unavailable are listed, never dropped.\n"
      "Exit: 0 every available run finished, 1 some are missing or failed, 2 DIR is not a sweep directory.");
  sub->add_option("dir", a->dir, "Sweep directory (the --out of guestmem sweep)")->required();
  sub->add_option("--format", a->format, "text | md | csv | json (what is printed; both files are always written)")
      ->check(CLI::IsMember({"text", "md", "csv", "json"}))
      ->capture_default_str();
  sub->add_flag("--no-plots", a->no_plots, "Write the plot scripts and data, do not run gnuplot");
  sub->footer(
      "Examples:\n"
      "  guestmem collect sw                      # table on stdout, sw/sweep.csv, sw/plots/*.png\n"
      "  guestmem collect sw --format md > sweep.md");
  sub->callback([a, &ctx] { execute(*a, ctx); });
}

}  // namespace

GUESTMEM_COMMAND(28, add_collect);

}  // namespace gm::cli
