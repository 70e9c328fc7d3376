// gnuplot scripts and data next to a report, rendered to SVG and PNG when gnuplot is installed.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "models/units.h"

namespace gm {

// What a plotting call left on disk, and whether the images exist.
struct PlotResult {
  std::vector<std::filesystem::path> files;  // scripts, data and images written (in that order)
  bool rendered = true;                      // every script was rendered to .svg and .png
  std::string message;                       // empty when rendered; else why not and how to render
  void merge(PlotResult other);
};

// Where gnuplot is: `program` when set, else $GUESTMEM_GNUPLOT when set, else "gnuplot" on $PATH.
struct PlotOptions {
  std::string program;
  bool render = true;  // false: write scripts and data only
};

// One latency CDF: value_ns[i] is the p-th percentile with p = percent[i] (both ascending).
struct CdfCurve {
  std::string name;
  std::vector<double> percent, value_ns;
  std::string style;  // extra gnuplot line options, e.g. "lc rgb '#1b9e77' dt 2"; empty: gnuplot's defaults
};
// One line over simulated time.
struct TimeCurve {
  std::string name;
  std::vector<std::int64_t> t_ns;
  std::vector<double> y;
  std::string style;
};
// Curves sharing one y axis; several panels are stacked with a common time axis.
struct TimePanel {
  std::string ylabel;
  std::vector<TimeCurve> curves;
  std::string yrange = "[*:*]";  // gnuplot syntax; "[0:*]" for quantities that cannot be negative
};
// One range of the guest-physical address map (inclusive end, like the kernel prints it).
struct MapRange {
  std::string name;
  PhysAddr start, end;
  std::string kind;  // ram, reserved, acpi, pci, scratch, hotplug, other (picks the colour)
};

// Contract for the plot_* functions: write DIR/STEM.gp (a self-contained script that draws the same
// body once to STEM.svg and once to STEM.png, with pngcairo, or png where pngcairo is missing) and
// DIR/STEM.dat, then run gnuplot in DIR. Curves without data are left out; with no data at all nothing
// is written and the result is empty. A missing gnuplot or a failing script is not an error: the result says so and how
// to render
// (`cd DIR && gnuplot STEM.gp`). File write failures throw gm::EnvironmentError. DIR must exist.
PlotResult plot_latency_cdf(const std::filesystem::path& dir, const std::string& stem, const std::vector<CdfCurve>& c,
                            const PlotOptions& o = {});
PlotResult plot_time_curves(const std::filesystem::path& dir, const std::string& stem, const std::string& title,
                            const std::string& ylabel, const std::vector<TimeCurve>& c, const PlotOptions& o = {},
                            const std::string& yrange = "[*:*]");
PlotResult plot_time_panels(const std::filesystem::path& dir, const std::string& stem, const std::string& title,
                            const std::vector<TimePanel>& panels, const PlotOptions& o = {});
PlotResult plot_address_map(const std::filesystem::path& dir, const std::string& stem, const std::string& title,
                            const std::vector<MapRange>& ranges, const PlotOptions& o = {});

}  // namespace gm

namespace gm {

// One line with an interval band: at x[i] the mean and the interval [lo[i], hi[i]] (equal to the mean
// when there is none); xlabel[i], when not empty, labels the tic at x[i].
struct BandCurve {
  std::string name;
  std::vector<double> x, mean, lo, hi;
  std::vector<std::string> xtic;
  std::string style;
  int colour = 0;  // gnuplot line colour (lc N); 0: by the curve's position
};

// A metric against a sweep axis: one line per curve with its 95 % band (filled, translucent). `logx`
// draws x on a log2 scale (sizes 1 GiB .. 1 TiB); `logy` draws y on a log10 scale, where a band reaching
// down to 0 or below is drawn from a tenth of its mean. Same file contract as the plot_* functions above.
PlotResult plot_band_curves(const std::filesystem::path& dir, const std::string& stem, const std::string& title,
                            const std::string& xlabel, const std::string& ylabel, const std::vector<BandCurve>& curves,
                            bool logx, const PlotOptions& o = {}, bool logy = false);

}  // namespace gm

namespace gm {

// One bar of a tornado plot: the result with a parameter at its low and at its high value.
struct TornadoBar {
  std::string name;
  double low = 0, high = 0;
};

// Bars in the given order, first on top, each drawn from `center` to `low` (one colour) and from
// `center` to `high` (another), a dashed line at `center` and a solid one at zero. Values are divided by
// `scale` and labelled `xlabel`. Same file contract as the plot_* functions above.
PlotResult plot_tornado(const std::filesystem::path& dir, const std::string& stem, const std::string& title,
                        const std::string& xlabel, double center, const std::vector<TornadoBar>& bars, double scale = 1,
                        const PlotOptions& o = {});

}  // namespace gm
