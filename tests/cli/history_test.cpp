// guestmem history on the bug library: each file names its fix version (reference §8).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/support/run_cli.h"

namespace gm::test {
namespace {

using nlohmann::json;

json history(const std::string& file, const std::string& kernels, int want_exit) {
  RunResult r = run_guestmem({"history", source_path("scenarios/bugs/" + file).string(), "--kernels", kernels,
                              "--jobs", "2", "--format", "json", "--quiet"});
  EXPECT_EQ(r.exit_code, want_exit) << r.out << r.err;
  return json::parse(r.out);
}

TEST(HistoryCommand, S1FixedIn510) {
  json h = history("s1-lru-overlays-pgmap.json", "5.9..5.10", 0);
  EXPECT_EQ(h["last_bad"], "5.9");
  EXPECT_EQ(h["first_good"], "5.10");
}

TEST(HistoryCommand, S2FixedIn513AndTheStableReleases) {
  json h = history("s2-fill-list-bug-on.json", "5.11..5.14", 0);
  EXPECT_EQ(h["last_bad"], "5.12");
  EXPECT_EQ(h["first_good"], "5.13");
  ASSERT_EQ(h["lines"].size(), 3u) << h.dump(1);
  EXPECT_EQ(h["lines"][1]["first_good"], "5.11.22");
  EXPECT_EQ(h["lines"][2]["first_good"], "5.12.5");
}

TEST(HistoryCommand, S5GoneFrom610) {
  json h = history("s5-pvh-dom0-scratch-in-pci-window.json", "6.1..6.14", 0);
  EXPECT_EQ(h["last_bad"], "6.9");
  EXPECT_EQ(h["first_good"], "6.10");
  EXPECT_EQ(h["runs"][0]["outcome"], "expect failed");
}

TEST(HistoryCommand, S7FixedIn615) {
  json h = history("s7-pvh-dom0-balloon-frees-extra-ram.json", "6.9..6.16", 0);
  EXPECT_EQ(h["last_bad"], "6.14");
  EXPECT_EQ(h["first_good"], "6.15");
}

TEST(HistoryCommand, S8FixedIn70) {
  json h = history("s8-pv-domu-target-off-by-97-pages.json", "6.19..7.0", 0);
  EXPECT_EQ(h["last_bad"], "6.19");
  EXPECT_EQ(h["first_good"], "7.0");
}

TEST(HistoryCommand, S9FixedIn516AndIn5153) {
  json h = history("s9-pod-out-of-memory-at-boot.json", "5.15..5.16", 0);
  EXPECT_EQ(h["last_bad"], "5.15");
  EXPECT_EQ(h["first_good"], "5.16");
  EXPECT_EQ(h["runs"][0]["outcome"], "guest crash");
  ASSERT_EQ(h["lines"].size(), 2u) << h.dump(1);
  EXPECT_EQ(h["lines"][1]["first_good"], "5.15.3");
}

TEST(HistoryCommand, AConfigurationBugHasNoFirstGoodKernel) {
  // S12 (e820_host) and S13 (auto-online) are fixed by configuration, not by a kernel version.
  json h = history("s12-pv-domu-bar-in-system-ram.json", "6.1..6.8", 0);
  EXPECT_EQ(h["last_bad"], "6.8");
  EXPECT_TRUE(h["first_good"].is_null()) << h.dump(1);
}

TEST(HistoryCommand, ARegressionWindowIsNotMonotone) {
  // 5.10 returns -ENOMEM (pgmap before the resource), 5.11/5.12 crash, 5.13 is fixed: exit 1.
  json h = history("s2-fill-list-bug-on.json", "5.10..5.13", 1);
  EXPECT_FALSE(h["monotone"].get<bool>());
}

TEST(HistoryCommand, BadInputIsExit2) {
  EXPECT_EQ(run_guestmem({"history", "no-such-file.json"}).exit_code, 2);
  const std::string s2 = source_path("scenarios/bugs/s2-fill-list-bug-on.json").string();
  EXPECT_EQ(run_guestmem({"history", s2, "--kernels", "5.x..6"}).exit_code, 2);
  EXPECT_EQ(run_guestmem({"history", s2, "--kernels", "5.12"}).exit_code, 2);
  EXPECT_EQ(run_guestmem({"history", s2, "--kernels", "9.0..9.1"}).exit_code, 2);
  EXPECT_EQ(run_guestmem({"history", s2, "--format", "xml"}).exit_code, 2);
}

}  // namespace
}  // namespace gm::test
