// docs/costs.md is generated from scenarios/costs/default.json, and the file keeps its promises: a
// range and a source for every value, at most three "estimate"s.
#include "sim/report/cost_docs.h"

#include <gtest/gtest.h>

#include "sim/engine/cost_model.h"
#include "tests/support/run_cli.h"

namespace gm {
namespace {

TEST(CostDocs, CheckedInTableIsCurrent) {
  auto on_disk = test::read_file(test::source_path("docs/costs.md"));
  EXPECT_TRUE(on_disk == cost_table_markdown())
      << "docs/costs.md is stale: scenarios/costs/default.json changed. Refresh it from the repository root with\n"
         "  cmake --build BUILD --target gen_scenario_docs && BUILD/sim/gen_scenario_docs .";
}

TEST(CostDocs, EveryDefaultValueHasARangeASourceAndAChargingStep) {
  const CostModel m = CostModel::defaults();
  const auto values = m.values();
  int estimates = 0;
  for (const auto& name : CostModel::parameter_names()) {
    const auto& e = m.entries().at(name);
    EXPECT_LT(e.low, e.high) << name << ": no range (low == high)";
    EXPECT_LE(e.low, values.at(name)) << name;
    EXPECT_LE(values.at(name), e.high) << name;
    EXPECT_GT(e.source.size(), 40u) << name << ": a source names a publication, a measurement or a derivation";
    if (e.source.rfind("estimate", 0) == 0) ++estimates;
    EXPECT_FALSE(cost_charged_by(name).empty()) << name << ": which kernel step charges it?";
  }
  EXPECT_LE(estimates, 3);
}

}  // namespace
}  // namespace gm
