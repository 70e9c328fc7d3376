// `guestmem kconfig` end to end: the kernel's answers of reference §4.2 through the binary, the JSON
// contract of design §6, and usage errors (exit 2).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>

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

std::string fixture(const std::string& name) { return test::data_path("kconfig/" + name).string(); }

// Debian's own configs (tests/data/kconfig/debian-*.config, the relevant lines of the config-* files
// of Debian's kernel packages): arch and version come from the file, every line agrees with the
// rules of its kernel, and each distro kernel's allocator is what its config makes it.
TEST(KconfigCliTest, DebianConfigsResolveToTheirOwnValues) {
  struct Case {
    std::string file, arch, kernel, allocator, zone_device;
  };
  for (const auto& c : std::vector<Case>{{"debian-6.1-amd64.config", "x86_64", "6.1.176", "unpopulated", "y"},
                                         {"debian-6.1-arm64.config", "arm64", "6.1.176", "ballooned", "n"},
                                         {"debian-6.1-686-pae.config", "i386", "6.1.176", "ballooned", "n"},
                                         {"debian-6.1-686.config", "i386", "6.1.176", "ballooned", "n"},
                                         {"debian-6.12-amd64.config", "x86_64", "6.12.117", "unpopulated", "y"},
                                         {"debian-6.12-arm64.config", "arm64", "6.12.117", "unpopulated", "y"}}) {
    auto r = test::run_guestmem({"kconfig", "--config", fixture(c.file), "--json"});
    ASSERT_EQ(r.exit_code, 0) << c.file << r.err;
    EXPECT_TRUE(r.err.empty()) << c.file << ": " << r.err;  // no contradiction, no warning
    json j = json::parse(r.out);
    EXPECT_EQ(j["arch"], c.arch) << c.file;
    EXPECT_EQ(j["kernel"], c.kernel) << c.file;
    EXPECT_EQ(j["allocator"], c.allocator) << c.file;
    EXPECT_EQ(j["symbols"]["ZONE_DEVICE"], c.zone_device) << c.file;
    EXPECT_EQ(j["base"], fixture(c.file));
    EXPECT_TRUE(j["contradictions"].empty()) << c.file;
  }
  // 686 (not PAE): no Xen at all; 686-pae: Xen without ZONE_DEVICE (no MEMORY_HOTPLUG on 32-bit).
  json non_pae = kconfig_json({"--config", fixture("debian-6.1-686.config")});
  EXPECT_EQ(non_pae["symbols"]["XEN"], "n");
  EXPECT_EQ(kconfig_json({"--config", fixture("debian-6.1-686-pae.config")})["symbols"]["XEN"], "y");
  // Bookworm's arm64 kernel leaves ZONE_DEVICE out, the file line is the reason.
  auto text = test::run_guestmem({"kconfig", "--config", fixture("debian-6.1-arm64.config")});
  EXPECT_NE(text.out.find("arch and kernel read from"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("<- ZONE_DEVICE=n: set to n (" + fixture("debian-6.1-arm64.config") + ":"),
            std::string::npos)
      << text.out;
}

TEST(KconfigCliTest, SetAppliesOnTopOfTheFileAndArchKernelOverrideIt) {
  json j = kconfig_json({"--config", fixture("debian-6.12-amd64.config"), "--set", "ZONE_DEVICE=n"});
  EXPECT_EQ(j["allocator"], "ballooned");
  EXPECT_EQ(j["symbols"]["XEN_UNPOPULATED_ALLOC"], "n");
  // --arch / --kernel win over what the file says, with a warning.
  auto r = test::run_guestmem({"kconfig", "--config", fixture("debian-6.1-arm64.config"), "--arch", "x86_64"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.err.find("written for arm64, resolved as x86_64 (--arch)"), std::string::npos) << r.err;
  // The 6.12 x86 config read as a 5.10 kernel: XEN_DOM0 has no prompt there, the file's value stands.
  auto old = test::run_guestmem({"kconfig", "--config", fixture("debian-6.12-amd64.config"), "--kernel", "5.10"});
  EXPECT_EQ(old.exit_code, 0);
  EXPECT_NE(old.err.find("written for kernel 6.12.117, resolved with the rules of 5.10 (--kernel)"),
            std::string::npos)
      << old.err;
}

TEST(KconfigCliTest, HandEditedConfigWarnsNamingSymbolAndLine) {
  test::TempDir dir;
  std::string debian = test::read_file(fixture("debian-6.12-amd64.config"));
  std::string line = std::to_string(std::count(debian.begin(), debian.end(), '\n') + 2);  // the appended y line
  test::write_file(dir / "edited.config",
                   debian + "# CONFIG_MEMORY_HOTREMOVE is not set\nCONFIG_XEN_UNPOPULATED_ALLOC=y\n");
  auto r = test::run_guestmem({"kconfig", "--config", (dir / "edited.config").string(), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json j = json::parse(r.out);
  EXPECT_EQ(j["allocator"], "ballooned");
  EXPECT_NE(r.err.find("warning: " + (dir / "edited.config").string() + ":" + line + ": CONFIG_XEN_UNPOPULATED_ALLOC=y "
                       "contradicts kernel 6.12.117 (x86_64), which gives XEN_UNPOPULATED_ALLOC=n"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("CONFIG_ZONE_DEVICE=y contradicts"), std::string::npos) << r.err;
  EXPECT_EQ(j["contradictions"].size(), 2u) << j["contradictions"].dump();
}

TEST(KconfigCliTest, GzippedConfigReadsLikeThePlainOne) {
  test::TempDir dir;
  std::string plain = (dir / "config").string();
  test::write_file(plain, test::read_file(fixture("debian-6.12-arm64.config")));
  ASSERT_EQ(std::system(("gzip -c " + plain + " > " + plain + ".gz").c_str()), 0);
  json a = kconfig_json({"--config", plain});
  json b = kconfig_json({"--config", plain + ".gz"});
  EXPECT_EQ(a["symbols"], b["symbols"]);
  EXPECT_EQ(b["allocator"], "unpopulated");
  // A truncated stream is refused (exit 2), naming the file.
  std::string gz = test::read_file(plain + ".gz");
  test::write_file(dir / "cut.gz", gz.substr(0, gz.size() / 2));
  auto r = test::run_guestmem({"kconfig", "--config", (dir / "cut.gz").string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find((dir / "cut.gz").string() + ": found a"), std::string::npos) << r.err;
}

TEST(KconfigCliTest, MalformedConfigExitsTwoNamingFileAndLine) {
  test::TempDir dir;
  test::write_file(dir / "bad.config", "CONFIG_XEN=y\n# comment\nXEN_PV=y\n");
  auto r = test::run_guestmem({"kconfig", "--config", (dir / "bad.config").string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find((dir / "bad.config").string() +
                       ":3:1: found 'XEN_PV=y', expected CONFIG_NAME=VALUE or '# CONFIG_NAME is not set'"),
            std::string::npos)
      << r.err;
  EXPECT_TRUE(r.out.empty());
  auto missing = test::run_guestmem({"kconfig", "--config", (dir / "none.config").string()});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("none.config: cannot open"), std::string::npos) << missing.err;
}

// A scenario with a real config: `kconfig_file` next to the overrides decides the allocator of the run.
TEST(KconfigCliTest, ScenarioRunsWithARealConfig) {
  test::TempDir dir;
  json sc = json::parse(test::read_file(test::data_path("golden/tiny.json")));
  sc.erase("expect");
  sc["kernel"] = "6.1";
  sc["arch"] = "arm64";
  sc["kconfig_file"] = fixture("debian-6.1-arm64.config");  // bookworm arm64: ZONE_DEVICE off
  test::write_file(dir / "arm64.json", sc.dump(2));
  auto r = test::run_guestmem({"run", (dir / "arm64.json").string(), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json rep = json::parse(r.out);
  EXPECT_EQ(rep["kconfig"]["allocator"], "ballooned");
  EXPECT_EQ(rep["kconfig"]["symbols"]["ZONE_DEVICE"], "n");
  EXPECT_EQ(rep["scenario"]["kconfig_file"], fixture("debian-6.1-arm64.config"));
  // The scenario's overrides still apply on top of the file.
  sc["kconfig"] = {{"ZONE_DEVICE", "y"}};
  test::write_file(dir / "arm64-zd.json", sc.dump(2));
  r = test::run_guestmem({"run", (dir / "arm64-zd.json").string(), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(json::parse(r.out)["kconfig"]["symbols"]["XEN_UNPOPULATED_ALLOC"], "y");
  // A missing file is an input error naming the JSON path (exit 2).
  sc["kconfig_file"] = "no-such.config";
  test::write_file(dir / "missing.json", sc.dump(2));
  r = test::run_guestmem({"run", (dir / "missing.json").string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("/kconfig_file"), std::string::npos) << r.err;
}

TEST(KconfigCliTest, MatrixTakesARealConfigAsBase) {
  test::TempDir dir;
  auto r = test::run_guestmem({"kconfig", "--matrix", test::data_path("kconfig/matrix_small.json").string(), "--config",
                               fixture("debian-6.1-arm64.config"), "--arch", "arm64", "--kernel", "6.1", "--jobs", "2",
                               "--out", (dir / "m").string(), "--json", "--quiet"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json m = json::parse(r.out);
  ASSERT_EQ(m["cells"].size(), 8u);
  // Every cell's scenario carries the file; ZONE_DEVICE=y requested over bookworm's n sticks (it has a prompt).
  json cell = json::parse(test::read_file(dir / "m" / m["cells"][0]["scenario_file"].get<std::string>()));
  EXPECT_EQ(cell["kconfig_file"], fixture("debian-6.1-arm64.config"));
  EXPECT_EQ(m["cells"][0]["effective"]["ZONE_DEVICE"], "y");
}

TEST(KconfigCliTest, HelpTeachesWithExamples) {
  auto r = test::run_guestmem({"kconfig", "--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("guestmem kconfig --arch arm64 --kernel 5.9"), std::string::npos);
  EXPECT_NE(r.out.find("--set"), std::string::npos);
}

}  // namespace
}  // namespace gm
