// mm/vmstat.c fragmentation metrics against hand-computed values, including the edge cases.
#include "models/vmstat.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

namespace gm {
namespace {

// free_pages = 10 + 5*2 + 2*4 + 1*16 = 44, free_blocks_total = 18.
const std::vector<std::uint64_t> kFree = {10, 5, 2, 0, 1, 0, 0, 0, 0, 0, 0};

TEST(Vmstat, ContigPageInfo) {
  ContigPageInfo i = fill_contig_page_info(kFree, 1);
  EXPECT_EQ(i.free_pages, 44u);
  EXPECT_EQ(i.free_blocks_total, 18u);
  EXPECT_EQ(i.free_blocks_suitable, 5u + 2 * 2 + 1 * 8);
}

TEST(Vmstat, UnusableIndexHandComputed) {
  // order 1: (44 - 17*2) * 1000 / 44 = 227; order 2: (44 - 6*4) * 1000 / 44 = 454;
  // order 3 and 4: (44 - 16) * 1000 / 44 = 636; order >= 5: nothing suitable -> 1000.
  EXPECT_EQ(unusable_indexes(kFree), (std::vector<int>{0, 227, 454, 636, 636, 1000, 1000, 1000, 1000, 1000, 1000}));
}

TEST(Vmstat, FragmentationIndexHandComputed) {
  // order 5: 1000 - (1000 + 44000/32) / 18 = 1000 - 2375/18 = 1000 - 131 = 869.
  // order 10: 1000 - (1000 + 44000/1024) / 18 = 1000 - 1042/18 = 1000 - 57 = 943.
  EXPECT_EQ(extfrag_indexes(kFree),
            (std::vector<int>{-1000, -1000, -1000, -1000, -1000, 869, 907, 926, 935, 940, 943}));
}

TEST(Vmstat, NoFreePages) {
  std::vector<std::uint64_t> none(11, 0);
  for (int v : unusable_indexes(none)) EXPECT_EQ(v, 1000);
  for (int v : extfrag_indexes(none)) EXPECT_EQ(v, 0);
  EXPECT_EQ(extfrag_for_order(none, 9), 0u);
  EXPECT_EQ(unusable_index_line(0, "Normal", unusable_indexes(none)),
            "Node 0, zone   Normal 1.000 1.000 1.000 1.000 1.000 1.000 1.000 1.000 1.000 1.000 1.000 \n");
  EXPECT_EQ(extfrag_index_line(0, "Normal", extfrag_indexes(none)),
            "Node 0, zone   Normal  0.000  0.000  0.000  0.000  0.000  0.000  0.000  0.000  0.000  0.000  0.000 \n");
}

TEST(Vmstat, SuitableBlockGivesMinusOne) {
  std::vector<std::uint64_t> one_max(11, 0);
  one_max[10] = 1;
  for (int v : extfrag_indexes(one_max)) EXPECT_EQ(v, -1000);
  for (int v : unusable_indexes(one_max)) EXPECT_EQ(v, 0);
  EXPECT_EQ(index_to_double(-1000), -1.0);
  EXPECT_EQ(index_to_double(227), 0.227);
}

// One free page, order 1 requested: 1000 - (1000 + 1000/2) / 1 = -500 in the kernel's unsigned
// arithmetic truncated to int, which it prints as " 0.-500" (C division and remainder).
TEST(Vmstat, SingleTooSmallBlockQuirk) {
  std::vector<std::uint64_t> single = {1, 0, 0};
  EXPECT_EQ(fragmentation_index(1, fill_contig_page_info(single, 1), 2), -500);
  EXPECT_EQ(extfrag_index_line(0, "DMA", extfrag_indexes(single)), "Node 0, zone      DMA -1.000  0.-500  0.-250 \n");
}

TEST(Vmstat, OrderAboveMaxIsZero) { EXPECT_EQ(fragmentation_index(11, fill_contig_page_info(kFree, 11), 10), 0); }

TEST(Vmstat, ExtfragForOrderIsPercent) {
  EXPECT_EQ(extfrag_for_order(kFree, 2), 45u);   // (44 - 24) * 100 / 44
  EXPECT_EQ(extfrag_for_order(kFree, 5), 100u);  // nothing suitable
  EXPECT_EQ(extfrag_for_order(kFree, 0), 0u);
}

TEST(Vmstat, ExtfragWidthBefore516) {
  EXPECT_EQ(extfrag_index_line(0, "Normal", extfrag_indexes(kFree), false),
            "Node 0, zone   Normal -1.000 -1.000 -1.000 -1.000 -1.000 0.869 0.907 0.926 0.935 0.940 0.943 \n");
}

TEST(Vmstat, LargestFreeOrder) {
  EXPECT_EQ(largest_free_order(kFree), 4);
  EXPECT_EQ(largest_free_order(std::vector<std::uint64_t>(11, 0)), -1);
}

TEST(Vmstat, PrintFormats) {
  EXPECT_EQ(buddyinfo_line(0, "DMA32", kFree),
            "Node 0, zone    DMA32     10      5      2      0      1      0      0      0      0      0      0 \n");
  EXPECT_EQ(unusable_index_line(1, "Normal", unusable_indexes(kFree)),
            "Node 1, zone   Normal 0.000 0.227 0.454 0.636 0.636 1.000 1.000 1.000 1.000 1.000 1.000 \n");
  EXPECT_EQ(extfrag_index_line(1, "Normal", extfrag_indexes(kFree)),
            "Node 1, zone   Normal -1.000 -1.000 -1.000 -1.000 -1.000  0.869  0.907  0.926  0.935  0.940  0.943 \n");
}

// Found by the buddyinfo fuzz target: the prefix went through a 64-byte buffer, so a long zone name was cut,
// here inside the two bytes of U+0555, and the text output was not UTF-8. The name is printed whole.
TEST(Vmstat, LongZoneNameIsPrintedWhole) {
  const std::string zone = std::string(49, '~') + "\xD5\x95" + std::string(20, '3');
  const std::vector<std::uint64_t> one{1};
  EXPECT_EQ(buddyinfo_line(-12, zone, one), "Node -12, zone " + zone + "      1 \n");
  EXPECT_EQ(unusable_index_line(0, zone, unusable_indexes(one)), "Node 0, zone " + zone + " 0.000 \n");
}

}  // namespace
}  // namespace gm
