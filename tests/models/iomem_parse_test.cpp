// /proc/iomem import and the placement prediction behind `guestmem iomem`.
#include "models/iomem_parse.h"

#include <gtest/gtest.h>

#include "models/iomem_predict.h"

namespace gm {
namespace {

AddrRange R(std::uint64_t a, std::uint64_t b) { return {PhysAddr{a}, PhysAddr{b}}; }

constexpr const char* kIomem =
    "00000000-00000fff : Reserved\n"
    "00001000-0009ffff : System RAM\n"
    "00100000-7fffffff : System RAM\n"
    "  01000000-01ffffff : Kernel code\n"
    "80000000-8fffffff : PCI Bus 0000:00\n"
    "  80000000-80ffffff : 0000:00:02.0\n"
    "    80000000-807fffff : vesafb\n"
    "fec00000-fec003ff : IOAPIC 0\n"
    "100000000-17fffffff : System RAM\n";

TEST(IomemParse, NestingByIndent) {
  auto r = parse_iomem_text(kIomem);
  ASSERT_TRUE(r.errors.empty());
  ASSERT_EQ(r.entries.size(), 9u);
  EXPECT_EQ(r.entries[3], (IomemEntry{"Kernel code", R(0x1000000, 0x1ffffff), 1}));
  EXPECT_EQ(r.entries[6], (IomemEntry{"vesafb", R(0x80000000, 0x807fffff), 2}));
  EXPECT_EQ(r.entries[8].range, R(0x100000000, 0x17fffffff));
}

TEST(IomemParse, Errors) {
  auto zero = parse_iomem_text("00000000-00000000 : Reserved\n  00000000-00000000 : PCI Bus 0000:00\n");
  ASSERT_EQ(zero.errors.size(), 1u);
  EXPECT_NE(zero.errors[0].message.find("CAP_SYS_ADMIN"), std::string::npos);
  EXPECT_TRUE(zero.entries.empty());
  auto outside = parse_iomem_text("00001000-00001fff : a\n  00003000-00003fff : b\n");
  ASSERT_EQ(outside.errors.size(), 1u);
  EXPECT_EQ(outside.errors[0].line, 2);
  auto junk = parse_iomem_text("hello world\n");
  ASSERT_EQ(junk.errors.size(), 1u);
  EXPECT_EQ(junk.errors[0].column, 1);
}

TEST(IomemPredict, NowAndAtBoot) {
  auto io = parse_iomem_text(kIomem).entries;
  PlacementRequest req;
  req.count = 2;
  auto now = predict_placements(io, std::nullopt, req);
  ASSERT_EQ(now.placements.size(), 2u);
  // Gap [0x90000000, 0xffffffff]: the IOAPIC line is not an e820 name, so only the BIOS ROM clips it.
  EXPECT_EQ(now.placements[0].range, R(0x90000000, 0x97ffffff));
  EXPECT_TRUE(now.placements[0].overlaps.empty());
  req.at_boot = true;
  auto boot = predict_placements(io, std::nullopt, req);
  ASSERT_EQ(boot.placements.size(), 2u);
  EXPECT_EQ(boot.placements[0].range, R(0x80000000, 0x87ffffff));  // the window did not exist yet
  ASSERT_EQ(boot.placements[0].overlaps.size(), 3u);
  EXPECT_EQ(boot.placements[0].overlaps[0].name, "PCI Bus 0000:00");
  EXPECT_EQ(boot.placements[0].overlaps[2].name, "vesafb");
  EXPECT_EQ(boot.e820_source, "iomem");
  req.count = 100000;
  req.bounds = R(0, 0xffffffff);
  req.at_boot = false;
  auto full = predict_placements(io, std::nullopt, req);
  EXPECT_EQ(full.stopped, Errno::ebusy);
  EXPECT_EQ(full.placements.size(), 13u);  // 0x90000000..0xf7ffffff; 0xf8000000.. is cut by 0xfec00000
}

TEST(IomemParse, KeepsZeroAndZeroSizeLines) {
  auto r = parse_iomem_text("00001000-00001fff : a\n00000000-00000000 : PCI Bus 0000:00\n00003000-00002fff : e\n");
  ASSERT_TRUE(r.errors.empty());
  ASSERT_EQ(r.entries.size(), 3u);
  EXPECT_EQ(r.entries[1].range, R(0, 0));
  EXPECT_EQ(r.entries[2].range, R(0x3000, 0x2fff));
  EXPECT_EQ(parse_iomem_text("00003000-00001fff : bad\n").errors.size(), 1u);
}

// A 5.16+ host with the coalesced "00000000-00000000 : PCI Bus 0000:00" line between the RAM below
// 4 GiB and the merged window. Hand walk (__find_resource, 128 MiB, x86 clip against the e820 read
// from the same file): without the line the gap [0xc0000000, 0xfebfffff] takes the first section.
// With it, the gap before it is [0x80000000, ~0] -> max 2^46-1 -> BIOS ROM clip keeps the larger
// upper side from 0x100000000 -> the RAM above 4 GiB keeps the upper side from 0x480000000.
TEST(IomemPredict, ZeroTopLevelEntryMovesTheFirstFit) {
  const std::string base =
      "00000000-00000fff : Reserved\n"
      "00001000-0009ffff : System RAM\n"
      "00100000-7fffffff : System RAM\n";
  const std::string zero = "00000000-00000000 : PCI Bus 0000:00\n";
  const std::string rest =
      "80000000-bfffffff : PCI Bus 0000:00\n"
      "fec00000-fec00fff : Reserved\n"
      "100000000-47fffffff : System RAM\n";
  PlacementRequest req;
  auto plain = predict_placements(parse_iomem_text(base + rest).entries, std::nullopt, req);
  ASSERT_EQ(plain.placements.size(), 1u);
  EXPECT_EQ(plain.placements[0].range, R(0xc0000000, 0xc7ffffff));
  auto io = parse_iomem_text(base + zero + rest);
  ASSERT_TRUE(io.errors.empty());
  ASSERT_EQ(io.entries.size(), 7u);
  auto moved = predict_placements(io.entries, std::nullopt, req);
  ASSERT_EQ(moved.placements.size(), 1u);
  EXPECT_EQ(moved.placements[0].range, R(0x480000000, 0x487ffffff));
  // The second one: the wrapped gap is computed before the list reaches the first section, so it
  // yields the same candidate, which __request_resource then finds taken: -EBUSY, the allocator
  // cannot grow again although most of the address space is free.
  req.count = 2;
  auto two = predict_placements(io.entries, std::nullopt, req);
  ASSERT_EQ(two.placements.size(), 1u);
  EXPECT_EQ(two.stopped, Errno::ebusy);
}

}  // namespace
}  // namespace gm
