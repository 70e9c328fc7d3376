// Every file option creates the folders above its path that do not exist yet, as --out always did
// (analysis/atomic_write.h create_parent_directories): one test per option.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/support/run_cli.h"

namespace gm::test {
namespace {

// A short scenario that makes hypercalls (the balloon reaches its target in the first second).
std::string short_scenario(const TempDir& tmp) {
  const std::string file = (tmp / "short.json").string();
  write_file(file, R"({"name": "short", "duration": "1 s", "sampling": "500 ms",
    "guest": {"memory": "512 MiB", "maxmem": "512 MiB"},
    "balloon": {"target": [{"at": "0 s", "size": "480 MiB"}]}})");
  return file;
}

TEST(OutputPaths, RunOutCreatesMissingFolders) {
  TempDir tmp;
  auto r = run_guestmem({"run", short_scenario(tmp), "--quiet", "--out", "a/b/c"}, tmp.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(std::filesystem::is_regular_file(tmp / "a/b/c/report.json"));
  EXPECT_TRUE(std::filesystem::is_regular_file(tmp / "a/b/c/time_series.csv"));
}

TEST(OutputPaths, RunTraceCreatesMissingFolders) {
  TempDir tmp;
  auto r = run_guestmem({"run", short_scenario(tmp), "--quiet", "--out", "out", "--trace", "traces/x/trace.json"},
                        tmp.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(read_file(tmp / "traces/x/trace.json"));
  EXPECT_FALSE(j["traceEvents"].empty());
}

TEST(OutputPaths, RunHypercallTraceCreatesMissingFolders) {
  TempDir tmp;
  auto r = run_guestmem(
      {"run", short_scenario(tmp), "--quiet", "--out", "out", "--hypercall-trace", "calls/x/calls.jsonl"}, tmp.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string calls = read_file(tmp / "calls/x/calls.jsonl");
  ASSERT_FALSE(calls.empty());
  EXPECT_EQ(nlohmann::json::parse(calls.substr(0, calls.find('\n')))["kind"], "decrease_reservation");
}

TEST(OutputPaths, CalibrateOutAndPlotsCreateMissingFolders) {
  TempDir tmp;
  const std::string trace = data_path("traces/small.jsonl").string();
  auto r = run_guestmem({"calibrate", trace, "--out", "costs/x/host.json", "--json"}, tmp.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(std::filesystem::is_regular_file(tmp / "costs/x/host.json"));
  EXPECT_TRUE(std::filesystem::is_regular_file(tmp / "costs/x/calibration_residuals.dat"));
  r = run_guestmem({"calibrate", trace, "--plots", "plots/y", "--json"}, tmp.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(std::filesystem::is_regular_file(tmp / "plots/y/calibration_residuals.dat"));
}

TEST(OutputPaths, CompareOutCreatesMissingFolders) {
  TempDir tmp;
  auto r = run_guestmem({"compare", short_scenario(tmp), "--seeds", "1", "--jobs", "2", "--quiet", "--format", "json",
                         "--out", "cmp/x"},
                        tmp.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(std::filesystem::is_regular_file(tmp / "cmp/x/compare.json"));
}

TEST(OutputPaths, KconfigMatrixOutCreatesMissingFolders) {
  TempDir tmp;
  auto r = run_guestmem({"kconfig", "--matrix", data_path("kconfig/matrix_small.json").string(), "--arch", "x86_64",
                         "--kernel", "6.12", "--jobs", "2", "--quiet", "--json", "--out", "matrix/x"},
                        tmp.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(std::filesystem::is_regular_file(tmp / "matrix/x/matrix.json"));
}

// A folder that cannot be created is the environment's fault: exit 3 naming it, not a crash.
TEST(OutputPaths, AFileInTheWayIsExitThree) {
  TempDir tmp;
  write_file(tmp / "blocker", "a file, not a folder\n");
  auto r = run_guestmem({"run", short_scenario(tmp), "--quiet", "--out", "out", "--trace", "blocker/trace.json"},
                        tmp.path());
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("blocker"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace gm::test
