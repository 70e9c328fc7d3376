#include "analysis/calibration.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "models/errors.h"
#include "tests/support/run_cli.h"
#include "tests/support/synthetic_trace.h"

namespace gm {
namespace {

constexpr const char* kBaseCosts = R"({"description":"d","costs":{
  "hypercall_base":{"value":"1000 ns","source":"s"},
  "populate_per_page":{"value":"1000 ns","source":"s"},
  "decrease_per_page":{"value":"400 ns","source":"s"},
  "scrub_page":{"value":"300 ns","source":"s"}}})";

TEST(Calibration, ExactTraceIsRecoveredExactlyAndFailedCallsAreSkipped) {
  // tests/data/traces/small.jsonl: base 1000 ns, populate 1000 ns/extent, decrease 400 ns/extent, no
  // noise, one failed call (-22) and one populate that did 0 of 100 extents (costs the base only).
  auto calls = parse_hypercall_trace(test::read_file(test::data_path("traces/small.jsonl")), "small.jsonl");
  ASSERT_EQ(calls.size(), 6u);
  Calibration c = calibrate(calls, "small.jsonl");
  EXPECT_EQ(c.used, 5u);
  EXPECT_EQ(c.skipped, 1u);
  EXPECT_NEAR(c.hypercall_base_ns, 1000, 1e-6);
  EXPECT_NEAR(c.per_extent_ns.at("populate_physmap"), 1000, 1e-6);
  EXPECT_NEAR(c.per_extent_ns.at("decrease_reservation"), 400, 1e-6);
  EXPECT_NEAR(c.r2, 1.0, 1e-12);
  EXPECT_NEAR(c.per_kind.at("decrease_reservation").base_ns, 1000, 1e-6);
  EXPECT_EQ(c.per_kind.at("populate_physmap").calls, 3u);
  ASSERT_EQ(c.residual_ns.size(), 5u);
  EXPECT_EQ(c.residual_start_ns[2], 700000);
  for (double r : c.residual_ns) EXPECT_NEAR(r, 0, 1e-6);
}

TEST(Calibration, FivePercentNoiseIsRecoveredWithinTwoPercent) {
  test::SyntheticCosts truth;  // 1500 ns per call, 850 ns per populated extent, 320 ns per released one
  auto calls = parse_hypercall_trace(test::synthetic_trace(truth, 4000, 0.05, 20261126), "synthetic");
  Calibration c = calibrate(calls, "synthetic");
  EXPECT_NEAR(c.hypercall_base_ns / truth.base_ns, 1.0, 0.02) << c.hypercall_base_ns;
  EXPECT_NEAR(c.per_extent_ns.at("populate_physmap") / truth.populate_ns, 1.0, 0.02);
  EXPECT_NEAR(c.per_extent_ns.at("decrease_reservation") / truth.decrease_ns, 1.0, 0.02);
  EXPECT_GT(c.r2, 0.99);
  EXPECT_LT(c.r2, 1.0);  // the noise is there
  EXPECT_NEAR(c.per_kind.at("populate_physmap").per_extent_ns / truth.populate_ns, 1.0, 0.02);
  EXPECT_EQ(c.used, 4000u);
}

TEST(Calibration, BadLinesAreReportedWithLineAndField) {
  try {
    parse_hypercall_trace(test::read_file(test::data_path("traces/bad.jsonl")), "bad.jsonl");
    FAIL() << "bad trace accepted";
  } catch (const InputError& e) {
    ASSERT_EQ(e.lines().size(), 3u);
    EXPECT_EQ(e.lines()[0].rfind("bad.jsonl:2:", 0), 0u) << e.lines()[0];
    EXPECT_EQ(e.lines()[1],
              "bad.jsonl:3: /kind: found \"increase_reservation\", expected \"populate_physmap\" or "
              "\"decrease_reservation\"");
    EXPECT_EQ(e.lines()[2], "bad.jsonl:4: /extents: found -3, expected a non-negative integer");
  }
}

TEST(Calibration, UndeterminedTracesAreInputErrors) {
  std::string one_size = R"({"kind":"populate_physmap","extents":512,"result":512,"ns":500000}
{"kind":"populate_physmap","extents":512,"result":512,"ns":510000}
)";
  EXPECT_THROW(calibrate(parse_hypercall_trace(one_size, "t"), "t"), InputError);
  std::string failed = R"({"kind":"populate_physmap","extents":512,"result":-12,"ns":500000})";
  EXPECT_THROW(calibrate(parse_hypercall_trace(failed, "t"), "t"), InputError);
}

TEST(Calibration, CostFileReplacesTheThreeHypercallCostsOnly) {
  Calibration c;
  c.hypercall_base_ns = 1234.4;
  c.per_extent_ns["populate_physmap"] = 876.6;  // no decrease calls in this trace
  c.used = 10;
  c.r2 = 0.98765;
  auto j = nlohmann::json::parse(calibrated_cost_file(c, kBaseCosts, "calls.jsonl"));
  EXPECT_EQ(j["costs"]["hypercall_base"]["value"], "1234 ns");
  EXPECT_EQ(j["costs"]["populate_per_page"]["value"], "877 ns");
  EXPECT_EQ(j["costs"]["decrease_per_page"]["value"], "400 ns");
  EXPECT_EQ(j["costs"]["scrub_page"]["value"], "300 ns");
  EXPECT_NE(j["costs"]["hypercall_base"]["source"].get<std::string>().find(
                "calls.jsonl (10 calls, least squares, R² 0.9877)"),
            std::string::npos);
}

TEST(Calibration, ResidualPlotScriptAndData) {
  auto calls = parse_hypercall_trace(test::read_file(test::data_path("traces/small.jsonl")), "small.jsonl");
  test::TempDir dir;
  PlotResult p = plot_calibration_residuals(dir.path(), "res", calibrate(calls, "small.jsonl"), {"", false});
  EXPECT_TRUE(std::filesystem::exists(dir / "res.gp"));
  EXPECT_TRUE(std::filesystem::exists(dir / "res.dat"));
}

}  // namespace
}  // namespace gm
