// Each Kconfig rule set of models/kconfig_rules/ against the kernel's answers of reference §4.1/§4.2:
// i386; arm64 under the v4 patch, 5.9 and 5.17+; an x86_64 domU under 5.9; x86_64 without
// MEMORY_HOTREMOVE; the v5 patch's select on i386; the stage boundaries.
#include <gtest/gtest.h>

#include <filesystem>

#include "models/kconfig_resolve.h"
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

KconfigResult resolve(Arch arch, std::string_view kernel, std::map<std::string, std::string> overrides = {},
                      std::optional<KconfigStage> stage = std::nullopt) {
  return resolve_kconfig(rule_files(), arch, KernelVersion::from(kernel), overrides, "--set", stage);
}

bool contains(const std::vector<std::string>& lines, std::string_view needle) {
  for (const auto& l : lines)
    if (l.find(needle) != std::string::npos) return true;
  return false;
}

TEST(KconfigRulesTest, EveryArchAndStageParsesAndResolves) {
  for (Arch a : {Arch::x86_64, Arch::i386, Arch::arm64, Arch::arm, Arch::riscv64})
    for (auto st : {KconfigStage::pre_5_9, KconfigStage::v4_patch, KconfigStage::v5_patch, KconfigStage::v5_9,
                    KconfigStage::v5_12, KconfigStage::v5_16, KconfigStage::v5_17})
      for (auto v : {"5.10", "6.17"}) {
        KconfigResult r = resolve(a, v, {}, st);
        EXPECT_TRUE(r.has("ZONE_DEVICE")) << arch_name(a) << " " << kconfig_stage_name(st);
        EXPECT_EQ(r.has("XEN_UNPOPULATED_ALLOC"), st != KconfigStage::pre_5_9);
        EXPECT_FALSE(r.explanation.empty());
      }
}

TEST(KconfigRulesTest, VersionsMapToStages) {
  auto stage = [](std::string_view v) { return kconfig_stage_name(kconfig_stage_for(KernelVersion::from(v))); };
  EXPECT_EQ(stage("5.4"), "pre-5.9");
  EXPECT_EQ(stage("5.9-rc3"), "pre-5.9");
  EXPECT_EQ(stage("5.9-rc4"), "5.9");
  EXPECT_EQ(stage("v4-patch"), "v4-patch");
  EXPECT_EQ(stage("5.12-rc4"), "5.9");
  EXPECT_EQ(stage("5.12-rc5"), "5.12");
  EXPECT_EQ(stage("5.15.80"), "5.12");
  EXPECT_EQ(stage("5.16"), "5.16");
  EXPECT_EQ(stage("5.17-rc1"), "5.17");
  EXPECT_EQ(stage("7.0"), "5.17");
  auto files = kconfig_rule_file_names(Arch::i386, KconfigStage::v5_16, KernelVersion::from("5.16"));
  EXPECT_EQ(files, (std::vector<std::string>{"arch_x86.kconfig", "x86_xen_5.15.kconfig", "mm.kconfig",
                                             "drivers_xen_5.16.kconfig"}));
  EXPECT_EQ(kconfig_rule_file_names(Arch::arm64, KconfigStage::v5_17, KernelVersion::from("6.17"))[1],
            "mm_6.17.kconfig");
  auto x86_xen = [](std::string_view v) {
    KernelVersion k = KernelVersion::from(v);
    return kconfig_rule_file_names(Arch::x86_64, kconfig_stage_for(k), k)[1];
  };
  EXPECT_EQ(x86_xen("v4-patch"), "x86_xen_5.8.kconfig");
  EXPECT_EQ(x86_xen("5.9-rc1"), "x86_xen_5.9.kconfig");
  EXPECT_EQ(x86_xen("5.15-rc4"), "x86_xen_5.9.kconfig");
  EXPECT_EQ(x86_xen("5.15"), "x86_xen_5.15.kconfig");
}

