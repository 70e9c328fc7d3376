// `guestmem e820`: one fixture per input form, the JSON contract of design §6, exit 2 on no map.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/support/run_cli.h"

namespace gm::test {
namespace {

nlohmann::json run_json(const std::string& fixture) {
  RunResult r = run_guestmem({"e820", data_path("e820/" + fixture).string(), "--json"});
  EXPECT_EQ(r.exit_code, 0) << fixture << ": " << r.err;
  EXPECT_TRUE(r.err.empty()) << r.err;
  return nlohmann::json::parse(r.out);
}

TEST(CliE820, BiosDmesgWithUpdatesMatchesTheContract) {
  auto j = run_json("bios_dmesg.txt");
  ASSERT_EQ(j["entries"].size(), 10u);
  EXPECT_EQ(j["entries"][0], (nlohmann::json{{"start", 0}, {"end", 0xfff}, {"type", "reserved"}}));
  EXPECT_EQ(j["entries"][1], (nlohmann::json{{"start", 0x1000}, {"end", 0x9fbff}, {"type", "usable"}}));
  // 0x9ec00 + 0xbfedb000 + 0x140000000 raw bytes: no page rounding.
  EXPECT_EQ(j["total_usable_bytes"], 0x9ec00ull + 0xbfedb000ull + 0x140000000ull);
  EXPECT_EQ(j["bytes_by_type"]["reserved"], 0x1000ull + 0x400 + 0x10000 + 0x25000 + 0x10000000 + 0x4000 + 0x40000);
  EXPECT_EQ(j["highest_address"], 0x23fffffffull);
  ASSERT_EQ(j["holes"].size(), 4u);
  EXPECT_EQ(j["holes"][0], (nlohmann::json{{"start", 0xa0000}, {"end", 0xeffff}}));
  EXPECT_EQ(j["holes"][1], (nlohmann::json{{"start", 0xc0000000ull}, {"end", 0xdfffffffull}}));
}

TEST(CliE820, EveryFormGivesTheSameLowMap) {
  for (const char* f : {"xen_console_exclusive.txt", "xen_console_inclusive.txt", "sysfs_memmap.txt",
                        "sysfs_lines.txt", "map.json"}) {
    auto j = run_json(f);
    ASSERT_GE(j["entries"].size(), 5u) << f;
    EXPECT_EQ(j["entries"][0], (nlohmann::json{{"start", 0}, {"end", 0x9fbff}, {"type", "usable"}})) << f;
    EXPECT_EQ(j["total_usable_bytes"], 0x9fc00ull + 0xbfedb000ull + 0x140000000ull) << f;
    EXPECT_EQ(j["highest_address"], 0x23fffffffull) << f;
  }
}

TEST(CliE820, XenProvidedAndUserMaps) {
  auto x = run_json("xen_pv_dom0_dmesg.txt");
  ASSERT_EQ(x["entries"].size(), 8u);
  EXPECT_EQ(x["entries"][4]["type"], "unusable");
  EXPECT_EQ(x["bytes_by_type"]["ACPI NVS"], 0x800000);
  auto u = run_json("user_dmesg.txt");
  ASSERT_EQ(u["entries"].size(), 4u);
  EXPECT_EQ(u["entries"][3]["type"], "persistent (type 12)");
  EXPECT_EQ(u["holes"][0], (nlohmann::json{{"start", 0x9fc00}, {"end", 0xfffff}}));
}

TEST(CliE820, TextPrintsKernelStyleRanges) {
  RunResult r = run_guestmem({"e820", data_path("e820/bios_dmesg.txt").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("[mem 0x0000000000000000-0x0000000000000fff] reserved"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("total usable: 8589384704 bytes"), std::string::npos) << r.out;
}

TEST(CliE820, NoMapIsExit2WithAClearMessage) {
  RunResult r = run_guestmem({"e820", data_path("e820/no_map.txt").string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(r.out.empty());
  EXPECT_NE(r.err.find("no_map.txt: found no e820 entry, expected"), std::string::npos) << r.err;
  RunResult b = run_guestmem({"e820", data_path("e820/bad_line.txt").string(), "--json"});
  EXPECT_EQ(b.exit_code, 2);
  EXPECT_TRUE(b.out.empty());
  EXPECT_NE(b.err.find("bad_line.txt:2:70: found \"marmalade\""), std::string::npos) << b.err;
  RunResult m = run_guestmem({"e820", "/nonexistent/map.txt"});
  EXPECT_EQ(m.exit_code, 2);
}

TEST(CliE820, HelpTeachesWithAnExample) {
  RunResult r = run_guestmem({"e820", "--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("Example:"), std::string::npos);
  EXPECT_NE(r.out.find("/sys/firmware/memmap"), std::string::npos);
}

}  // namespace
}  // namespace gm::test
