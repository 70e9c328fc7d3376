// The rule sets compiled into the binary are exactly models/kconfig_rules/* (the list in
// sim/CMakeLists.txt and sim/kconfig/kconfig_embedded.cpp must follow the directory), and the runner's entry
// points answer like the models API.
#include "sim/kconfig/kconfig_embedded.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "sim/kconfig/kconfig_json.h"
#include "tests/support/run_cli.h"

namespace gm {
namespace {

TEST(KconfigEmbeddedTest, EmbeddedRulesAreTheFilesInTheTree) {
  std::size_t on_disk = 0;
  for (const auto& e : std::filesystem::directory_iterator(test::source_path("models/kconfig_rules"))) {
    ++on_disk;
    std::string name = e.path().filename().string();
    auto it = embedded_kconfig_rules().find(name);
    ASSERT_NE(it, embedded_kconfig_rules().end()) << name << " is not embedded";
    EXPECT_EQ(it->second, test::read_file(e.path())) << name << " is stale";
  }
  EXPECT_EQ(embedded_kconfig_rules().size(), on_disk);
}

TEST(KconfigEmbeddedTest, RunnerEntryPoints) {
  KconfigResult r = resolve_kconfig(Arch::x86_64, KernelVersion::from("6.12"), {{"ZONE_DEVICE", "n"}}, "scenario");
  EXPECT_EQ(r.text("XEN_UNPOPULATED_ALLOC"), "n");
  EXPECT_EQ(r.explanation.at(1), "ZONE_DEVICE=n: set to n (scenario)");
  StrategyKconfig s =
      resolve_kconfig_for_strategy(Arch::i386, KernelVersion::from("5.10"), {}, XenAllocator::unpopulated);
  EXPECT_FALSE(s.possible);
  nlohmann::json j = kconfig_to_json(r, choose_xen_allocator(r, true));
  EXPECT_EQ(j["allocator"], "ballooned");
  EXPECT_EQ(j["symbols"]["XEN_MEMORY_HOTPLUG_LIMIT"], 512);
  EXPECT_EQ(j["symbols"]["ZONE_DEVICE"], "n");
}

}  // namespace
}  // namespace gm
