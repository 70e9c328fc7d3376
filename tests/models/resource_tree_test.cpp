// kernel/resource.c rules: request, insert (nest/adopt), release, first-fit allocation, walk.
#include "models/resource_tree.h"

#include <gtest/gtest.h>

namespace gm {
namespace {

AddrRange R(std::uint64_t a, std::uint64_t b) { return {PhysAddr{a}, PhysAddr{b}}; }
constexpr std::uint64_t kRootEnd = (std::uint64_t{1} << 46) - 1;

TEST(ResourceTree, RequestConflictsWithOverlappingSibling) {
  ResourceTree t(R(0, kRootEnd));
  ASSERT_TRUE(t.request(ResourceTree::kRoot, "System RAM", R(0x100000, 0x3fffffff), kResBusy));
  auto c = t.request_conflict(ResourceTree::kRoot, "BAR", R(0x3ff00000, 0x400fffff), kResBusy);
  ASSERT_TRUE(c);
  EXPECT_EQ(t.node(*c).name, "System RAM");
  EXPECT_EQ(t.request(ResourceTree::kRoot, "x", R(0x3ff00000, 0x400fffff), 0).error(), Errno::ebusy);
  // Outside the root: the root itself is the conflict.
  EXPECT_EQ(t.request_conflict(ResourceTree::kRoot, "x", R(kRootEnd, kRootEnd + 1), 0), ResourceTree::kRoot);
}

TEST(ResourceTree, InsertNestsInAContainerAndAdoptsCoveredSiblings) {
  ResourceTree t(R(0, kRootEnd));
  t.request(ResourceTree::kRoot, "Reserved", R(0xe0000000, 0xefffffff), 0);
  t.request(ResourceTree::kRoot, "Xen scratch", R(0xf0000000, 0xf7ffffff), kResBusy);
  ResourceTree::Id w = 0;
  EXPECT_FALSE(t.insert_conflict(ResourceTree::kRoot, "PCI Bus 0000:00", R(0xc0000000, 0xfebfffff), 0, &w));
  ResourceTree::Id inner = 0;
  EXPECT_FALSE(t.insert_conflict(ResourceTree::kRoot, "BAR", R(0xc0000000, 0xc0ffffff), 0, &inner));
  auto walk = t.walk();
  ASSERT_EQ(walk.size(), 4u);
  EXPECT_EQ(walk[0], (IomemEntry{"PCI Bus 0000:00", R(0xc0000000, 0xfebfffff), 0}));
  EXPECT_EQ(walk[1], (IomemEntry{"BAR", R(0xc0000000, 0xc0ffffff), 1}));
  EXPECT_EQ(walk[2], (IomemEntry{"Reserved", R(0xe0000000, 0xefffffff), 1}));
  EXPECT_EQ(walk[3], (IomemEntry{"Xen scratch", R(0xf0000000, 0xf7ffffff), 1}));
  // A partial overlap cannot be fixed: the straddled resource is the conflict.
  auto c = t.insert_conflict(ResourceTree::kRoot, "PCI Bus 0000:80", R(0xfe000000, 0xfeffffff), 0);
  ASSERT_TRUE(c);
  EXPECT_EQ(t.node(*c).name, "PCI Bus 0000:00");
}

TEST(ResourceTree, ExpandToFitGrowsOverConflicts) {
  ResourceTree t(R(0, kRootEnd));
  t.request(ResourceTree::kRoot, "a", R(0x1000, 0x1fff), 0);
  auto id = t.insert_expand_to_fit(ResourceTree::kRoot, "Reserved", R(0x1800, 0x2fff), 0);
  ASSERT_TRUE(id);
  EXPECT_EQ(t.node(*id).range, R(0x1000, 0x2fff));
}

TEST(ResourceTree, ReserveWithSplitFillsOnlyFreeSpace) {
  ResourceTree t(R(0, kRootEnd));
  t.request(ResourceTree::kRoot, "a", R(0x2000, 0x2fff), 0);
  t.reserve_with_split(ResourceTree::kRoot, "RAM buffer", R(0x1000, 0x4fff), 0);
  auto w = t.walk();
  ASSERT_EQ(w.size(), 3u);
  EXPECT_EQ(w[0].range, R(0x1000, 0x1fff));
  EXPECT_EQ(w[2].range, R(0x3000, 0x4fff));
}

TEST(ResourceTree, FirstFitOverDirectChildrenWithAlignment) {
  ResourceTree t(R(0, kRootEnd));
  t.request(ResourceTree::kRoot, "System RAM", R(0, 0x7fffffff), 0);
  t.request(ResourceTree::kRoot, "PCI Bus", R(0x80000000, 0xbfffffff), 0);
  t.request(ResourceTree::kRoot, "System RAM", R(0x100000000, 0x13fffffff), 0);
  // Space inside the window is never chosen: only top-level gaps count.
  auto r = t.find_free(ResourceTree::kRoot, MiB(128), R(0, kRootEnd), MiB(128));
  ASSERT_TRUE(r);
  EXPECT_EQ(r.value(), R(0xc0000000, 0xc7ffffff));
  // min raises the start; alignment 1 GiB skips to the next aligned start in a later gap.
  auto r2 = t.find_free(ResourceTree::kRoot, MiB(128), R(0xc4000000, kRootEnd), GiB(1));
  ASSERT_TRUE(r2);
  EXPECT_EQ(r2.value(), R(0x140000000, 0x147ffffff));
  // Nothing fits under max.
  EXPECT_EQ(t.find_free(ResourceTree::kRoot, GiB(2), R(0, 0xffffffff), MiB(128)).error(), Errno::ebusy);
}

TEST(ResourceTree, ReleaseDropsTheSubtree) {
  ResourceTree t(R(0, kRootEnd));
  auto a = t.request(ResourceTree::kRoot, "w", R(0x1000, 0xffff), 0);
  t.request(a.value(), "bar", R(0x2000, 0x2fff), 0);
  EXPECT_EQ(t.live_count(), 2u);
  EXPECT_EQ(t.release(a.value()), Errno::ok);
  EXPECT_EQ(t.live_count(), 0u);
  EXPECT_TRUE(t.walk().empty());
  EXPECT_EQ(t.release(a.value()), Errno::einval);
}

}  // namespace
}  // namespace gm
