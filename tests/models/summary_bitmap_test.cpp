// SummaryBitmap: lowest/highest set bit across summary levels, and growth keeping bits.
#include "models/summary_bitmap.h"

#include <gtest/gtest.h>

namespace gm {
namespace {

TEST(SummaryBitmap, FirstAndLastAcrossLevels) {
  SummaryBitmap b(1 << 20);  // three levels
  EXPECT_FALSE(b.find_first());
  b.set(700000);
  b.set(5);
  b.set(262143);
  EXPECT_EQ(b.find_first(), 5u);
  EXPECT_EQ(b.find_last(), 700000u);
  b.clear(5);
  EXPECT_EQ(b.find_first(), 262143u);
  b.clear(700000);
  EXPECT_EQ(b.find_last(), 262143u);
  b.clear(262143);
  EXPECT_FALSE(b.any());
  EXPECT_FALSE(b.find_last());
}

TEST(SummaryBitmap, GrowKeepsBits) {
  SummaryBitmap b(100);
  b.set(99);
  b.set(3);
  b.resize(1 << 16);
  EXPECT_TRUE(b.test(99));
  EXPECT_EQ(b.find_first(), 3u);
  b.set(65000);
  EXPECT_EQ(b.find_last(), 65000u);
  b.clear(3);
  b.clear(65000);
  EXPECT_EQ(b.find_first(), 99u);
}

}  // namespace
}  // namespace gm
