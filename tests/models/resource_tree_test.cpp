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

// The sibling list as the kernel keeps it: after the 5.16 window coalescing rewrote a window to
// 00000000-00000000 in place, iomem's list is A, Z(0-0), W, ... and nothing re-sorts it.
ResourceTree coalesced_tree(bool with_zero) {
  ResourceTree t(R(0, kRootEnd));
  t.append_child(ResourceTree::kRoot, "Reserved", R(0, 0xfff), kResBusy);
  t.append_child(ResourceTree::kRoot, "System RAM", R(0x1000, 0x7fffffff), kResBusy | kResSystemRam);
  if (with_zero) t.append_child(ResourceTree::kRoot, "PCI Bus 0000:00", R(0, 0), 0);
  t.append_child(ResourceTree::kRoot, "PCI Bus 0000:00", R(0x80000000, 0xbfffffff), 0);
  t.append_child(ResourceTree::kRoot, "System RAM", R(0x100000000, 0x13fffffff), kResBusy | kResSystemRam);
  return t;
}

TEST(ResourceTree, ZeroEntryWrapsTheGapAndTheAllocationFails) {
  // Hand walk of __find_resource, 128 MiB aligned, no clip. Without Z: the first child starts at the
  // root's start so tmp.start = 0x1000; gaps [0x1000,0xfff] (empty), [0x80000000,0x7fffffff]
  // (empty), [0xc0000000,0xffffffff]: fit at 0xc0000000.
  ResourceTree plain = coalesced_tree(false);
  auto p = plain.allocate(ResourceTree::kRoot, "Xen scratch", kResBusy, MiB(128), R(0, kRootEnd), MiB(128));
  ASSERT_TRUE(p);
  EXPECT_EQ(plain.node(p.value()).range, R(0xc0000000, 0xc7ffffff));
  // With Z: the gap before Z is [0x80000000, Z.start - 1 = ~0], clipped to max: the first fit is
  // 0x80000000, inside W. __request_resource walks the list: Z ends below the start (skipped), W
  // overlaps: the conflict. allocate_resource returns -EBUSY although 0xc0000000 is free.
  ResourceTree z = coalesced_tree(true);
  auto f = z.find_free(ResourceTree::kRoot, MiB(128), R(0, kRootEnd), MiB(128));
  ASSERT_TRUE(f);
  EXPECT_EQ(f.value(), R(0x80000000, 0x87ffffff));
  EXPECT_EQ(z.allocate(ResourceTree::kRoot, "Xen scratch", kResBusy, MiB(128), R(0, kRootEnd), MiB(128)).error(),
            Errno::ebusy);
  EXPECT_EQ(z.walk().size(), 5u);  // nothing was added
  // max = W's first section: the clipped wrapped gap [0x80000000, 0x87ffffff] still conflicts.
  EXPECT_EQ(z.allocate(ResourceTree::kRoot, "x", kResBusy, MiB(128), R(0, 0x87ffffff), MiB(128)).error(), Errno::ebusy);
}

TEST(ResourceTree, RequestWalksTheListInOrder) {
  ResourceTree t = coalesced_tree(true);
  auto c = t.request_conflict(ResourceTree::kRoot, "x", R(0xc0000000, 0xc0000fff), 0);
  EXPECT_FALSE(c);
  // Linked before the first sibling starting above its end: after W, before the RAM above 4 GiB.
  auto kids = t.children(ResourceTree::kRoot);
  ASSERT_EQ(kids.size(), 6u);
  EXPECT_EQ(t.node(kids[4]).range, R(0xc0000000, 0xc0000fff));
  EXPECT_EQ(t.node(kids[2]).range, R(0, 0));  // Z keeps its place
  // Z itself is invisible to a walk that has passed it: [0,0] conflicts with Reserved (first sibling).
  auto c0 = t.request_conflict(ResourceTree::kRoot, "y", R(0, 0), 0);
  ASSERT_TRUE(c0);
  EXPECT_EQ(t.node(*c0).name, "Reserved");
  // An empty range (end < start) is refused with the parent as the conflict.
  EXPECT_EQ(t.request_conflict(ResourceTree::kRoot, "e", R(0x5000, 0x4fff), 0), ResourceTree::kRoot);
}