TEST(KconfigRulesTest, DefaultIsADistroDom0KernelWithUnpopulatedMemory) {
  KconfigResult r = resolve(Arch::x86_64, "6.12");
  EXPECT_TRUE(r.warnings.empty()) << r.warnings.front();
  for (auto s : {"XEN_UNPOPULATED_ALLOC", "ZONE_DEVICE", "MEMORY_HOTPLUG", "MEMORY_HOTREMOVE", "SPARSEMEM_VMEMMAP",
                 "ARCH_HAS_PTE_DEVMAP", "XEN_DOM0", "XEN_BACKEND", "XEN_PV", "XEN_PVH", "XEN_HAVE_PVMMU", "XEN_BALLOON",
                 "XEN_BALLOON_MEMORY_HOTPLUG", "XEN_SCRUB_PAGES_DEFAULT"})
    EXPECT_EQ(r.text(s), "y") << s;
  EXPECT_EQ(r.text("XEN_GNTDEV"), "m");
  EXPECT_EQ(r.text("XEN_PRIVCMD"), "m");
  EXPECT_EQ(r.find("XEN_MEMORY_HOTPLUG_LIMIT")->number, 512);
  EXPECT_FALSE(r.has("XEN_BALLOON_MEMORY_HOTPLUG_LIMIT"));
  EXPECT_EQ(r.explanation.front(),
            "XEN_UNPOPULATED_ALLOC=y: default XEN_BACKEND [=y] || XEN_GNTDEV [=m] || "
            "XEN_DOM0 [=y]");
}

TEST(KconfigRulesTest, I386NeverHasZoneDevice) {
  for (auto v : {"v4-patch", "5.9", "5.12", "5.16", "6.12"}) {
    KconfigResult r = resolve(Arch::i386, v);
    EXPECT_EQ(r.text("XEN_UNPOPULATED_ALLOC"), "n") << v;
    EXPECT_EQ(r.text("ZONE_DEVICE"), "n") << v;
    EXPECT_EQ(r.text("ARCH_HAS_PTE_DEVMAP"), "n") << v;
    EXPECT_EQ(r.text("SPARSEMEM_VMEMMAP"), "n") << v;
    EXPECT_TRUE(contains(r.explanation,
                         "ZONE_DEVICE=n: set to y (distro dom0 config), but depends on MEMORY_HOTPLUG "
                         "[=n] && MEMORY_HOTREMOVE [=n] && SPARSEMEM_VMEMMAP [=n] && "
                         "ARCH_HAS_PTE_DEVMAP [=n]"))
        << v;
    EXPECT_TRUE(contains(r.explanation, "64BIT=n: default ARCH [=i386] != \"i386\"")) << v;
  }
  EXPECT_EQ(resolve(Arch::i386, "5.8").text("XEN_PV"), "y");  // 32-bit PV guests until 5.9
  EXPECT_EQ(resolve(Arch::i386, "5.9").text("XEN_PV"), "n");
}

TEST(KconfigRulesTest, Arm64AcrossTheStages) {
  KconfigResult v4 = resolve(Arch::arm64, "v4-patch");
  EXPECT_EQ(v4.text("ZONE_DEVICE"), "y");
  EXPECT_EQ(v4.text("XEN_UNPOPULATED_ALLOC"), "n");
  EXPECT_EQ(v4.explanation.at(0),
            "XEN_UNPOPULATED_ALLOC=n: no default applies (default y if ZONE_DEVICE [=y] && "
            "!ARM [=n] && !ARM64 [=y])");
  EXPECT_EQ(v4.explanation.at(1), "ARM64=y: default y (arch is arm64)");

  KconfigResult v59 = resolve(Arch::arm64, "5.9");
  EXPECT_EQ(v59.text("XEN_UNPOPULATED_ALLOC"), "n");
  EXPECT_EQ(v59.explanation.at(0), "XEN_UNPOPULATED_ALLOC=n: depends on XEN [=y] && X86 [=n] && ZONE_DEVICE [=y]");
  EXPECT_EQ(v59.explanation.at(1), "X86=n: arch is arm64 (X86 is not defined for arm64)");
  EXPECT_EQ(resolve(Arch::arm64, "5.16").text("XEN_UNPOPULATED_ALLOC"), "n");

  for (auto v : {"5.17", "6.12", "7.0"}) {
    KconfigResult r = resolve(Arch::arm64, v);
    EXPECT_EQ(r.text("XEN_UNPOPULATED_ALLOC"), "y") << v;
    EXPECT_EQ(r.text("XEN_DOM0"), "y") << v;
    EXPECT_EQ(r.text("XEN_HAVE_PVMMU"), "n") << v;  // no PV MMU on Arm: no hotplug limit
    EXPECT_EQ(r.text("XEN_MEMORY_HOTPLUG_LIMIT"), "n") << v;
  }
}

