// `guestmem iomem`: placement predictions on fixtures written from the kernel rules.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/support/run_cli.h"

namespace gm::test {
namespace {

nlohmann::json run_json(std::vector<std::string> args) {
  args.insert(args.begin(), "iomem");
  args.push_back("--json");
  RunResult r = run_guestmem(args);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return nlohmann::json::parse(r.out);
}

std::string d(const std::string& f) { return data_path("iomem/" + f).string(); }

TEST(CliIomem, NowTakesTheFirstFreeTopLevelGap) {
  auto j = run_json({d("dom0_running.txt"), "--e820", d("dom0_e820.txt"), "--next", "2"});
  EXPECT_EQ(j["e820_source"], "file");
  EXPECT_EQ(j["complete"], true);
  ASSERT_EQ(j["placements"].size(), 2u);
  EXPECT_EQ(j["placements"][0]["name"], "Xen scratch");
  EXPECT_EQ(j["placements"][0]["start"], 0x340000000ull);
  EXPECT_EQ(j["placements"][0]["end"], 0x347ffffffull);
  EXPECT_EQ(j["placements"][1]["start"], 0x348000000ull);
  EXPECT_TRUE(j["placements"][0]["overlaps"].empty());
}

TEST(CliIomem, ReservedNotYetInTheTreeAtEarlyBoot) {
  // At early boot only RAM and the sub-1 MiB entries are in iomem; MMCONFIG (reserved) is clipped,
  // keeping the lower 512 MiB of the gap, which is where the GPU window and BAR appear later.
  auto j = run_json({d("dom0_running.txt"), "--e820", d("dom0_e820.txt"), "--next", "2", "--at", "boot"});
  ASSERT_EQ(j["placements"].size(), 2u);
  const auto& p = j["placements"][0];
  EXPECT_EQ(p["start"], 0xc0000000ull);
  EXPECT_EQ(p["end"], 0xc7ffffffull);
  ASSERT_EQ(p["overlaps"].size(), 2u);
  EXPECT_EQ(p["overlaps"][0], (nlohmann::json{{"name", "PCI Bus 0000:00"}, {"start", 0xc0000000ull},
                                              {"end", 0xdfffffffull}, {"depth", 0}}));
  EXPECT_EQ(p["overlaps"][1]["name"], "0000:01:00.0");
  EXPECT_EQ(j["placements"][1]["start"], 0xc8000000ull);
}

TEST(CliIomem, E820ClipKeepsTheUpperSide) {
  auto j = run_json({d("clip_upper_running.txt"), "--e820", d("clip_upper_e820.txt"), "--at", "boot"});
  ASSERT_EQ(j["placements"].size(), 1u);
  EXPECT_EQ(j["placements"][0]["start"], 0x90000000ull);  // not 0x80000000: the 64 MiB low side is dropped
  EXPECT_EQ(j["placements"][0]["overlaps"][1]["name"], "0000:00:02.0");
  // Without --e820 the map is derived from the e820-named lines and gives the same answer.
  auto k = run_json({d("clip_upper_running.txt"), "--at", "boot", "--kind", "hotplug", "--next", "3"});
  EXPECT_EQ(k["e820_source"], "iomem");
  ASSERT_EQ(k["placements"].size(), 3u);
  EXPECT_EQ(k["placements"][0]["name"], "System RAM");
  EXPECT_EQ(k["placements"][0]["start"], 0x90000000ull);
  EXPECT_EQ(k["placements"][2]["start"], 0xa0000000ull);
}

TEST(CliIomem, NonRootReadIsRefused) {
  RunResult r = run_guestmem({"iomem", d("nonroot.txt")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("nonroot.txt: found every address zero"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("as root"), std::string::npos);
  RunResult b = run_guestmem({"iomem", d("bad_indent.txt")});
  EXPECT_EQ(b.exit_code, 2);
  EXPECT_NE(b.err.find("bad_indent.txt:3:1:"), std::string::npos) << b.err;
  RunResult n = run_guestmem({"iomem", d("dom0_running.txt"), "--next", "0"});
  EXPECT_EQ(n.exit_code, 2);
}

TEST(CliIomem, TextNamesTheOverlaps) {
  RunResult r = run_guestmem({"iomem", d("dom0_running.txt"), "--e820", d("dom0_e820.txt"), "--at", "boot"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("#1 [mem c0000000-c7ffffff]  overlaps:"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("c0000000-cfffffff : 0000:01:00.0"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace gm::test
