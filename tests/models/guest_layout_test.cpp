// Default maps per guest type and the kernel's boot transformations (PV xen_memory_setup, PVH dom0).
#include "models/guest_layout.h"

#include <gtest/gtest.h>

namespace gm {
namespace {

AddrRange R(std::uint64_t a, std::uint64_t b) { return {PhysAddr{a}, PhysAddr{b}}; }

GuestConfig pv(Bytes memory, Bytes maxmem) {
  GuestConfig c;
  c.type = GuestType::pv;
  c.memory = memory;
  c.maxmem = maxmem;
  return c;
}

TEST(GuestLayout, HvmDefaultHasTheMmioHoleBelow4G) {
  GuestConfig c;
  c.type = GuestType::hvm;
  c.memory = c.maxmem = GiB(8);
  auto e = default_e820(c);
  E820Table t(e);
  t.sanitize();
  // RAM below 0x9fc00 and from 1 MiB: the EBDA/VGA/BIOS area is not RAM.
  EXPECT_EQ(t.total_usable_bytes().value, 0x9fc00u + GiB(8).value - MiB(1).value);
  EXPECT_TRUE(t.intersects(R(0x100000, 0xefffffff), E820Type::ram));
  EXPECT_FALSE(t.intersects(R(0xf0000000, 0xffffffff), E820Type::ram));
  EXPECT_EQ(t.highest_address()->value, 0x100000000u + GiB(8).value - MiB(1).value - (0xf0000000u - 0x100000u) - 1);
}

TEST(GuestLayout, PvhDefaultRamFromZero) {
  GuestConfig c;  // PVH domU 4 GiB
  auto l = build_guest_layout(c);
  auto x = l.e820.ram_extents();
  ASSERT_EQ(x.size(), 3u);  // page 0 reserved and 640K-1M removed by trim_bios_range
  EXPECT_EQ(x[0], (PfnExtent{Pfn{1}, 0x9f}));
  EXPECT_EQ(x[1], (PfnExtent{Pfn{0x100}, 0xf0000 - 0x100}));
  EXPECT_EQ(x[2], (PfnExtent{Pfn{0x100000}, 0x10000}));  // 256 MiB above 4 GiB
  EXPECT_TRUE(l.extra_mem.empty());
}

TEST(GuestLayout, PvDomUExtraMemoryIsTheRamBeyondNrPages) {
  auto l = build_guest_layout(pv(GiB(1), GiB(2)));
  EXPECT_EQ(l.max_pfn.value, 262144u);
  ASSERT_EQ(l.extra_mem.size(), 1u);
  EXPECT_EQ(l.extra_mem[0], (PfnExtent{Pfn{262144}, 262144}));
  EXPECT_EQ(l.max_p2m_pfn.value, 524288u);
  auto m = l.managed_ram();
  ASSERT_EQ(m.size(), 2u);
  EXPECT_EQ(m[0], (PfnExtent{Pfn{1}, 0x9f}));
  EXPECT_EQ(m[1], (PfnExtent{Pfn{0x100}, 262144 - 0x100}));
  EXPECT_EQ(l.released_pages, 0u);
}

TEST(GuestLayout, PvExtraMemoryIsCappedAtTenTimesBase) {
  auto l = build_guest_layout(pv(GiB(1), GiB(16)));
  ASSERT_EQ(l.extra_mem.size(), 1u);
  EXPECT_EQ(l.extra_mem[0].count, 10u * 262144u);  // EXTRA_MEM_RATIO
  EXPECT_EQ(l.e820.highest_address()->value, GiB(11).value - 1);  // the rest is discarded
}

TEST(GuestLayout, PvHolesBelowNrPagesAreReleasedWithoutExtraRoom) {
  GuestConfig c = pv(GiB(1), GiB(1));
  c.e820 = std::vector<E820Entry>{{R(0, 0x9fbff), E820Type::ram},
                                  {R(0x9fc00, 0xfffff), E820Type::reserved},
                                  {R(0x100000, 0x3fffffff), E820Type::ram}};
  auto l = build_guest_layout(c);
  EXPECT_EQ(l.released_pages, 0x100u - 0x9fu);  // pfns 0x9f..0xff: 97 frames back to Xen
  EXPECT_EQ(l.remapped_pages, 0u);
  ASSERT_FALSE(l.identity.empty());
  EXPECT_EQ(l.identity[0], (PfnExtent{Pfn{0x9f}, 97}));
}

TEST(GuestLayout, PvHolesAreRemappedIntoTheExtraRegion) {
  GuestConfig c = pv(GiB(1), GiB(2));
  c.e820 = std::vector<E820Entry>{{R(0, 0x9fbff), E820Type::ram},
                                  {R(0x9fc00, 0xfffff), E820Type::reserved},
                                  {R(0x100000, 0x7fffffff), E820Type::ram}};
  auto l = build_guest_layout(c);
  EXPECT_EQ(l.remapped_pages, 97u);
  ASSERT_EQ(l.extra_mem.size(), 1u);
  EXPECT_EQ(l.extra_mem[0], (PfnExtent{Pfn{262144 + 97}, 262144 - 97}));
}

TEST(GuestLayout, PvDomUPrintedMapIsaReservationIsTheKernelsOwn) {
  // The map a 6.1 PV domU printed in the lab ("Xen: [mem ...]"): xen_memory_setup() added the ISA
  // reservation itself; libxl's map was one RAM entry, so nothing is remapped and the whole
  // [memory, maxmem) is extra (65536 frames on the balloon list at boot, docs/lab.md L1).
  GuestConfig c = pv(MiB(256), MiB(512));
  c.e820 = std::vector<E820Entry>{{R(0, 0x9ffff), E820Type::ram},
                                  {R(0xa0000, 0xfffff), E820Type::reserved},
                                  {R(0x100000, 0x1fffffff), E820Type::ram}};
  auto l = build_guest_layout(c);
  EXPECT_EQ(l.remapped_pages, 0u);
  EXPECT_EQ(l.released_pages, 0u);
  ASSERT_EQ(l.extra_mem.size(), 1u);
  EXPECT_EQ(l.extra_mem[0], (PfnExtent{Pfn{65536}, 65536}));
  EXPECT_FALSE(l.e820.intersects(R(0xa0000, 0xfffff), E820Type::ram));  // still reserved for the guest
}

TEST(GuestLayout, PvMoreThan128ExtraRegionsWarns) {
  GuestConfig c = pv(GiB(1), GiB(8));
  std::vector<E820Entry> e{{R(0, 0x3fffffff), E820Type::ram}};
  for (std::uint64_t i = 0; i < 130; ++i) {
    std::uint64_t s = GiB(2).value + i * MiB(8).value;
    e.push_back({R(s, s + MiB(4).value - 1), E820Type::ram});
  }
  c.e820 = e;
  auto l = build_guest_layout(c);
  EXPECT_EQ(l.extra_mem.size(), 128u);
  EXPECT_EQ(l.untracked_extra.size(), 2u);
  ASSERT_FALSE(l.log.empty());
  EXPECT_EQ(l.log[0], "Warning: not enough extra memory regions");
}

TEST(GuestLayout, PvhDom0UnusableBecomesExtraRamFrom69) {
  GuestConfig c;
  c.dom0 = true;
  c.memory = c.maxmem = GiB(1);
  c.e820 = std::vector<E820Entry>{{R(0, 0x9efff), E820Type::ram},
                                  {R(0x9f000, 0xfffff), E820Type::reserved},
                                  {R(0x100000, 0xbfffffff), E820Type::ram},
                                  {R(0x100000000, 0x1ffffffff), E820Type::ram}};
  c.kernel = KernelVersion::from("6.8");
  auto old = build_guest_layout(c);
  EXPECT_TRUE(old.extra_mem.empty());
  EXPECT_EQ(old.e820.total_bytes(E820Type::unusable).value, GiB(3).value - MiB(1).value - GiB(1).value + 0x9f000u +
                                                                GiB(4).value);
  c.kernel = KernelVersion::from("6.9");
  auto l = build_guest_layout(c);
  ASSERT_EQ(l.extra_mem.size(), 2u);
  // Xen kept the first 1 GiB of host RAM (0x9f pages low, the rest from 1 MiB) and made the rest UNUSABLE.
  EXPECT_EQ(l.extra_mem[0], (PfnExtent{Pfn{0x100 + 262144 - 0x9f}, 0xc0000 - (0x100 + 262144 - 0x9f)}));
  EXPECT_EQ(l.extra_mem[1], (PfnExtent{Pfn{0x100000}, 0x100000}));
  EXPECT_EQ(l.e820.total_bytes(E820Type::unusable).value, 0u);
}

TEST(GuestLayout, PvhDom0PartialPageEntryCostsNoPage) {
  // Xen's dom0_pvh_setup_e820 (xen/arch/x86/hvm/dom0_build.c) page-aligns each host RAM entry and
  // counts whole pages: the 0xc00-byte tail of [0, 0x9fbff] is not RAM and costs dom0 nothing, so
  // the view holds exactly `memory` pages (0x9f below 1 MiB, the rest from 1 MiB).
  GuestConfig c;
  c.dom0 = true;
  c.memory = c.maxmem = GiB(1);
  c.kernel = KernelVersion::from("6.8");
  c.e820 = std::vector<E820Entry>{{R(0, 0x9fbff), E820Type::ram},
                                  {R(0x9fc00, 0xfffff), E820Type::reserved},
                                  {R(0x100000, 0xbfffffff), E820Type::ram},
                                  {R(0x100000000, 0x1ffffffff), E820Type::ram}};
  auto l = build_guest_layout(c);
  std::uint64_t pages = 0;
  for (const auto& x : l.e820.ram_extents()) pages += x.count;
  EXPECT_EQ(pages, bytes_to_pages(GiB(1)) - 1);  // page 0 goes to trim_bios_range()
  ASSERT_FALSE(l.e820.ram_extents().empty());
  EXPECT_EQ(l.e820.ram_extents().back().end(), Pfn{0x100 + 262144 - 0x9f});
}

}  // namespace
}  // namespace gm
