// `guestmem buddyinfo`: kernel debugfs text, JSON numbers as the kernel prints them, exit codes.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "tests/support/run_cli.h"

namespace gm::test {
namespace {

TEST(CliBuddyinfo, JsonHasIndexesPerZoneAndOrder) {
  RunResult r = run_guestmem({"buddyinfo", data_path("buddyinfo/two_nodes.txt").string(), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["zones"].size(), 3u);
  const auto& dma32 = j["zones"][1];
  EXPECT_EQ(dma32["zone"], "DMA32");
  EXPECT_EQ(dma32["unusable_index"][0], 1.0);  // nothing free
  EXPECT_EQ(dma32["extfrag_index"][0], 0.0);
  const auto& normal = j["zones"][2];
  EXPECT_EQ(normal["node"], 1);
  EXPECT_EQ(normal["free"][0], 10);
  ASSERT_EQ(normal["unusable_index"].size(), 11u);
  EXPECT_EQ(normal["unusable_index"][1], 0.227);
  EXPECT_EQ(normal["extfrag_index"][4], -1.0);
  EXPECT_EQ(normal["extfrag_index"][5], 0.869);
  // The numbers are printed the way the kernel prints them, not as long binary fractions.
  EXPECT_NE(r.out.find("0.227"), std::string::npos);
  EXPECT_NE(r.out.find("-1.0"), std::string::npos);
}

TEST(CliBuddyinfo, TextIsTheKernelDebugfsLayout) {
  RunResult r = run_guestmem({"buddyinfo", data_path("buddyinfo/two_nodes.txt").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("/sys/kernel/debug/extfrag/unusable_index\n"
                       "Node 0, zone      DMA 0.000 0.000 0.000 0.000 0.000 0.008 0.016 0.032 0.032 0.097 0.226 \n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("Node 1, zone   Normal -1.000 -1.000 -1.000 -1.000 -1.000  0.869  0.907  0.926  0.935  0.940  "
                       "0.943 \n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("Node 0, zone    DMA32  0.000  0.000"), std::string::npos) << r.out;
}

TEST(CliBuddyinfo, NoZoneLinesIsExit2NamingTheFile) {
  RunResult r = run_guestmem({"buddyinfo", data_path("buddyinfo/no_zones.txt").string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("no_zones.txt"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("no zone line"), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty());
}

// Found by the buddyinfo fuzz target: a zone line of 65 counts made fill_contig_page_info shift by 64
// (UBSan "shift exponent 64"). 64 counts (orders 0..63) are still read.
TEST(CliBuddyinfo, MoreThan64OrdersIsExit2NamingTheLine) {
  TempDir dir;
  std::string line = "Node 0, zone   Normal";
  for (int i = 0; i < 64; ++i) line += " 1";
  write_file(dir / "64.txt", "header\n" + line + "\n");
  write_file(dir / "65.txt", "header\n" + line + " 1\n");
  RunResult ok = run_guestmem({"buddyinfo", (dir / "64.txt").string(), "--json"});
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  RunResult r = run_guestmem({"buddyinfo", (dir / "65.txt").string(), "--json"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("65.txt:2: found 65 counts in zone \"Normal\", expected at most 64"), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty());
}

TEST(CliBuddyinfo, MissingFileIsExit2) {
  RunResult r = run_guestmem({"buddyinfo", "does-not-exist.txt"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("does-not-exist.txt"), std::string::npos) << r.err;
}

TEST(CliBuddyinfo, HelpTeaches) {
  RunResult r = run_guestmem({"buddyinfo", "--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("Example:"), std::string::npos);
  EXPECT_NE(r.out.find("extfrag_threshold"), std::string::npos);
}

}  // namespace
}  // namespace gm::test