TEST(KconfigRulesTest, X86DomUWithoutBackendGntdevOrDom0Under59) {
  // XEN_DOM0 has no prompt in 5.9 (def_bool y on XEN_PV): `--set XEN_DOM0=n` alone is ignored.
  KconfigResult ignored = resolve(Arch::x86_64, "5.9", {{"XEN_DOM0", "n"}, {"XEN_BACKEND", "n"}, {"XEN_GNTDEV", "n"}});
  EXPECT_EQ(ignored.text("XEN_DOM0"), "y");
  EXPECT_EQ(ignored.text("XEN_UNPOPULATED_ALLOC"), "y");
  EXPECT_TRUE(contains(ignored.warnings, "XEN_DOM0: user value n (--set) ignored: the symbol has no prompt"));
  // A domU kernel of that era is one without PV support: then dom0, backend and gntdev are all off.
  KconfigResult domu = resolve(Arch::x86_64, "5.9", {{"XEN_PV", "n"}, {"XEN_BACKEND", "n"}, {"XEN_GNTDEV", "n"}});
  EXPECT_EQ(domu.text("XEN_DOM0"), "n");
  EXPECT_EQ(domu.text("ZONE_DEVICE"), "y");
  EXPECT_EQ(domu.text("XEN_UNPOPULATED_ALLOC"), "n");
  EXPECT_EQ(domu.explanation.front(),
            "XEN_UNPOPULATED_ALLOC=n: default XEN_BACKEND [=n] || XEN_GNTDEV [=n] || XEN_DOM0 [=n]");
  EXPECT_TRUE(contains(domu.explanation, "XEN_PV=n: set to n (--set)"));
  // From 5.15-rc5 (cae7d81a3730), XEN_DOM0 is a prompt and can be switched off directly.
  KconfigResult domu616 = resolve(Arch::x86_64, "6.12", {{"XEN_DOM0", "n"}, {"XEN_BACKEND", "n"}, {"XEN_GNTDEV", "n"}});
  EXPECT_EQ(domu616.text("XEN_UNPOPULATED_ALLOC"), "n");
  EXPECT_TRUE(domu616.warnings.empty());
}

TEST(KconfigRulesTest, X86WithoutMemoryHotremoveLosesZoneDevice) {
  for (auto v : {"5.9", "6.12"}) {
    KconfigResult r = resolve(Arch::x86_64, v, {{"MEMORY_HOTREMOVE", "n"}});
    EXPECT_EQ(r.text("ZONE_DEVICE"), "n");
    EXPECT_EQ(r.text("XEN_UNPOPULATED_ALLOC"), "n");
    EXPECT_EQ(r.explanation.at(1),
              "ZONE_DEVICE=n: set to y (distro dom0 config), but depends on MEMORY_HOTPLUG [=y] "
              "&& MEMORY_HOTREMOVE [=n] && SPARSEMEM_VMEMMAP [=y] && ARCH_HAS_PTE_DEVMAP [=y]");
    EXPECT_EQ(r.explanation.at(2), "MEMORY_HOTREMOVE=n: set to n (--set)");
  }
}

