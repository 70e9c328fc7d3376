// Every shipped scenario (scenarios/*.json, not the schema) runs once per strategy through the binary with
// exit 0 and no invariant violation: the one-seed slice of `make soak` that `make test` always runs.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <tuple>
#include <vector>

#include "tests/support/run_cli.h"

namespace gm::test {
namespace {

std::vector<std::string> shipped_scenarios() {
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(source_path("scenarios"))) {
    const std::filesystem::path& p = e.path();
    if (p.extension() == ".json" && p.stem() != "scenario.schema" && p.stem() != "sweep.schema") names.push_back(p.stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

using ScenarioRun = std::tuple<std::string, std::string>;  // scenario name, strategy

class ShippedScenario : public ::testing::TestWithParam<ScenarioRun> {};

TEST_P(ShippedScenario, RunsCleanWithSeed1) {
  const auto& [name, strategy] = GetParam();
  TempDir dir;
  const RunResult r = run_guestmem({"run", source_path("scenarios/" + name + ".json").string(), "--strategy", strategy,
                                    "--seed", "1", "--out", dir.path().string(), "--quiet"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json report = nlohmann::json::parse(read_file(dir / "report.json"));
  EXPECT_EQ(report.at("/invariants/violations"_json_pointer).size(), 0u)
      << report.at("/invariants/violations"_json_pointer).dump(2);
  EXPECT_GT(report.at("/invariants/checks"_json_pointer).get<std::uint64_t>(), 0u);
}

TEST(ShippedScenarios, TheFolderHoldsTheThreeKnownScenariosAtLeast) {
  const std::vector<std::string> names = shipped_scenarios();
  for (const char* n : {"balloon-target", "default", "pci-window"})
    EXPECT_NE(std::find(names.begin(), names.end(), n), names.end()) << n;
}

INSTANTIATE_TEST_SUITE_P(AllStrategies, ShippedScenario,
                         ::testing::Combine(::testing::ValuesIn(shipped_scenarios()),
                                            ::testing::Values("ballooned", "unpopulated")),
                         [](const ::testing::TestParamInfo<ScenarioRun>& p) {
                           std::string n = std::get<0>(p.param) + "_" + std::get<1>(p.param);
                           std::replace(n.begin(), n.end(), '-', '_');
                           return n;
                         });

}  // namespace
}  // namespace gm::test
