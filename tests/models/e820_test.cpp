// e820 rules: names as the kernel prints them, e820__update_table sanitize, raw totals, holes.
#include "models/e820.h"

#include <gtest/gtest.h>

namespace gm {
namespace {

AddrRange R(std::uint64_t a, std::uint64_t b) { return {PhysAddr{a}, PhysAddr{b}}; }

TEST(E820, TypeNamesAsTheKernelPrintsThem) {
  EXPECT_EQ(e820_type_name(E820Type::ram), "usable");
  EXPECT_EQ(e820_type_name(E820Type::acpi), "ACPI data");
  EXPECT_EQ(e820_type_name(E820Type::nvs), "ACPI NVS");
  EXPECT_EQ(e820_type_name(E820Type::pram), "persistent (type 12)");
  EXPECT_EQ(e820_type_name(E820Type::pmem), "persistent (type 7)");
  EXPECT_EQ(e820_type_name(E820Type::soft_reserved), "soft reserved");
  EXPECT_EQ(e820_type_name(static_cast<E820Type>(20)), "type 20");
  EXPECT_EQ(e820_resource_name(E820Type::nvs), "ACPI Non-volatile Storage");
  EXPECT_EQ(e820_type_from_name("System RAM"), E820Type::ram);
  EXPECT_EQ(e820_type_from_name("persistent (type 12)"), E820Type::pram);
  EXPECT_EQ(e820_type_from_name("type 20"), static_cast<E820Type>(20));
  EXPECT_FALSE(e820_type_from_name("bogus"));
}

TEST(E820, SanitizeResolvesOverlapsToTheGreaterTypeAndMerges) {
  E820Table t({{R(0x100000, 0x1fffff), E820Type::ram},
               {R(0, 0x9ffff), E820Type::ram},
               {R(0x9f000, 0xfffff), E820Type::reserved},
               {R(0x200000, 0x2fffff), E820Type::ram}});
  t.sanitize();
  ASSERT_EQ(t.entries().size(), 3u);
  EXPECT_EQ(t.entries()[0], (E820Entry{R(0, 0x9efff), E820Type::ram}));
  EXPECT_EQ(t.entries()[1], (E820Entry{R(0x9f000, 0xfffff), E820Type::reserved}));
  EXPECT_EQ(t.entries()[2], (E820Entry{R(0x100000, 0x2fffff), E820Type::ram}));
}

TEST(E820, TotalsAreRawBytesAndHolesAreUncoveredRanges) {
  E820Table t({{R(0, 0x9fbff), E820Type::ram},
               {R(0xf0000, 0xfffff), E820Type::reserved},
               {R(0x100000, 0x7fffffff), E820Type::ram},
               {R(0xfec00000, 0xfec00fff), E820Type::reserved}});
  t.sanitize();
  EXPECT_EQ(t.total_usable_bytes().value, 0x9fc00u + 0x7ff00000u);  // 654336 + 2146435072: unaligned kept
  EXPECT_EQ(t.bytes_by_type().at("reserved").value, 0x10000u + 0x1000u);
  EXPECT_EQ(t.highest_address()->value, 0xfec00fffu);
  auto h = t.holes();
  ASSERT_EQ(h.size(), 2u);
  EXPECT_EQ(h[0], R(0x9fc00, 0xeffff));
  EXPECT_EQ(h[1], R(0x80000000, 0xfebfffff));
}

TEST(E820, UpdateAndRemoveSplitEntries) {
  E820Table t({{R(0, 0x3fffffff), E820Type::ram}});
  t.sanitize();
  t.update(R(0, 0xfff), E820Type::ram, E820Type::reserved);  // trim_bios_range, page 0
  t.remove(R(0xa0000, 0xfffff), E820Type::ram);
  ASSERT_EQ(t.entries().size(), 3u);
  EXPECT_EQ(t.entries()[0], (E820Entry{R(0, 0xfff), E820Type::reserved}));
  EXPECT_EQ(t.entries()[1], (E820Entry{R(0x1000, 0x9ffff), E820Type::ram}));
  EXPECT_EQ(t.entries()[2], (E820Entry{R(0x100000, 0x3fffffff), E820Type::ram}));
  auto x = t.ram_extents();
  ASSERT_EQ(x.size(), 2u);
  EXPECT_EQ(x[0], (PfnExtent{Pfn{1}, 0x9f}));
  EXPECT_EQ(x[1], (PfnExtent{Pfn{0x100}, 0x40000 - 0x100}));
}

TEST(E820, RamExtentsRoundInward) {
  E820Table t({{R(0x800, 0x9fbff), E820Type::ram}});
  auto x = t.ram_extents();
  ASSERT_EQ(x.size(), 1u);
  EXPECT_EQ(x[0], (PfnExtent{Pfn{1}, 0x9e}));  // pfn 1 .. 0x9e (0x9f000-0x9fbff is a partial page)
}

}  // namespace
}  // namespace gm