TEST(KconfigRulesTest, V5PatchSelectsZoneDeviceOverItsDependenciesOnI386) {
  KconfigResult r = resolve(Arch::i386, "5.9", {}, KconfigStage::v5_patch);
  EXPECT_EQ(r.text("XEN_UNPOPULATED_ALLOC"), "y");
  EXPECT_EQ(r.text("ZONE_DEVICE"), "y");  // what broke i386 ("Not enough bits in page flags")
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0],
            "WARNING: unmet direct dependencies detected for ZONE_DEVICE: depends on [n]: "
            "MEMORY_HOTPLUG [=n] && MEMORY_HOTREMOVE [=n] && SPARSEMEM_VMEMMAP [=n] && "
            "ARCH_HAS_PTE_DEVMAP [=n]; selected by [y]: XEN_UNPOPULATED_ALLOC [=y] && XEN [=y] && "
            "X86 [=y]");
  // 5.9 as merged depends on ZONE_DEVICE instead: no warning, n.
  KconfigResult merged = resolve(Arch::i386, "5.9");
  EXPECT_TRUE(merged.warnings.empty());
  EXPECT_EQ(merged.text("ZONE_DEVICE"), "n");
}

TEST(KconfigRulesTest, LaterStagesRenameTheHotplugLimitAndDropDevmap) {
  KconfigResult v59 = resolve(Arch::x86_64, "5.10.70");
  EXPECT_EQ(v59.find("XEN_BALLOON_MEMORY_HOTPLUG_LIMIT")->number, 512);
  EXPECT_FALSE(v59.has("XEN_MEMORY_HOTPLUG_LIMIT"));
  KconfigResult no_hp = resolve(Arch::x86_64, "5.10", {{"XEN_BALLOON_MEMORY_HOTPLUG", "n"}});
  EXPECT_EQ(no_hp.text("XEN_BALLOON_MEMORY_HOTPLUG_LIMIT"), "n");  // depended on the balloon hotplug before 5.12-rc5
  KconfigResult v512 = resolve(Arch::x86_64, "5.12", {{"XEN_BALLOON_MEMORY_HOTPLUG", "n"}});
  EXPECT_EQ(v512.find("XEN_MEMORY_HOTPLUG_LIMIT")->number, 512);  // now only MEMORY_HOTPLUG
  KconfigResult v617 = resolve(Arch::x86_64, "6.17");
  EXPECT_FALSE(v617.has("ARCH_HAS_PTE_DEVMAP"));
  EXPECT_EQ(v617.text("ZONE_DEVICE"), "y");
  EXPECT_EQ(resolve(Arch::x86_64, "5.12").text("XEN_PRIVCMD"), "m");
}

KconfigBaseConfig base_of(std::string label, std::string_view text) {
  KconfigBaseConfig b{std::move(label), parse_config_fragment("f.config", text)};
  EXPECT_FALSE(b.fragment.error);
  return b;
}

TEST(KconfigRulesTest, ARealConfigReplacesTheDistroBase) {
  // A domU-like file: no backend, no gntdev, no dom0; the distro base would have said y to all three.
  KconfigBaseConfig b = base_of("domu.config",
                                "CONFIG_PARAVIRT=y\nCONFIG_XEN=y\nCONFIG_XEN_PVH=y\n# CONFIG_XEN_PV is not set\n"
                                "CONFIG_MEMORY_HOTPLUG=y\nCONFIG_MIGRATION=y\nCONFIG_MEMORY_HOTREMOVE=y\n"
                                "CONFIG_ZONE_DEVICE=y\n# CONFIG_XEN_DOM0 is not set\n# CONFIG_XEN_BACKEND is not set\n"
                                "# CONFIG_XEN_GNTDEV is not set\n");
  KconfigResult r = resolve_kconfig(rule_files(), Arch::x86_64, KernelVersion::from("6.12"), {}, std::nullopt, &b);
  EXPECT_EQ(r.base, "domu.config");
  EXPECT_TRUE(r.contradictions.empty()) << r.contradictions.front();
  EXPECT_EQ(r.text("ZONE_DEVICE"), "y");
  EXPECT_EQ(r.text("XEN_UNPOPULATED_ALLOC"), "n");
  EXPECT_EQ(r.explanation.front(), "XEN_UNPOPULATED_ALLOC=n: default XEN_BACKEND [=n] || XEN_GNTDEV [=n] || XEN_DOM0 [=n]");
  // --set still applies on top of the file.
  std::map<std::string, KUserValue, std::less<>> user{{"XEN_UNPOPULATED_ALLOC", {"y", "--set", true}}};
  EXPECT_EQ(resolve_kconfig(rule_files(), Arch::x86_64, KernelVersion::from("6.12"), user, std::nullopt, &b)
                .text("XEN_UNPOPULATED_ALLOC"),
            "y");
}

