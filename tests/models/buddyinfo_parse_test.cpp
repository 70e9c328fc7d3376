// /proc/buddyinfo reader: nodes, zones, column counts, skipped lines.
#include "models/buddyinfo_parse.h"

#include <gtest/gtest.h>

namespace gm {
namespace {

TEST(BuddyinfoParse, NodesZonesAndOrders) {
  const char* text =
      "Node 0, zone      DMA      1      1      0      0      2      1      1      0      1      1      3 \n"
      "Node 0, zone    DMA32   3417   2871   1544    861    452    201     93     40     21      9    437 \n"
      "some header line\n"
      "\n"
      "Node 1, zone   Normal  18446744073709551615 0\n";
  auto zones = parse_buddyinfo(text);
  ASSERT_EQ(zones.size(), 3u);
  EXPECT_EQ(zones[0].node, 0);
  EXPECT_EQ(zones[0].zone, "DMA");
  EXPECT_EQ(zones[0].free.size(), 11u);
  EXPECT_EQ(zones[0].free[10], 3u);
  EXPECT_EQ(zones[1].zone, "DMA32");
  EXPECT_EQ(zones[1].free[0], 3417u);
  EXPECT_EQ(zones[1].line, 2);
  EXPECT_EQ(zones[2].node, 1);
  EXPECT_EQ(zones[2].free, (std::vector<std::uint64_t>{18446744073709551615ull, 0}));
  EXPECT_EQ(zones[2].line, 5);
}

TEST(BuddyinfoParse, MalformedLinesAreSkipped) {
  EXPECT_TRUE(parse_buddyinfo("").empty());
  EXPECT_TRUE(parse_buddyinfo("Node 0, zone Normal\n").empty());         // no counts
  EXPECT_TRUE(parse_buddyinfo("Node x, zone Normal 1 2\n").empty());     // bad node
  EXPECT_TRUE(parse_buddyinfo("Node 0, zone Normal 1 -2\n").empty());    // negative count
  EXPECT_TRUE(parse_buddyinfo("Node 0 zone Normal 1 2\n").empty());      // no comma
  EXPECT_EQ(parse_buddyinfo("Node 0, zone Normal 1 2").size(), 1u);      // no final newline
  EXPECT_EQ(parse_buddyinfo("Node 0, zone Normal 1 2\r\n").size(), 1u);  // CRLF
}

}  // namespace
}  // namespace gm
