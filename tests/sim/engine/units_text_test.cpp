#include "sim/engine/units_text.h"

#include <gtest/gtest.h>

namespace gm {
namespace {

TEST(UnitsText, ParsesSizes) {
  EXPECT_EQ(parse_size("4 GiB").value, 4ull << 30);
  EXPECT_EQ(parse_size("4GiB").value, 4ull << 30);
  EXPECT_EQ(parse_size("1.5 KiB").value, 1536u);
  EXPECT_EQ(parse_size("0 B").value, 0u);
  EXPECT_EQ(parse_size("16384 TiB").value, 16384ull << 40);
}

TEST(UnitsText, RefusesBadSizesWithAReason) {
  EXPECT_FALSE(parse_size("4096").value);
  EXPECT_NE(parse_size("4096").problem.find("unit"), std::string::npos);
  EXPECT_FALSE(parse_size("-1 GiB").value);
  EXPECT_NE(parse_size("-1 GiB").problem.find("negative"), std::string::npos);
  EXPECT_FALSE(parse_size("4 GB").value);
  EXPECT_FALSE(parse_size("0.3 B").value);                // not a whole byte count
  EXPECT_FALSE(parse_size("16777216 TiB").value);         // 2^64 bytes
  EXPECT_FALSE(parse_size("99999999999999999999 B").value);
  EXPECT_FALSE(parse_size("GiB").value);
}

TEST(UnitsText, ParsesDurations) {
  EXPECT_EQ(parse_duration("200 ms").value, 200000000u);
  EXPECT_EQ(parse_duration("1.5 us").value, 1500u);
  EXPECT_EQ(parse_duration("2 min").value, 120000000000u);
  EXPECT_EQ(parse_duration("1 h").value, 3600000000000u);
  EXPECT_FALSE(parse_duration("10").value);
  EXPECT_FALSE(parse_duration("10 sec").value);
}

TEST(UnitsText, FormatsTheShortestExactForm) {
  EXPECT_EQ(format_size(GiB(4)), "4 GiB");
  EXPECT_EQ(format_size(MiB(1536)), "1536 MiB");
  EXPECT_EQ(format_size(Bytes{4097}), "4097 B");
  EXPECT_EQ(format_size(Bytes{0}), "0 B");
  EXPECT_EQ(format_duration(milliseconds(200)), "200 ms");
  EXPECT_EQ(format_duration(seconds(90)), "90 s");
  EXPECT_EQ(format_duration(seconds(120)), "2 min");
}

}  // namespace
}  // namespace gm
