// memremap_pages(MEMORY_DEVICE_GENERIC): checks in kernel order and the RAM it costs.
#include "models/memremap.h"

#include <gtest/gtest.h>

#include "counting_allocator.h"

namespace gm {
namespace {

AddrRange R(std::uint64_t a, std::uint64_t b) { return {PhysAddr{a}, PhysAddr{b}}; }
const AddrRange kPluggable = R(0, (std::uint64_t{1} << 46) - 1);
const AddrRange kSection = R(0x200000000, 0x207ffffff);  // 128 MiB at 8 GiB

TEST(Memremap, PvSectionCosts512OrderZeroVmemmapPagesPlusPtePages) {
  test::CountingAllocator a;
  DeviceMemory dm(/*pv=*/true, kPluggable, nullptr);
  auto c = dm.memremap_pages(kSection, a);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->vmemmap_pages, 512u);  // 32768 pages * 64 B / 4 KiB
  EXPECT_EQ(c->order0_pages, 512u);
  EXPECT_EQ(c->order9_blocks, 0u);
  EXPECT_EQ(c->pte_pages, 1u + 64u);  // one PTE page maps the 512 vmemmap pages; 64 for the 4 KiB direct map
  EXPECT_EQ(c->pages_initialised, 32768u);
  EXPECT_EQ(a.allocs[0], 512u + 65u);
  EXPECT_EQ(a.allocs[9], 0u);
}

TEST(Memremap, PseSectionTakesOneOrder9BlockAndFallsBack) {
  test::CountingAllocator a;
  DeviceMemory dm(false, kPluggable, nullptr);
  auto c = dm.memremap_pages(kSection, a);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->order9_blocks, 1u);
  EXPECT_EQ(c->order0_pages, 0u);
  EXPECT_EQ(c->pte_pages, 0u);
  test::CountingAllocator frag;
  frag.refuse_from_order = 1;  // no order-9 block: "falling back to regular page backing"
  DeviceMemory dm2(false, kPluggable, nullptr);
  auto f = dm2.memremap_pages(kSection, frag);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->order0_pages, 512u);
  EXPECT_EQ(f->pte_pages, 1u);
}

TEST(Memremap, ChecksInKernelOrder) {
  test::CountingAllocator a;
  DeviceMemory dm(false, kPluggable, [](AddrRange r) { return r.overlaps(R(0, 0xffffffff)); });
  EXPECT_EQ(dm.memremap_pages(R(0xf0000000, 0xf7ffffff), a).error(), Errno::enxio);  // System RAM
  EXPECT_EQ(dm.memremap_pages(R(std::uint64_t{1} << 46, (std::uint64_t{1} << 46) + MiB(128).value - 1), a).error(),
            Errno::einval);  // beyond the pluggable range
  ASSERT_TRUE(dm.memremap_pages(kSection, a));
  EXPECT_EQ(dm.memremap_pages(kSection, a).error(), Errno::enomem);  // conflicting pgmap
  test::CountingAllocator dry;
  dry.budget = 100;
  DeviceMemory pv(true, kPluggable, nullptr);
  EXPECT_EQ(pv.memremap_pages(kSection, dry).error(), Errno::enomem);
  EXPECT_EQ(dry.pages_out, 0u);  // everything given back
}

}  // namespace
}  // namespace gm