TEST(KconfigRulesTest, FileLinesTheKernelContradictsAreNamedWithTheirLine) {
  // Hand-edited: the allocator on without ZONE_DEVICE; and a 5.9 x86 kernel has no XEN_DOM0 prompt.
  KconfigBaseConfig b = base_of("edited.config",
                                "CONFIG_PARAVIRT=y\nCONFIG_XEN=y\nCONFIG_XEN_PV=y\n# CONFIG_ZONE_DEVICE is not set\n"
                                "CONFIG_XEN_UNPOPULATED_ALLOC=y\n# CONFIG_XEN_DOM0 is not set\n");
  KconfigResult r = resolve_kconfig(rule_files(), Arch::x86_64, KernelVersion::from("5.10"), {}, std::nullopt, &b);
  ASSERT_EQ(r.contradictions.size(), 2u);
  EXPECT_EQ(r.contradictions[0],
            "edited.config:6: # CONFIG_XEN_DOM0 is not set contradicts kernel 5.10 (x86_64), which gives XEN_DOM0=y: "
            "default y");
  EXPECT_EQ(r.contradictions[1],
            "edited.config:5: CONFIG_XEN_UNPOPULATED_ALLOC=y contradicts kernel 5.10 (x86_64), which gives "
            "XEN_UNPOPULATED_ALLOC=n: set to y (edited.config:5), but depends on XEN [=y] && X86 [=y] && "
            "ZONE_DEVICE [=n]");
  EXPECT_TRUE(contains(r.warnings, "edited.config:5: CONFIG_XEN_UNPOPULATED_ALLOC=y contradicts"));
  // The same lines are consistent for 6.12 except the allocator; --set on a symbol takes it out of the check.
  std::map<std::string, KUserValue, std::less<>> user{{"XEN_UNPOPULATED_ALLOC", {"n", "--set", true}}};
  KconfigResult s = resolve_kconfig(rule_files(), Arch::x86_64, KernelVersion::from("6.12"), user, std::nullopt, &b);
  EXPECT_TRUE(s.contradictions.empty()) << s.contradictions.front();
}

TEST(KconfigRulesTest, ArmAndRiscvHaveNoUnpopulatedAllocator) {
  KconfigResult arm = resolve(Arch::arm, "6.12");
  EXPECT_EQ(arm.text("XEN"), "y");
  EXPECT_EQ(arm.text("ZONE_DEVICE"), "n");
  EXPECT_EQ(arm.text("XEN_UNPOPULATED_ALLOC"), "n");
  KconfigResult rv = resolve(Arch::riscv64, "6.12");
  EXPECT_EQ(rv.text("ZONE_DEVICE"), "y");
  EXPECT_EQ(rv.text("XEN_UNPOPULATED_ALLOC"), "n");
  EXPECT_EQ(rv.explanation.at(1), "XEN=n: arch is riscv64 (XEN is not defined for riscv64)");
  EXPECT_TRUE(resolve(Arch::x86_64, "5.4").explanation.front().find("does not exist before 5.9") != std::string::npos);
}

}  // namespace
}  // namespace gm
