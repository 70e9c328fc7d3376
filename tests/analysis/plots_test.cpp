// Plots: scripts and data always; SVG and PNG when gnuplot is installed; a how-to message otherwise.
#include <gtest/gtest.h>
#include <unistd.h>

#include "analysis/latency.h"
#include "analysis/plots.h"
#include "analysis/report_plots.h"
#include "analysis/time_series.h"
#include "tests/support/run_cli.h"

namespace gm {
namespace {

nlohmann::json sample_report(double scale) {
  LatencyRecorder rec;
  auto c = rec.caller("gntdev-0", "gntdev");
  for (int i = 1; i <= 200; ++i) rec.record(c, nanoseconds(static_cast<std::int64_t>(scale * (1000 + i * i * 10))));
  TimeSeries ts;
  auto ram = ts.add_metric(std::string(series::kGuestRamBytes), "bytes", "guest RAM");
  auto scratch = ts.add_metric(std::string(series::kScratchBytes), "bytes", "scratch");
  auto bal = ts.add_metric(std::string(series::kBalloonedPages), "pages", "ballooned");
  auto u9 = ts.add_metric(std::string(series::kUnusableIndexPrefix) + "9", "index", "order 9");
  auto dec = ts.add_metric("decrease_calls", "calls", "cumulative decrease_reservation calls");
  for (int s = 0; s <= 10; ++s) {
    ts.add_row(seconds(s));
    ts.set(ram, 4294967296.0 - s * 16777216.0 * scale);
    ts.set(scratch, s > 2 ? 134217728.0 : 0);
    ts.set(bal, s * 4096.0 * scale);
    ts.set(u9, 0.05 * s * scale);
    ts.set(dec, s * s * 10.0);  // rate over [s-1, s] = 10 (2s - 1) calls/s
  }
  nlohmann::json r;
  r["latency"] = rec.to_json();
  r["time_series"] = ts.to_json();
  r["address_space"] = {{"iomem",
                         {{{"name", "System RAM"}, {"start", 0x100000}, {"end", 0xbfffffff}, {"depth", 0}},
                          {{"name", "PCI Bus 0000:00"}, {"start", 0xc0000000}, {"end", 0xfebfffff}, {"depth", 0}},
                          {{"name", "Reserved"}, {"start", 0xfec00000}, {"end", 0xffffffff}, {"depth", 0}},
                          {{"name", "System RAM"}, {"start", 0x100000000}, {"end", 0x13fffffff}, {"depth", 0}},
                          {{"name", "Xen scratch"}, {"start", 0x140000000}, {"end", 0x147ffffff}, {"depth", 0}},
                          {{"name", "System RAM"}, {"start", 0x148000000}, {"end", 0x14fffffff}, {"depth", 0}}}},
                        // Both lists repeat ranges iomem has: they recolour them instead of adding rows.
                        {"scratch_ranges", {{{"start", 0x140000000}, {"end", 0x147ffffff}}}},
                        {"hotplugged_ranges", {{{"start", 0x148000000}, {"end", 0x14fffffff}}}}};
  return r;
}

bool have_gnuplot() {
  const char* path = std::getenv("PATH");
  std::string p = path ? path : "";
  std::size_t pos = 0;
  while (pos <= p.size()) {
    std::size_t c = p.find(':', pos);
    std::string d = p.substr(pos, c == std::string::npos ? std::string::npos : c - pos);
    if (::access((d + "/gnuplot").c_str(), X_OK) == 0) return true;
    if (c == std::string::npos) break;
    pos = c + 1;
  }
  return false;
}

TEST(Plots, MapRangesFromReport) {
  auto ranges = map_ranges_from_report(sample_report(1));
  ASSERT_EQ(ranges.size(), 6u);
  EXPECT_EQ(ranges[0].kind, "ram");
  EXPECT_EQ(ranges[1].kind, "pci");
  EXPECT_EQ(ranges[2].kind, "reserved");
  EXPECT_EQ(ranges[4].kind, "scratch");
  EXPECT_EQ(ranges[5].kind, "hotplug");
  EXPECT_EQ(ranges[5].name, "System RAM (hot-added)");
  EXPECT_EQ(ranges[5].end.value, 0x14fffffffu);
}

TEST(Plots, WithoutGnuplotTheScriptsStayAndTheMessageSaysHow) {
  test::TempDir dir;
  PlotOptions o;
  o.program = "/nonexistent/gnuplot";
  auto r = write_run_plots(dir.path(), sample_report(1), o);
  EXPECT_FALSE(r.rendered);
  EXPECT_NE(r.message.find("apt-get install gnuplot-nox"), std::string::npos) << r.message;
  EXPECT_NE(r.message.find("gnuplot \"$f\""), std::string::npos) << r.message;
  EXPECT_EQ(dir.files(), (std::vector<std::string>{"address_map.dat", "address_map.gp", "fragmentation.dat",
                                                   "fragmentation.gp", "hypercalls.dat", "hypercalls.gp",
                                                   "latency_cdf.dat", "latency_cdf.gp", "memory.dat", "memory.gp"}));
  // Rates from the cumulative column: 10, 30, 50, ... calls/s at t = 1, 2, 3, ... s.
  std::string rates = test::read_file(dir / "hypercalls.dat");
  EXPECT_NE(rates.find("\n1 10\n2 30\n3 50\n"), std::string::npos) << rates;
}

// Names come from inputs (a scenario's PCI window names, iomem names): a newline in one must not split a data
// row of the address map or a line of its script.
TEST(Plots, ControlCharactersInNamesStayOnTheirLine) {
  test::TempDir dir;
  PlotOptions o;
  o.render = false;
  auto report = sample_report(1);
  report["address_space"]["iomem"][1]["name"] = "PCI\nBus \"0\"\x01";
  write_run_plots(dir.path(), report, o);
  const std::string data = test::read_file(dir / "address_map.dat");
  EXPECT_NE(data.find(" \"PCI Bus '0'  [0xc0000000-0xfebfffff]\"\n"), std::string::npos) << data;
  std::size_t rows = 0;
  for (std::size_t p = 0; (p = data.find('\n', p)) != std::string::npos; ++p) ++rows;
  EXPECT_EQ(rows, 1u + 6u);  // the header and one row per range
}

TEST(Plots, RenderSvgAndPngWhenGnuplotExists) {
  if (!have_gnuplot()) GTEST_SKIP() << "gnuplot is not installed";
  test::TempDir dir;
  auto r = write_run_plots(dir.path(), sample_report(1));
  EXPECT_TRUE(r.rendered) << r.message;
  for (const char* stem : {"latency_cdf", "fragmentation", "memory", "hypercalls", "address_map"}) {
    std::string svg = test::read_file(dir / (std::string(stem) + ".svg"));
    std::string png = test::read_file(dir / (std::string(stem) + ".png"));
    EXPECT_NE(svg.find("<svg"), std::string::npos) << stem;
    ASSERT_GT(png.size(), 1000u) << stem;
    EXPECT_EQ(png.substr(1, 3), "PNG") << stem;
  }
}

TEST(Plots, ComparePlotsOnePerStrategyMap) {
  if (!have_gnuplot()) GTEST_SKIP() << "gnuplot is not installed";
  test::TempDir dir;
  std::map<std::string, std::vector<nlohmann::json>> by = {{"ballooned", {sample_report(1.0), sample_report(1.1)}},
                                                           {"unpopulated", {sample_report(0.6)}}};
  auto r = write_compare_plots(dir.path(), by);
  EXPECT_TRUE(r.rendered) << r.message;
  auto files = dir.files();
  for (const char* f : {"latency_cdf.png", "latency_cdf.svg", "memory.png", "fragmentation.svg",
                        "address_map_ballooned.png", "address_map_unpopulated.svg"})
    EXPECT_NE(std::find(files.begin(), files.end(), f), files.end()) << f;
  std::string dat = test::read_file(dir / "latency_cdf.dat");
  EXPECT_NE(dat.find("# ballooned"), std::string::npos);
  EXPECT_NE(dat.find("# unpopulated"), std::string::npos);
}

// Sweep curves: a log y axis cannot draw a band down to 0 or below, so such a band starts at a tenth of
// its mean; with a linear axis the band is drawn as given. A curve's own colour wins over its position.
TEST(Plots, BandCurvesOnALogYAxis) {
  test::TempDir dir;
  PlotOptions o;
  o.render = false;
  BandCurve c;
  c.name = "ballooned: allocation";
  c.x = {1, 16};
  c.mean = {2, 3};
  c.lo = {-1, 2.5};
  c.hi = {3, 3.5};
  c.style = "dt 2";
  c.colour = 2;
  plot_band_curves(dir.path(), "log", "t", "x", "y", {c}, true, o, true);
  const std::string dat = test::read_file(dir / "log.dat");
  EXPECT_NE(dat.find("\n1 2 0.2 3 "), std::string::npos) << dat;
  EXPECT_NE(dat.find("\n16 3 2.5 3.5 "), std::string::npos) << dat;
  const std::string gp = test::read_file(dir / "log.gp");
  EXPECT_NE(gp.find("set logscale y 10"), std::string::npos) << gp;
  EXPECT_EQ(gp.find("set yrange [0:*]"), std::string::npos) << gp;
  EXPECT_NE(gp.find("lc 2 dt 2 title 'ballooned: allocation'"), std::string::npos) << gp;
  plot_band_curves(dir.path(), "lin", "t", "x", "y", {c}, false, o);
  EXPECT_NE(test::read_file(dir / "lin.dat").find("\n1 2 -1 3 "), std::string::npos);
  EXPECT_NE(test::read_file(dir / "lin.gp").find("set yrange [0:*]"), std::string::npos);
}

}  // namespace
}  // namespace gm
