// Guest: the done-when cases of issue 3 through the GuestKernel interface the drivers use.
#include "models/guest.h"

#include <gtest/gtest.h>

#include "counting_allocator.h"

namespace gm {
namespace {

AddrRange R(std::uint64_t a, std::uint64_t b) { return {PhysAddr{a}, PhysAddr{b}}; }

// fill_list(nr_pages) as drivers/xen/unpopulated-alloc.c@v6.12 does it, for the resource step.
KResult<AddrRange> fill_list_resource(Guest& g, std::uint64_t deficit) {
  std::uint64_t per = g.pages_per_section();
  std::uint64_t pages = (deficit + per - 1) / per * per;
  return g.allocate_resource(ResourceTarget::iomem, kXenScratchName, false, pages_to_bytes(pages),
                             g.pluggable_range(), pages_to_bytes(per));
}

std::vector<IomemEntry> named(const std::vector<IomemEntry>& w, std::string_view name) {
  std::vector<IomemEntry> out;
  for (const auto& e : w)
    if (e.name == name) out.push_back(e);
  return out;
}

TEST(Guest, OnePageDeficitAllocatesOneAlignedScratchSectionAtTheFirstGap) {
  test::CountingAllocator a;
  Guest g(GuestConfig{}, a);  // PVH domU, 4 GiB: RAM below 0xf0000000 and 256 MiB above 4 GiB
  auto r = fill_list_resource(g, 1);
  ASSERT_TRUE(r);
  // Gap [0xf0000000, 0xffffffff] minus the BIOS ROM (upper 2 MiB): the first fit, 128 MiB aligned.
  EXPECT_EQ(r.value(), R(0xf0000000, 0xf7ffffff));
  EXPECT_EQ(r->start.value % MiB(128).value, 0u);
  EXPECT_EQ(g.scratch_bytes().value, MiB(128).value);
  auto s = named(g.iomem_walk(), "Xen scratch");
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].depth, 0);
  auto r2 = fill_list_resource(g, 32769);  // two sections: [0xf8000000, 0xffdfffff] is too small
  ASSERT_TRUE(r2);
  EXPECT_EQ(r2.value(), R(0x110000000, 0x11fffffff));
}

TEST(Guest, PciWindowOverScratchIsReported) {
  test::CountingAllocator a;
  Guest g(GuestConfig{}, a);
  ASSERT_TRUE(fill_list_resource(g, 1));
  // A window covering the scratch range nests it ("accepted over it"), a straddling one is ignored.
  EXPECT_EQ(g.add_pci_window("PCI Bus 0000:00", R(0xf0000000, 0xfbffffff)), Errno::ok);
  EXPECT_EQ(g.add_pci_window("PCI Bus 0000:80", R(0xf4000000, 0xfdffffff)), Errno::ebusy);
  // A BAR inside the window over the scratch range cannot be claimed.
  EXPECT_EQ(g.add_pci_bar("0000:00:02.0 BAR 0", R(0xf0000000, 0xf0ffffff)), Errno::ebusy);
  EXPECT_EQ(g.add_pci_bar("0000:00:03.0 BAR 0", R(0xf8000000, 0xf8ffffff)), Errno::ok);
  const auto& c = g.conflicts();
  ASSERT_EQ(c.size(), 3u);
  EXPECT_EQ(c[0].what, "PCI Bus 0000:00");
  EXPECT_EQ(c[0].with, "Xen scratch");
  EXPECT_EQ(c[0].outcome, "nested");
  EXPECT_EQ(c[1].what, "PCI Bus 0000:80");
  EXPECT_EQ(c[1].with, "PCI Bus 0000:00");
  EXPECT_EQ(c[1].outcome, "rejected");
  EXPECT_EQ(c[2].what, "0000:00:02.0 BAR 0");
  EXPECT_EQ(c[2].with, "Xen scratch");
  EXPECT_EQ(c[2].with_range, R(0xf0000000, 0xf7ffffff));
}

TEST(Guest, MisalignedAddMemoryResourceFailsWithEinval) {
  test::CountingAllocator a;
  Guest g(GuestConfig{}, a);
  EXPECT_EQ(g.add_memory_resource(R(0x110000000 + MiB(64).value, 0x110000000 + MiB(192).value - 1)), Errno::einval);
  EXPECT_EQ(g.hotplugged_bytes().value, 0u);
}

