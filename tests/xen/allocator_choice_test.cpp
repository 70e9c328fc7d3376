// Which allocator xen_alloc_unpopulated_pages() is (reference §4.2 decision table) and forcing
// `--strategy` through XEN_UNPOPULATED_ALLOC (design §6).
#include "models/xen/allocator_choice.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "tests/support/run_cli.h"

namespace gm {
namespace {

const KconfigRuleFiles& rule_files() {
  static std::map<std::string, std::string> text;
  static KconfigRuleFiles files;
  if (files.empty()) {
    for (const auto& e : std::filesystem::directory_iterator(test::source_path("models/kconfig_rules")))
      text[e.path().filename().string()] = test::read_file(e.path());
    for (const auto& [name, t] : text) files[name] = t;
  }
  return files;
}

KconfigResult cfg(Arch arch, std::string_view kernel, std::map<std::string, std::string> overrides = {}) {
  return resolve_kconfig(rule_files(), arch, KernelVersion::from(kernel), overrides);
}

bool contains(const std::vector<std::string>& lines, std::string_view needle) {
  for (const auto& l : lines)
    if (l.find(needle) != std::string::npos) return true;
  return false;
}

TEST(AllocatorChoiceTest, TargetResourceExistsOnX86AndOnArmWithExtendedRegionsOnly) {
  EXPECT_TRUE(has_target_resource(Arch::x86_64, {}));
  EXPECT_TRUE(has_target_resource(Arch::i386, {true, false}));  // iomem_resource whatever the firmware
  EXPECT_TRUE(has_target_resource(Arch::arm64, {}));
  EXPECT_FALSE(has_target_resource(Arch::arm64, {.acpi_boot = true}));
  EXPECT_FALSE(has_target_resource(Arch::arm64, {.xen_extended_regions = false}));
  EXPECT_FALSE(has_target_resource(Arch::riscv64, {}));
}

TEST(AllocatorChoiceTest, UnpopulatedWhenTheSymbolIsOn) {
  AllocatorChoice c = choose_xen_allocator(cfg(Arch::x86_64, "6.12"), true);
  EXPECT_EQ(c.allocator, XenAllocator::unpopulated);
  EXPECT_FALSE(c.runtime_fallback);
  EXPECT_TRUE(contains(c.reason, "iomem_resource"));
  // Before 5.17 there is no target_resource at all: the answer does not depend on it.
  EXPECT_EQ(choose_xen_allocator(cfg(Arch::x86_64, "5.10"), false).allocator, XenAllocator::unpopulated);
  AllocatorChoice arm = choose_xen_allocator(cfg(Arch::arm64, "6.1"), true);
  EXPECT_EQ(arm.allocator, XenAllocator::unpopulated);
  EXPECT_TRUE(contains(arm.reason, "extended regions"));
}

TEST(AllocatorChoiceTest, RuntimeFallbackOnlyFrom517WithoutTarget) {
  KconfigResult arm = cfg(Arch::arm64, "6.12");
  AllocatorChoice c = choose_xen_allocator(arm, has_target_resource(Arch::arm64, {.acpi_boot = true}));
  EXPECT_EQ(c.allocator, XenAllocator::ballooned);
  EXPECT_TRUE(c.runtime_fallback);
  EXPECT_TRUE(contains(c.reason, "falls back to xen_alloc_ballooned_pages() at run time (d1a928eac729, 5.17)"));
  EXPECT_TRUE(runtime_fallback_exists(arm));
  EXPECT_FALSE(runtime_fallback_exists(cfg(Arch::x86_64, "5.16")));
}

TEST(AllocatorChoiceTest, BalloonFallbackMechanismFollowsTheVersion) {
  auto reason = [](Arch a, std::string_view v, std::map<std::string, std::string> o = {}) {
    AllocatorChoice c = choose_xen_allocator(cfg(a, v, o), true);
    EXPECT_EQ(c.allocator, XenAllocator::ballooned) << v;
    EXPECT_FALSE(c.runtime_fallback) << v;
    return c.reason.back();
  };
  EXPECT_NE(reason(Arch::arm64, "5.9").find("#defines xen_alloc_unpopulated_pages"), std::string::npos);
  EXPECT_NE(reason(Arch::i386, "5.16").find("balloon.c defines xen_alloc_unpopulated_pages() itself"),
            std::string::npos);
  EXPECT_NE(reason(Arch::x86_64, "6.12", {{"ZONE_DEVICE", "n"}}).find("static inline"), std::string::npos);
  EXPECT_NE(reason(Arch::x86_64, "5.4").find("predates xen_alloc_unpopulated_pages()"), std::string::npos);
  AllocatorChoice rv = choose_xen_allocator(cfg(Arch::riscv64, "6.12"), false);
  EXPECT_TRUE(contains(rv.reason, "XEN=n: no Xen support is built for riscv64"));
}

TEST(AllocatorChoiceTest, StrategyForcesTheSymbolWhenItCan) {
  StrategyKconfig b = resolve_kconfig_for_strategy(rule_files(), Arch::x86_64, KernelVersion::from("6.12"), {},
                                                   "scenario", XenAllocator::ballooned);
  EXPECT_TRUE(b.possible);
  EXPECT_EQ(b.config.text("XEN_UNPOPULATED_ALLOC"), "n");
  EXPECT_EQ(b.config.explanation.front(), "XEN_UNPOPULATED_ALLOC=n: set to n (--strategy ballooned)");
  StrategyKconfig a = resolve_kconfig_for_strategy(rule_files(), Arch::x86_64, KernelVersion::from("6.12"),
                                                   {{"XEN_UNPOPULATED_ALLOC", "n"}}, "scenario", std::nullopt);
  EXPECT_TRUE(a.possible);
  EXPECT_EQ(a.config.text("XEN_UNPOPULATED_ALLOC"), "n");  // auto keeps the scenario's own override
}

TEST(AllocatorChoiceTest, ImpossibleStrategiesSayWhy) {
  StrategyKconfig i386 = resolve_kconfig_for_strategy(rule_files(), Arch::i386, KernelVersion::from("6.12"), {},
                                                      "scenario", XenAllocator::unpopulated);
  EXPECT_FALSE(i386.possible);
  ASSERT_GE(i386.why_not.size(), 3u);
  EXPECT_EQ(i386.why_not[0], "strategy unpopulated needs XEN_UNPOPULATED_ALLOC=y, which i386 kernel 6.12 cannot take:");
  EXPECT_EQ(i386.why_not[1],
            "XEN_UNPOPULATED_ALLOC=n: set to y (--strategy unpopulated), but depends on XEN [=y] && "
            "ZONE_DEVICE [=n]");
  // The v4 patch has no prompt: on x86_64 the symbol is always y.
  StrategyKconfig v4 = resolve_kconfig_for_strategy(rule_files(), Arch::x86_64, KernelVersion::from("v4-patch"), {},
                                                    "scenario", XenAllocator::ballooned);
  EXPECT_FALSE(v4.possible);
  EXPECT_TRUE(contains(v4.why_not, "(the value n (--strategy ballooned) is ignored: no prompt)"));
  StrategyKconfig old = resolve_kconfig_for_strategy(rule_files(), Arch::x86_64, KernelVersion::from("5.4"), {},
                                                     "scenario", XenAllocator::unpopulated);
  EXPECT_FALSE(old.possible);
  EXPECT_TRUE(contains(old.why_not, "the symbol does not exist before 5.9"));
  EXPECT_TRUE(resolve_kconfig_for_strategy(rule_files(), Arch::x86_64, KernelVersion::from("5.4"), {}, "scenario",
                                           XenAllocator::ballooned)
                  .possible);
}

}  // namespace
}  // namespace gm
