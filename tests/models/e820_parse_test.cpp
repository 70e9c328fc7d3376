// Every accepted e820 text form, its block choice and its errors.
#include "models/e820_parse.h"

#include <gtest/gtest.h>

namespace gm {
namespace {

AddrRange R(std::uint64_t a, std::uint64_t b) { return {PhysAddr{a}, PhysAddr{b}}; }

TEST(E820Parse, DmesgBiosLinesWithTimestampsAndUpdates) {
  auto r = parse_e820_text(
      "[    0.000000] BIOS-provided physical RAM map:\n"
      "[    0.000000] BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff] usable\n"
      "[    0.000000] BIOS-e820: [mem 0x000000000009fc00-0x000000000009ffff] reserved\n"
      "[    0.000000] BIOS-e820: [mem 0x0000000000100000-0x00000000bffdffff] usable\n"
      "[    0.000000] BIOS-e820: [mem 0x00000000feffc000-0x00000000feffffff] reserved\n"
      "[    0.000000] BIOS-e820: [mem 0x0000000100000000-0x000000023fffffff] usable\n"
      "[    0.000000] NX (Execute Disable) protection: active\n"
      "[    0.000000] e820: update [mem 0x00000000-0x00000fff] usable ==> reserved\n"
      "[    0.000000] e820: remove [mem 0x000a0000-0x000fffff] usable\n");
  EXPECT_TRUE(r.errors.empty());
  EXPECT_EQ(r.form, "dmesg");
  EXPECT_EQ(r.updates_applied, 2);
  ASSERT_EQ(r.entries.size(), 6u);
  EXPECT_EQ(r.entries[0], (E820Entry{R(0, 0xfff), E820Type::reserved}));
  EXPECT_EQ(r.entries[1], (E820Entry{R(0x1000, 0x9fbff), E820Type::ram}));
}

TEST(E820Parse, XenDmesgAndUserBlockWins) {
  auto r = parse_e820_text(
      "(early) Xen: [mem 0x0000000000000000-0x000000000009ffff] usable\n"
      "(early) Xen: [mem 0x00000000000a0000-0x00000000000fffff] reserved\n"
      "(early) Xen: [mem 0x0000000000100000-0x000000003fffffff] usable\n"
      "Xen: using vcpuop timer interface\n"
      "user-defined physical RAM map:\n"
      "user: [mem 0x0000000000000000-0x0000000000000fff] reserved\n"
      "user: [mem 0x0000000000001000-0x000000000009ffff] usable\n");
  EXPECT_TRUE(r.errors.empty());
  ASSERT_EQ(r.entries.size(), 2u);
  EXPECT_EQ(r.entries[0].type, E820Type::reserved);
}

TEST(E820Parse, OldBiosFormIsExclusive) {
  auto r = parse_e820_text(" BIOS-e820: 0000000000000000 - 000000000009f000 (usable)\n");
  ASSERT_EQ(r.entries.size(), 1u);
  EXPECT_EQ(r.entries[0].range, R(0, 0x9efff));
}

TEST(E820Parse, XenConsoleBothForms) {
  auto ex = parse_e820_text(
      "(XEN) Xen-e820 RAM map:\n"
      "(XEN)  0000000000000000 - 000000000009fc00 (usable)\n"
      "(XEN)  00000000000f0000 - 0000000000100000 (reserved)\n"
      "(XEN)  0000000000100000 - 00000000c0000000 (usable)\n");
  EXPECT_EQ(ex.form, "xen");
  ASSERT_EQ(ex.entries.size(), 3u);
  EXPECT_EQ(ex.entries[0].range, R(0, 0x9fbff));
  EXPECT_EQ(ex.entries[2].range, R(0x100000, 0xbfffffff));
  auto in = parse_e820_text(
      "(XEN) [0000000a3c1b2e44]  [0000000000000000, 000000000009fbff] (usable)\n"
      "(XEN)  [0000000000100000, 00000000bfffffff] (usable)\n"
      "(XEN)  [00000000fec00000, 00000000fec00fff] (reserved)\n");
  ASSERT_EQ(in.entries.size(), 3u);
  EXPECT_EQ(in.entries[0].range, R(0, 0x9fbff));
  EXPECT_EQ(in.entries[2], (E820Entry{R(0xfec00000, 0xfec00fff), E820Type::reserved}));
}

TEST(E820Parse, SysfsGrepAndLineForms) {
  auto g = parse_e820_text(
      "/sys/firmware/memmap/0/end:0x9fbff\n"
      "/sys/firmware/memmap/0/start:0x0\n"
      "/sys/firmware/memmap/0/type:System RAM\n"
      "/sys/firmware/memmap/1/end:0xfffff\n"
      "/sys/firmware/memmap/1/start:0xf0000\n"
      "/sys/firmware/memmap/1/type:Reserved\n");
  EXPECT_EQ(g.form, "sysfs");
  ASSERT_EQ(g.entries.size(), 2u);
  EXPECT_EQ(g.entries[1], (E820Entry{R(0xf0000, 0xfffff), E820Type::reserved}));
  auto l = parse_e820_text("# start end type\n0x0 0x9fbff System RAM\n0x100000 0x7fffffff System RAM\n");
  ASSERT_EQ(l.entries.size(), 2u);
  EXPECT_EQ(l.entries[1].range, R(0x100000, 0x7fffffff));
}

TEST(E820Parse, GuestmemJson) {
  auto r = parse_e820_text(R"({"entries":[{"start":0,"end":654335,"type":"usable"},
                             {"start":"0x100000","end":"0x7fffffff","type":1}]})");
  EXPECT_TRUE(r.errors.empty());
  EXPECT_EQ(r.form, "json");
  ASSERT_EQ(r.entries.size(), 2u);
  EXPECT_EQ(r.entries[0].range, R(0, 0x9fbff));
  auto bad = parse_e820_text(R"([{"start":0,"end":10}])");
  ASSERT_EQ(bad.errors.size(), 1u);
  EXPECT_NE(bad.errors[0].message.find("/0/type"), std::string::npos);
  auto syn = parse_e820_text("{\"entries\": [\n  {\"start\": 0,,}]}");
  ASSERT_EQ(syn.errors.size(), 1u);
  EXPECT_EQ(syn.errors[0].line, 2);
}

TEST(E820Parse, MalformedMarkerLineIsAPositionedError) {
  auto r = parse_e820_text("BIOS-e820: [mem 0x0000-0xZZ] usable\n");
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].line, 1);
  EXPECT_EQ(r.errors[0].column, 12);  // the '[' of the range
  auto t = parse_e820_text("BIOS-e820: [mem 0x0-0xfff] bananas\n");
  ASSERT_EQ(t.errors.size(), 1u);
  EXPECT_NE(t.errors[0].message.find("bananas"), std::string::npos);
}

TEST(E820Parse, NothingFound) {
  auto r = parse_e820_text("hello\n# comment\n\n");
  EXPECT_TRUE(r.entries.empty());
  EXPECT_TRUE(r.form.empty());
  EXPECT_TRUE(r.errors.empty());
}

}  // namespace
}  // namespace gm