TEST(Guest, HotAddOnlinesThroughTheCallbackAndNotifies) {
  test::CountingAllocator a;
  Guest g(GuestConfig{}, a);
  std::uint64_t pages = 0;
  int online_events = 0;
  g.set_online_page_callback([&](Pfn, unsigned order) { pages += std::uint64_t{1} << order; });
  g.register_memory_notifier([&](MemEvent e) { online_events += e == MemEvent::online; });
  auto r = g.allocate_resource(ResourceTarget::iomem, kSystemRamName, true, MiB(128), g.pluggable_range(), MiB(128));
  ASSERT_TRUE(r);
  std::uint64_t before = g.num_physpages();
  ASSERT_EQ(g.add_memory_resource(r.value()), Errno::ok);
  EXPECT_EQ(pages, 32768u);
  EXPECT_EQ(online_events, 1);
  EXPECT_EQ(a.reserved_added, 32768u);
  EXPECT_EQ(g.num_physpages(), before + 32768);
  EXPECT_EQ(g.hotplugged_bytes().value, MiB(128).value);
  EXPECT_EQ(g.memmap_bytes().value, MiB(2).value);  // vmemmap from existing RAM (no MHP_MEMMAP_ON_MEMORY)
  // ZONE_DEVICE must stay disjoint from System RAM (hot-added included).
  EXPECT_EQ(g.memremap_pages(r.value()).error(), Errno::enxio);
}

TEST(Guest, PvMemremapOfOneSectionChargesOrderZeroVmemmapAndPtePages) {
  test::CountingAllocator a;
  GuestConfig c;
  c.type = GuestType::pv;
  c.memory = c.maxmem = GiB(2);
  Guest g(c, a);
  auto r = fill_list_resource(g, 1);
  ASSERT_TRUE(r);
  // PV domU: RAM [0, 2 GiB). The gap above it contains the BIOS ROM clip, whose upper side is larger:
  // the scratch section lands at 4 GiB.
  EXPECT_EQ(r.value(), R(0x100000000, 0x107ffffff));
  PfnExtent ext{addr_to_pfn(r->start), g.pages_per_section()};
  ASSERT_EQ(g.set_phys_to_machine_invalid(ext), Errno::ok);
  EXPECT_EQ(g.p2m()->leaf_pages_allocated(), 64u);  // identity leaves above the map
  auto m = g.memremap_pages(r.value());
  ASSERT_TRUE(m);
  EXPECT_EQ(m->order0_pages, 512u);
  EXPECT_EQ(m->order9_blocks, 0u);
  EXPECT_EQ(m->pte_pages, 65u);
  EXPECT_EQ(g.memmap_bytes().value, MiB(2).value);
  EXPECT_EQ(g.pagetable_bytes().value, (65u + 64u) * 4096u);
}

TEST(Guest, ArmTargetNeedsExtendedRegions) {
  test::CountingAllocator a;
  GuestConfig c;
  c.arch = Arch::arm64;
  c.acpi = false;
  {
    Guest g(c, a);
    EXPECT_FALSE(g.unpopulated_target());
  }
  c.extended_regions = {R(0x300000000, 0x33fffffff), R(0x400000000, 0x4ffffffff)};  // outside the RAM banks
  Guest g(c, a);
  ASSERT_EQ(g.unpopulated_target(), ResourceTarget::extended_regions);
  auto r = g.allocate_resource(ResourceTarget::extended_regions, kXenScratchName, false, MiB(128),
                               g.pluggable_range(), MiB(128));
  ASSERT_TRUE(r);
  EXPECT_EQ(r.value(), R(0x300000000, 0x307ffffff));
  EXPECT_EQ(g.scratch_bytes().value, 0u);  // counted when fill_list duplicates it into iomem
  EXPECT_EQ(g.request_iomem(kXenScratchName, r.value()), Errno::ok);
  EXPECT_EQ(g.scratch_bytes().value, MiB(128).value);
  c.kernel = KernelVersion::from("5.16");
  Guest old(c, a);
  EXPECT_EQ(old.unpopulated_target(), ResourceTarget::iomem);
}

TEST(Guest, LatePassAddsReservedAndRamBuffer) {
  test::CountingAllocator a;
  GuestConfig c;
  c.type = GuestType::hvm;
  c.memory = c.maxmem = GiB(2);
  Guest g(c, a);
  EXPECT_TRUE(named(g.iomem_walk(), "RAM buffer").empty());
  g.reserve_resources_late();
  auto reserved = named(g.iomem_walk(), "Reserved");
  ASSERT_FALSE(reserved.empty());
  EXPECT_EQ(reserved.back().range, R(0xfc000000, 0xffffffff));
}

}  // namespace
}  // namespace gm
