// scenarios/bugs/: each file's expects fail on a kernel with the bug and hold on one with the fix
// (reference §8). The file is run as shipped (its own kernel) and with the other kernel.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <tuple>

#include "tests/support/run_cli.h"

namespace gm::test {
namespace {

using nlohmann::json;

struct BugCase {
  std::string file;   // under scenarios/bugs/
  std::string bad;    // a kernel with the bug
  std::string good;   // a kernel with the fix
  // A configuration bug (no kernel fixes it): a JSON merge patch giving the fixed configuration,
  // applied for the good run (then `bad` and `good` name the same kernel).
  std::string good_patch = "";
};

int run_with_kernel(const BugCase& c, const std::string& kernel, json* report, bool patched = false) {
  TempDir dir;
  json sc = json::parse(read_file(source_path("scenarios/bugs/" + c.file)));
  sc["kernel"] = kernel;
  if (patched) sc.merge_patch(json::parse(c.good_patch));
  write_file(dir / "s.json", sc.dump(2));
  RunResult r = run_guestmem({"run", (dir / "s.json").string(), "--out", (dir / "o").string(), "--quiet"});
  *report = json::parse(read_file(dir / "o/report.json"));
  return r.exit_code;
}

class BugScenario : public ::testing::TestWithParam<BugCase> {};

TEST_P(BugScenario, ExpectsFailWithTheBugAndHoldWithTheFix) {
  const BugCase& c = GetParam();
  json bad, good;
  EXPECT_EQ(run_with_kernel(c, c.bad, &bad), 1) << bad["expect"].dump(1);
  EXPECT_TRUE(bad["invariants"]["violations"].empty()) << bad["invariants"].dump(1);
  EXPECT_EQ(run_with_kernel(c, c.good, &good, !c.good_patch.empty()), 0) << good["expect"].dump(1) << good["guest_crashes"].dump();
  EXPECT_TRUE(good["invariants"]["violations"].empty()) << good["invariants"].dump(1);
}

INSTANTIATE_TEST_SUITE_P(
    Library, BugScenario,
    ::testing::Values(BugCase{"s1-lru-overlays-pgmap.json", "5.9", "5.10"},
                      BugCase{"s2-fill-list-bug-on.json", "5.12", "5.13"},
                      BugCase{"s2-fill-list-bug-on.json", "5.11.21", "5.11.22"},  // the stable backport
                      BugCase{"s5-pvh-dom0-scratch-in-pci-window.json", "6.1", "6.10"},
                      BugCase{"s7-pvh-dom0-balloon-frees-extra-ram.json", "6.10", "6.15"},
                      BugCase{"s8-pv-domu-target-off-by-97-pages.json", "6.15", "7.0"},
                      BugCase{"s9-pod-out-of-memory-at-boot.json", "5.10.79", "5.10.80"},
                      BugCase{"s9-pod-out-of-memory-at-boot.json", "5.15", "5.16"},
                      BugCase{"s12-pv-domu-bar-in-system-ram.json", "6.1", "6.1",
                              R"({"guest": {"e820": [{"start": "0x0", "end": "0xbfffffff", "type": "usable"},
                                   {"start": "0xfec00000", "end": "0xffffffff", "type": "reserved"},
                                   {"start": "0x100000000", "end": "0x13fffffff", "type": "usable"}]}})"},
                      BugCase{"s13-hotplug-unpopulated-without-auto-online.json", "6.1", "6.1",
                              R"({"balloon": {"auto_online": true}})"},
                      BugCase{"s15-no-e820-clip-scratch-in-reserved.json", "6.1", "6.1",
                              R"({"guest": {"pci_use_e820": true}})"}),
    [](const ::testing::TestParamInfo<BugCase>& p) {
      std::string n = p.param.file.substr(0, p.param.file.find('-')) + "_" + p.param.bad + "_" + p.param.good +
                      (p.param.good_patch.empty() ? "" : "_config");
      std::replace(n.begin(), n.end(), '.', '_');
      return n;
    });

// Every file in scenarios/bugs/ validates.
TEST(BugLibrary, EveryFileValidates) {
  for (const auto& e : std::filesystem::directory_iterator(source_path("scenarios/bugs"))) {
    RunResult r = run_guestmem({"validate", e.path().string()});
    EXPECT_EQ(r.exit_code, 0) << e.path() << r.err;
  }
}

}  // namespace
}  // namespace gm::test
