// The Kconfig matrix classes an -ENOMEM as expected only where a named rule explains it
// (sim/kconfig/kconfig_matrix.h explain_enomem); the CLI fixture (tests/cli/kconfig_matrix_test.cpp) checks cells.
#include "sim/kconfig/kconfig_matrix.h"

#include <gtest/gtest.h>

#include "sim/scenario/scenario.h"

namespace gm {
namespace {

Scenario scenario_with_faults(const std::string& faults) {
  return load_scenario_text(R"({"xen": {"faults": [)" + faults + "]}}", "s.json", ".");
}

// A report of a run whose guest kept plenty of free memory, with the unpopulated allocator's state.
nlohmann::json healthy_report() {
  return nlohmann::json{{"unpopulated", {{"fills", 3}, {"fill_failures", 0}}},
                        {"notes", nlohmann::json::array()},
                        {"time_series",
                         {{"free_bytes", {3e9, 2.5e9, 2.6e9}}, {"guest_ram_bytes", {4294967296.0, 4294967296.0, 4294967296.0}}}}};
}

TEST(KconfigMatrixEnomem, UnexplainedEnomemHasNoRule) {
  const Scenario none = scenario_with_faults("");
  EXPECT_EQ(explain_enomem("unpopulated", none, healthy_report()), std::nullopt);
  EXPECT_EQ(explain_enomem("ballooned", none, healthy_report()), std::nullopt);
  // A fault on the other allocator's path explains nothing.
  EXPECT_EQ(explain_enomem("ballooned", scenario_with_faults(R"({"what": "pgmap_alloc"})"), healthy_report()),
            std::nullopt);
  EXPECT_EQ(explain_enomem("unpopulated", scenario_with_faults(R"({"what": "populate_physmap"})"), healthy_report()),
            std::nullopt);
}

TEST(KconfigMatrixEnomem, FaultInjectedOnThePath) {
  EXPECT_EQ(explain_enomem("unpopulated", scenario_with_faults(R"({"what": "pgmap_alloc"}, {"what": "pgmap_alloc"})"),
                           healthy_report()),
            "fault injected (pgmap_alloc)");
  EXPECT_EQ(explain_enomem("ballooned", scenario_with_faults(R"({"what": "decrease_reservation"})"), healthy_report()),
            "fault injected (decrease_reservation)");
  EXPECT_EQ(explain_enomem("ballooned", scenario_with_faults(R"({"what": "p2m_alloc"})"), healthy_report()),
            "fault injected (p2m_alloc)");
}

TEST(KconfigMatrixEnomem, NoAllocatorBuilt) {
  const Scenario none = scenario_with_faults("");
  nlohmann::json r = healthy_report();
  r["unpopulated"] = nullptr;
  EXPECT_EQ(explain_enomem("unpopulated", none, r), "no allocator built (the run has no unpopulated allocator)");
  r = healthy_report();
  r["notes"].push_back("balloon_init failed with -ENODEV (the driver stays uninitialised)");
  EXPECT_EQ(explain_enomem("ballooned", none, r),
            "no allocator built (balloon_init failed with -ENODEV (the driver stays uninitialised))");
}

TEST(KconfigMatrixEnomem, OutOfMemoryByConstruction) {
  const Scenario none = scenario_with_faults("");
  nlohmann::json r = healthy_report();
  r["time_series"]["free_bytes"][1] = 64.0 * 1024 * 1024;  // 64 MiB of 4 GiB = 1/64: exhausted
  EXPECT_EQ(explain_enomem("ballooned", none, r),
            "out of memory by construction (free memory fell to 64 MiB of 4 GiB guest RAM)");
  // The unpopulated allocator takes address space, not guest RAM: a low-memory guest explains nothing.
  EXPECT_EQ(explain_enomem("unpopulated", none, r), std::nullopt);
  r["time_series"]["free_bytes"][1] = 65.0 * 1024 * 1024;  // just above 1/64
  EXPECT_EQ(explain_enomem("ballooned", none, r), std::nullopt);
}

}  // namespace
}  // namespace gm
