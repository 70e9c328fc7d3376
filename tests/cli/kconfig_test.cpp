// `guestmem kconfig` end to end: the kernel's answers of reference §4.2 through the binary, the JSON
// contract of design §6, and usage errors (exit 2).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/support/run_cli.h"

namespace gm {
namespace {

using nlohmann::json;

json kconfig_json(std::vector<std::string> args) {
  args.insert(args.begin(), "kconfig");
  args.push_back("--json");
  auto r = test::run_guestmem(args);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return json::parse(r.out);  // the whole stdout is one JSON document
}

std::string first_explanation(const json& j) { return j.at("explanation").at(0).get<std::string>(); }

TEST(KconfigCliTest, DefaultIsX86_64Kernel612DistroDom0) {
  json j = kconfig_json({});
  EXPECT_EQ(j["arch"], "x86_64");
  EXPECT_EQ(j["kernel"], "6.12");
  EXPECT_EQ(j["allocator"], "unpopulated");
  EXPECT_EQ(j["runtime_fallback"], false);
  EXPECT_EQ(j["symbols"]["XEN_UNPOPULATED_ALLOC"], "y");
  EXPECT_EQ(j["symbols"]["XEN_GNTDEV"], "m");
  EXPECT_EQ(j["symbols"]["XEN_MEMORY_HOTPLUG_LIMIT"], 512);  // ints are JSON numbers
  EXPECT_EQ(first_explanation(j),
            "XEN_UNPOPULATED_ALLOC=y: default XEN_BACKEND [=y] || XEN_GNTDEV [=m] || "
            "XEN_DOM0 [=y]");
}

TEST(KconfigCliTest, I386FallsBackToBallooning) {
  json j = kconfig_json({"--arch", "i386"});
  EXPECT_EQ(j["allocator"], "ballooned");
  EXPECT_EQ(j["symbols"]["ZONE_DEVICE"], "n");
  EXPECT_EQ(first_explanation(j), "XEN_UNPOPULATED_ALLOC=n: depends on XEN [=y] && ZONE_DEVICE [=n]");
}

TEST(KconfigCliTest, Arm64UnderV4Patch59And517) {
  json v4 = kconfig_json({"--arch", "arm64", "--kernel", "v4-patch"});
  EXPECT_EQ(v4["allocator"], "ballooned");
  EXPECT_EQ(v4["kernel"], "v4-patch");
  EXPECT_NE(first_explanation(v4).find("!ARM64 [=y]"), std::string::npos);
  json v59 = kconfig_json({"--arch", "arm64", "--kernel", "5.9"});
  EXPECT_EQ(v59["allocator"], "ballooned");
  EXPECT_EQ(v59["explanation"][1], "X86=n: arch is arm64 (X86 is not defined for arm64)");
  json v517 = kconfig_json({"--arch", "arm64", "--kernel", "5.17"});
  EXPECT_EQ(v517["allocator"], "unpopulated");
  EXPECT_EQ(v517["runtime_fallback"], false);
  json acpi = kconfig_json({"--arch", "arm64", "--kernel", "5.17", "--firmware", "acpi"});
  EXPECT_EQ(acpi["symbols"]["XEN_UNPOPULATED_ALLOC"], "y");
  EXPECT_EQ(acpi["allocator"], "ballooned");
  EXPECT_EQ(acpi["runtime_fallback"], true);
  EXPECT_EQ(kconfig_json({"--arch", "arm64", "--xen", "4.15"})["runtime_fallback"], true);
}

TEST(KconfigCliTest, X86DomUUnder59) {
  json j = kconfig_json({"--kernel", "5.9", "--set", "XEN_PV=n", "--set", "XEN_BACKEND=n", "--set", "XEN_GNTDEV=n"});
  EXPECT_EQ(j["symbols"]["XEN_DOM0"], "n");
  EXPECT_EQ(j["allocator"], "ballooned");
  EXPECT_EQ(first_explanation(j),
            "XEN_UNPOPULATED_ALLOC=n: default XEN_BACKEND [=n] || XEN_GNTDEV [=n] || "
            "XEN_DOM0 [=n]");
  // XEN_DOM0 has no prompt in 5.9: asking for n is ignored, with Kconfig's reason on stderr.
  auto r = test::run_guestmem({"kconfig", "--kernel", "5.9", "--set", "XEN_DOM0=n", "--set", "XEN_BACKEND=n", "--set",
                               "XEN_GNTDEV=n", "--json"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(json::parse(r.out)["allocator"], "unpopulated");
  EXPECT_NE(r.err.find("warning: XEN_DOM0: user value n (--set) ignored: the symbol has no prompt"), std::string::npos);
}

TEST(KconfigCliTest, X86WithoutMemoryHotremove) {
  json j = kconfig_json({"--set", "CONFIG_MEMORY_HOTREMOVE=n"});
  EXPECT_EQ(j["symbols"]["ZONE_DEVICE"], "n");
  EXPECT_EQ(j["allocator"], "ballooned");
  EXPECT_EQ(j["explanation"][2], "MEMORY_HOTREMOVE=n: set to n (--set)");
}

TEST(KconfigCliTest, V5StageWarnsAboutTheSelect) {
  auto r = test::run_guestmem({"kconfig", "--arch", "i386", "--stage", "v5-patch"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.err.find("WARNING: unmet direct dependencies detected for ZONE_DEVICE"), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("-> unpopulated"), std::string::npos) << r.out;
}

TEST(KconfigCliTest, TextOutputNamesAllocatorAndChain) {
  auto r = test::run_guestmem({"kconfig", "--arch", "arm64", "--kernel", "5.9"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("xen_alloc_unpopulated_pages() -> ballooned"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("  <- X86=n: arch is arm64"), std::string::npos) << r.out;
  EXPECT_TRUE(r.err.empty()) << r.err;
}

TEST(KconfigCliTest, UsageErrorsExitTwo) {
  for (auto args : std::vector<std::vector<std::string>>{{"kconfig", "--arch", "sparc"},
                                                         {"kconfig", "--kernel", "five"},
                                                         {"kconfig", "--set", "ZONE_DEVICE"},
                                                         {"kconfig", "--set", "A=y", "--set", "A=n"},
                                                         {"kconfig", "--stage", "5.10"},
                                                         {"kconfig", "--firmware", "uefi"},
                                                         {"kconfig", "--xen", "4"}}) {
    auto r = test::run_guestmem(args);
    EXPECT_EQ(r.exit_code, 2) << args.back();
    EXPECT_NE(r.err.find("expected"), std::string::npos) << r.err;
    EXPECT_TRUE(r.out.empty());
  }
}

TEST(KconfigCliTest, HelpTeachesWithExamples) {
  auto r = test::run_guestmem({"kconfig", "--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("guestmem kconfig --arch arm64 --kernel 5.9"), std::string::npos);
  EXPECT_NE(r.out.find("--set"), std::string::npos);
}

}  // namespace
}  // namespace gm
