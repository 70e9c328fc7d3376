// PV p2m: size rule (XSA-369), shared leaves, leaves allocated on demand.
#include "models/p2m.h"

#include <gtest/gtest.h>

#include "counting_allocator.h"

namespace gm {
namespace {

TEST(P2m, SizeFollowsTheHotplugLimit) {
  const Pfn max{262144};  // 1 GiB
  EXPECT_EQ(p2m_size_pages(max, KernelVersion::from("6.12"), true, false), 134217728u);  // 512 GiB
  EXPECT_EQ(p2m_size_pages(max, KernelVersion::from("6.12"), false, true), 262144u);
  // Before 5.12-rc5 only XEN_BALLOON_MEMORY_HOTPLUG raised it (XSA-369).
  EXPECT_EQ(p2m_size_pages(max, KernelVersion::from("5.11"), true, false), 262144u);
  EXPECT_EQ(p2m_size_pages(max, KernelVersion::from("5.11"), true, true), 134217728u);
  EXPECT_EQ(p2m_size_pages(Pfn{1000}, KernelVersion::from("6.12"), false, false), 1024u);
}

TEST(P2m, InvalidOverIdentityAllocatesOneLeafPer512Pfns) {
  test::CountingAllocator a;
  P2m p(1u << 21);  // 8 GiB
  p.boot_set({Pfn{0}, 262144}, P2mState::mapped);
  p.boot_set({Pfn{262144}, (1u << 21) - 262144}, P2mState::identity);
  EXPECT_EQ(p.boot_leaf_pages(), 512u);
  const PfnExtent section{Pfn{0x100000}, 32768};
  EXPECT_EQ(p.set_invalid(section, a), Errno::ok);
  EXPECT_EQ(p.leaf_pages_allocated(), 64u);
  EXPECT_EQ(p.state(Pfn{0x100000}), P2mState::invalid);
  EXPECT_EQ(p.state(Pfn{0x108000}), P2mState::identity);
  EXPECT_EQ(p.alloc_entry(Pfn{0x100000}, a), Errno::ok);
  EXPECT_EQ(p.leaf_pages_allocated(), 64u);  // already allocated
}

TEST(P2m, InvalidOverMissingIsFreeAndBeyondSizeIsAccepted) {
  test::CountingAllocator a;
  P2m p(1u << 20);
  EXPECT_EQ(p.set_invalid({Pfn{0x80000}, 32768}, a), Errno::ok);
  EXPECT_EQ(p.leaf_pages_allocated(), 0u);
  EXPECT_EQ(p.set_invalid({Pfn{1u << 21}, 32768}, a), Errno::ok);
  EXPECT_FALSE(p.covers(Pfn{1u << 21}));
  EXPECT_EQ(p.alloc_entry(Pfn{1u << 21}, a), Errno::ok);
  EXPECT_FALSE(p.set_mapped(Pfn{1u << 21}, a));  // the foreign mapping fails there (XSA-369)
  EXPECT_TRUE(p.set_mapped(Pfn{0x80000}, a));
  EXPECT_EQ(p.leaf_pages_allocated(), 1u);
}

TEST(P2m, LeafAllocationFailureStopsMidway) {
  test::CountingAllocator a;
  a.budget = 10;
  P2m p(1u << 21);
  p.boot_set({Pfn{0}, 1u << 21}, P2mState::identity);
  EXPECT_EQ(p.set_invalid({Pfn{0x100000}, 32768}, a), Errno::enomem);
  EXPECT_EQ(p.leaf_pages_allocated(), 10u);
  EXPECT_EQ(p.state(Pfn{0x100000}), P2mState::invalid);          // written before the failure
  EXPECT_EQ(p.state(Pfn{0x100000 + 5120}), P2mState::identity);  // leaf 11 onwards untouched
}

}  // namespace
}  // namespace gm
