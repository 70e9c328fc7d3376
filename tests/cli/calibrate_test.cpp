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

TEST(CalibrateCommand, BaseFileThatIsNotACostFileIsExitTwo) {
  TempDir dir;
  write_file(dir / "base.json", R"({"description":"x","costs":{"bogus":{"value":"1 ns","source":"s"}}})");
  auto r = run_guestmem(
      {"calibrate", data_path("traces/small.jsonl").string(), "--base", "base.json", "--out", "c.json"}, dir.path());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("base.json with the fitted values: /costs/bogus: unknown cost parameter"), std::string::npos)
      << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "c.json"));
}

TEST(CalibrateCommand, HelpTeachesWithAnExample) {
  auto r = run_guestmem({"calibrate", "--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("Example:"), std::string::npos);
  EXPECT_NE(r.out.find("--hypercall-trace"), std::string::npos);
}

// run --backend xen on a machine without Xen (this one): the exact refusal, before any output.
TEST(RunBackend, RealXenWithoutPrivcmdIsExitThreeWithTheExactMessage) {
  if (std::filesystem::exists("/dev/xen/privcmd")) GTEST_SKIP() << "this machine is a Xen domain";
  TempDir dir;
  auto r = run_guestmem({"run", "--backend", "xen", "--domid", "5", "--quiet"}, dir.path());
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("the real Xen backend needs a Xen domain with /dev/xen/privcmd; this machine has none"),
            std::string::npos)
      << r.err;
  EXPECT_TRUE(dir.files().empty());
}

TEST(RunBackend, DomainZeroAndMisusedOptionsAreExitTwo) {
  TempDir dir;
  auto zero = run_guestmem({"run", "--backend", "xen", "--domid", "0", "--quiet"}, dir.path());
  EXPECT_EQ(zero.exit_code, 2);
  EXPECT_NE(zero.err.find("--domid 0: refused, domain 0 is the control domain"), std::string::npos) << zero.err;
  EXPECT_EQ(run_guestmem({"run", "--backend", "xen", "--quiet"}, dir.path()).exit_code, 2);
  EXPECT_EQ(run_guestmem({"run", "--domid", "5", "--quiet"}, dir.path()).exit_code, 2);
  EXPECT_EQ(run_guestmem({"run", "--dry-run", "--quiet"}, dir.path()).exit_code, 2);
  EXPECT_TRUE(dir.files().empty());
}

TEST(RunBackend, DryRunPrintsTheHypercallsAndTracesThem) {
  TempDir dir;
  auto r = run_guestmem({"run", source_path("scenarios/balloon-target.json").string(), "--backend", "xen", "--domid",
                         "5", "--dry-run", "--quiet", "--hypercall-trace", "calls.jsonl", "--until", "12 s"},
                        dir.path());
  ASSERT_EQ(r.exit_code, 4) << r.err;  // --until: the 1 GiB decrease at 10 s is in, the rest is not needed
  EXPECT_EQ(r.out.rfind("dry-run: XENMEM_decrease_reservation domid 5 nr_extents 512 extent_order 0 gfns 0x", 0), 0u)
      << r.out.substr(0, 200);
  std::string trace = read_file(dir / "calls.jsonl");
  auto lines = static_cast<std::size_t>(std::count(trace.begin(), trace.end(), '\n'));
  auto printed = static_cast<std::size_t>(std::count(r.out.begin(), r.out.end(), '\n'));
  EXPECT_EQ(lines, printed);  // one trace line per hypercall printed
  json first = json::parse(trace.substr(0, trace.find('\n')));
  EXPECT_EQ(first["kind"], "decrease_reservation");
  EXPECT_EQ(first["domain"], 5);
  EXPECT_EQ(first["ns"], 500 + 512 * 400);  // the default cost model: hypercall_base + 512 x decrease_per_page
  json rep = json::parse(read_file(dir / "out/report.json"));
  const json& h = rep["balloon"]["hypercalls"];
  EXPECT_EQ(h["decrease_reservation"]["calls"].get<std::size_t>() + h["populate_physmap"]["calls"].get<std::size_t>(),
            lines);
}

TEST(RunBackend, SimulatedTraceHasTheCostModelsDurations) {
  TempDir dir;
  auto r = run_guestmem(
      {"run", source_path("scenarios/balloon-target.json").string(), "--quiet", "--hypercall-trace", "sim.jsonl",
       "--until", "12 s"},
      dir.path());
  ASSERT_EQ(r.exit_code, 4) << r.err;
  std::string trace = read_file(dir / "sim.jsonl");
  ASSERT_FALSE(trace.empty());
  json first = json::parse(trace.substr(0, trace.find('\n')));
  EXPECT_TRUE(first["domain"].is_null());
  EXPECT_EQ(first["ns"].get<std::int64_t>(), 500 + first["result"].get<std::int64_t>() * 400);
}

}  // namespace
}  // namespace gm::test
