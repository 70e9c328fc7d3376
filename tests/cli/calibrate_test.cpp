// guestmem calibrate (and run's backend options): fits, cost file, errors, the real backend's refusals.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/support/run_cli.h"
#include "tests/support/synthetic_trace.h"

namespace gm::test {
namespace {

using nlohmann::json;

TEST(CalibrateCommand, RecoversASyntheticTraceWithFivePercentNoiseWithinTwoPercent) {
  TempDir dir;
  SyntheticCosts truth;
  write_file(dir / "calls.jsonl", synthetic_trace(truth, 4000, 0.05, 7));
  auto r = run_guestmem({"calibrate", "calls.jsonl", "--out", "costs/host.json", "--json"}, dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json j = json::parse(r.out);  // exactly one JSON document on stdout
  EXPECT_NEAR(j["fit"]["hypercall_base_ns"].get<double>() / truth.base_ns, 1.0, 0.02);
  EXPECT_NEAR(j["fit"]["populate_physmap_per_extent_ns"].get<double>() / truth.populate_ns, 1.0, 0.02);
  EXPECT_NEAR(j["fit"]["decrease_reservation_per_extent_ns"].get<double>() / truth.decrease_ns, 1.0, 0.02);
  EXPECT_GT(j["fit"]["r2"].get<double>(), 0.99);
  EXPECT_EQ(j["calls"], 4000);

  // The cost file keeps every other default and parses as a cost file (validated through `run`).
  json costs = json::parse(read_file(dir / "costs/host.json"));
  auto ns = [&](const char* k) { return std::stod(costs["costs"][k]["value"].get<std::string>()); };
  EXPECT_NEAR(ns("hypercall_base") / truth.base_ns, 1.0, 0.02);
  EXPECT_NEAR(ns("populate_per_page") / truth.populate_ns, 1.0, 0.02);
  EXPECT_NEAR(ns("decrease_per_page") / truth.decrease_ns, 1.0, 0.02);
  EXPECT_EQ(costs["costs"]["scrub_page"]["value"], "300 ns");
  EXPECT_TRUE(std::filesystem::exists(dir / "costs/calibration_residuals.gp"));
  EXPECT_TRUE(std::filesystem::exists(dir / "costs/calibration_residuals.dat"));
}

TEST(CalibrateCommand, TextOutputShowsTheFitAndRSquared) {
  auto r = run_guestmem({"calibrate", data_path("traces/small.jsonl").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("5 calls fitted (1 failed calls skipped)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("hypercall_base          1000.0 ns"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("populate_per_page      1000.00 ns"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("decrease_per_page       400.00 ns"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("R² 1.0000"), std::string::npos) << r.out;
}

TEST(CalibrateCommand, BadTraceIsExitTwoWithEveryBadLine) {
  auto r = run_guestmem({"calibrate", data_path("traces/bad.jsonl").string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("bad.jsonl:3: /kind: found \"increase_reservation\""), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("bad.jsonl:4: /extents: found -3"), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty());
}

TEST(CalibrateCommand, HelpTeachesWithAnExample) {
  auto r = run_guestmem({"calibrate", "--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("Example:"), std::string::npos);
  EXPECT_NE(r.out.find("--hypercall-trace"), std::string::npos);
}

}  // namespace
}  // namespace gm::test
