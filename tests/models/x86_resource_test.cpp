// arch/x86 clip (keep the larger side) and iomem from e820 (early/late passes, RAM buffer).
#include "models/x86_resource.h"

#include <gtest/gtest.h>

namespace gm {
namespace {

AddrRange R(std::uint64_t a, std::uint64_t b) { return {PhysAddr{a}, PhysAddr{b}}; }
constexpr std::uint64_t kRootEnd = (std::uint64_t{1} << 46) - 1;

TEST(X86Resource, ClipKeepsTheLargerSide) {
  AddrRange a = R(0xc0000000, 0xfebfffff);
  x86_resource_clip(a, R(0xe0000000, 0xefffffff));  // 512 MiB below, 236 MiB above
  EXPECT_EQ(a, R(0xc0000000, 0xdfffffff));
  AddrRange b = R(0xc0000000, 0xfebfffff);
  x86_resource_clip(b, R(0xc4000000, 0xcfffffff));  // 64 MiB below, 748 MiB above
  EXPECT_EQ(b, R(0xd0000000, 0xfebfffff));
  AddrRange tie = R(0, 0x2fff);
  x86_resource_clip(tie, R(0x1000, 0x1fff));
  EXPECT_EQ(tie, R(0x2000, 0x2fff));  // a tie keeps the upper side
  AddrRange covered = R(0x1000, 0x1fff);
  x86_resource_clip(covered, R(0, 0xffff));
  EXPECT_GT(covered.start, covered.end);
  AddrRange apart = R(0x1000, 0x1fff);
  x86_resource_clip(apart, R(0x3000, 0x3fff));
  EXPECT_EQ(apart, R(0x1000, 0x1fff));
}

TEST(X86Resource, AllocationAvoidsE820EntriesNotYetInTheTree) {
  // Early boot: the e820 "reserved" MMCONFIG range is not in iomem yet (do_mark_busy defers it),
  // but arch_remove_reservations still clips against it.
  E820Table e820({{R(0x100000, 0xbfffffff), E820Type::ram},
                  {R(0xe0000000, 0xefffffff), E820Type::reserved},
                  {R(0xfec00000, 0xffffffff), E820Type::reserved},
                  {R(0x100000000, 0x23fffffff), E820Type::ram}});
  e820.sanitize();
  ResourceTree t(R(0, kRootEnd));
  e820_reserve_resources(t, e820);
  ASSERT_EQ(t.walk().size(), 2u);  // only the two RAM entries
  t.set_clip_hook(x86_remove_reservations_hook(e820));
  auto r = t.allocate(ResourceTree::kRoot, "Xen scratch", kResBusy, MiB(128), R(0, kRootEnd), MiB(128));
  ASSERT_TRUE(r);
  EXPECT_EQ(t.node(r.value()).range, R(0xc0000000, 0xc7ffffff));
  // 768 MiB does not fit beside MMCONFIG; with pci=no_e820 only the BIOS ROM is clipped and it does.
  auto clipped = t.find_free(ResourceTree::kRoot, MiB(768), R(0, kRootEnd), MiB(128));
  ASSERT_TRUE(clipped);
  EXPECT_EQ(clipped.value(), R(0x240000000, 0x26fffffff));
  ResourceTree u(R(0, kRootEnd));
  e820_reserve_resources(u, e820);
  u.set_clip_hook(x86_remove_reservations_hook(e820, /*pci_use_e820=*/false));
  auto f = u.find_free(ResourceTree::kRoot, MiB(768), R(0, kRootEnd), MiB(128));
  ASSERT_TRUE(f);
  EXPECT_EQ(f.value(), R(0xc0000000, 0xefffffff));
}

TEST(X86Resource, ClipKeepsUpperSideWhenItIsLarger) {
  E820Table e820({{R(0x100000, 0xbfffffff), E820Type::ram},
                  {R(0xc4000000, 0xcfffffff), E820Type::reserved},
                  {R(0x100000000, 0x13fffffff), E820Type::ram}});
  e820.sanitize();
  ResourceTree t(R(0, kRootEnd));
  e820_reserve_resources(t, e820);
  t.set_clip_hook(x86_remove_reservations_hook(e820));
  auto f = t.find_free(ResourceTree::kRoot, MiB(128), R(0, kRootEnd), MiB(128));
  ASSERT_TRUE(f);
  EXPECT_EQ(f.value(), R(0xd0000000, 0xd7ffffff));
}

TEST(X86Resource, BiosRomIsClipped) {
  ResourceTree t(R(0, kRootEnd));
  E820Table empty;
  t.request(ResourceTree::kRoot, "System RAM", R(0, 0xfe7fffff), 0);
  t.request(ResourceTree::kRoot, "System RAM", R(0x100000000, 0x1ffffffff), 0);
  t.set_clip_hook(x86_remove_reservations_hook(empty));
  // Gap [0xfe800000, 0xffffffff] loses the BIOS ROM top 2 MiB: 22 MiB left.
  auto f = t.find_free(ResourceTree::kRoot, MiB(22), R(0, kRootEnd), MiB(2));
  ASSERT_TRUE(f);
  EXPECT_EQ(f.value(), R(0xfe800000, 0xffdfffff));
  EXPECT_EQ(t.find_free(ResourceTree::kRoot, MiB(24), R(0, 0xffffffff), MiB(2)).error(), Errno::ebusy);
}

TEST(X86Resource, LatePassInsertsReservedAndRamBuffer) {
  E820Table e820({{R(0, 0x9fbff), E820Type::ram},
                  {R(0x9fc00, 0x9ffff), E820Type::reserved},
                  {R(0x100000, 0xd4d6bfff), E820Type::ram},
                  {R(0xe0000000, 0xefffffff), E820Type::reserved}});
  e820.sanitize();
  ResourceTree t(R(0, kRootEnd));
  e820_reserve_resources(t, e820);
  EXPECT_EQ(t.walk().size(), 3u);  // the reserved entry below 1 MiB goes in early
  e820_reserve_resources_late(t, e820);
  auto w = t.walk();
  ASSERT_EQ(w.size(), 5u);
  EXPECT_EQ(w[3], (IomemEntry{"RAM buffer", R(0xd4d6c000, 0xd7ffffff), 0}));  // a real dom0 log line
  EXPECT_EQ(w[4], (IomemEntry{"Reserved", R(0xe0000000, 0xefffffff), 0}));
  EXPECT_EQ(e820_ram_alignment(PhysAddr{0x9fc00}).value, KiB(64).value);
  EXPECT_EQ(e820_ram_alignment(PhysAddr{0x200000}).value, MiB(1).value);
}

}  // namespace
}  // namespace gm