TEST(ResourceTree, FirstChildSkipOnlyForTheListHead) {
  // Z first in the list: "skip past an allocated resource that starts at 0" -> tmp.start = 1; the
  // gap before A is [1, 0xfff]: with 1-byte alignment and 0x100 bytes, fit at 1.
  ResourceTree t(R(0, kRootEnd));
  t.append_child(ResourceTree::kRoot, "Z", R(0, 0), 0);
  t.append_child(ResourceTree::kRoot, "A", R(0x1000, 0x1fff), 0);
  auto f = t.find_free(ResourceTree::kRoot, Bytes{0x100}, R(0, kRootEnd), Bytes{1});
  ASSERT_TRUE(f);
  EXPECT_EQ(f.value(), R(1, 0x100));
}

TEST(ResourceTree, ZeroSizeSiblingEndsTheGapBelowIt) {
  // A zero-size resource [0x3000, 0x2fff] (end = start - 1): the gap before it is [0x2000, 0x2fff],
  // the next starts at 0x3000. 0x1800 bytes fit in neither [0x2000,0x2fff] nor [0x3000,0x3fff] but
  // do fit above B.
  ResourceTree t(R(0, 0xffff));
  t.append_child(ResourceTree::kRoot, "A", R(0, 0x1fff), 0);
  t.append_child(ResourceTree::kRoot, "E", R(0x3000, 0x2fff), 0);
  t.append_child(ResourceTree::kRoot, "B", R(0x4000, 0x4fff), 0);
  auto f = t.find_free(ResourceTree::kRoot, Bytes{0x1800}, R(0, 0xffff), Bytes{0x1000});
  ASSERT_TRUE(f);
  EXPECT_EQ(f.value(), R(0x5000, 0x67ff));
  auto g = t.find_free(ResourceTree::kRoot, Bytes{0x1000}, R(0x2800, 0xffff), Bytes{0x800});
  ASSERT_TRUE(g);
  EXPECT_EQ(g.value(), R(0x3000, 0x3fff));
}

TEST(ResourceTree, ImportKeepsEveryLineInOrder) {
  std::vector<IomemEntry> in{{"Reserved", R(0, 0xfff), 0},
                             {"System RAM", R(0x1000, 0x7fffffff), 0},
                             {"Kernel code", R(0x1000000, 0x1ffffff), 1},
                             {"PCI Bus 0000:00", R(0, 0), 0},
                             {"PCI Bus 0000:00", R(0x80000000, 0xbfffffff), 0},
                             {"E", R(0x90000000, 0x8fffffff), 1}};
  ResourceTree t(R(0, kRootEnd));
  t.import_walk(in, [](const IomemEntry&) { return 0u; });
  EXPECT_EQ(t.walk(), in);
}

TEST(ResourceTree, InPlaceRewriteKeepsTheListPosition) {
  ResourceTree t(R(0, kRootEnd));
  auto a = t.request(ResourceTree::kRoot, "w1", R(0x80000000, 0x8fffffff), 0);
  auto b = t.request(ResourceTree::kRoot, "w2", R(0x90000000, 0xbfffffff), 0);
  // pci_register_host_bridge@v5.16 coalescing: next->start = res->start; res->start = res->end = 0.
  t.set_range_in_place(b.value(), R(0x80000000, 0xbfffffff));
  t.set_range_in_place(a.value(), R(0, 0));
  auto w = t.walk();
  ASSERT_EQ(w.size(), 2u);
  EXPECT_EQ(w[0].range, R(0, 0));
  EXPECT_EQ(w[1].range, R(0x80000000, 0xbfffffff));
}

}  // namespace
}  // namespace gm
