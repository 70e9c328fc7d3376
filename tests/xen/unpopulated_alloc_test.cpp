#include "models/xen/unpopulated_alloc.h"

#include <gtest/gtest.h>

#include "tests/support/fake_guest_kernel.h"
#include "tests/support/inline_env.h"

namespace gm {
namespace {

using test::FakeGuestKernel;
using test::InlineEnv;

constexpr std::uint64_t k4G = std::uint64_t{4} << 30;
constexpr Pfn kFirstScratchPfn{k4G >> kPageShift};  // the fake's RAM ends at 4 GiB

struct Rig {
  explicit Rig(std::string_view version, GuestType type = GuestType::pvh, bool x86 = true)
      : kernel(type), env(kernel), alloc(env, UnpopulatedConfig::for_version(KernelVersion::from(version), x86)) {}
  FakeGuestKernel kernel;
  InlineEnv env;
  UnpopulatedAllocator alloc;
};

TEST(UnpopulatedAlloc, OnePageMissOnEmptyPoolCostsOneSection) {
  Rig r("6.12");
  r.alloc.init_target();
  auto got = r.alloc.alloc(1);
  ASSERT_TRUE(got.ok());
  // One "Xen scratch" resource of one 128 MiB section, section aligned, inside the pluggable range.
  ASSERT_EQ(r.kernel.alloc_calls_.size(), 1u);
  EXPECT_EQ(r.kernel.alloc_calls_[0].name, "Xen scratch");
  EXPECT_EQ(r.kernel.alloc_calls_[0].size, MiB(128));
  EXPECT_EQ(r.kernel.alloc_calls_[0].align, MiB(128));
  EXPECT_EQ(r.kernel.alloc_calls_[0].bounds, r.kernel.pluggable_);
  // The page handed out is the last page of the section (LIFO, last pushed on top).
  EXPECT_EQ(got.value(), std::vector<Pfn>{kFirstScratchPfn + 32767});
  const UnpopulatedStats& s = r.alloc.stats();
  EXPECT_EQ(s.sections_added, 1u);
  EXPECT_EQ(s.scratch_bytes, MiB(128));
  EXPECT_EQ(s.memmap_bytes, MiB(2));  // 64 B of struct page per 4 KiB page
  EXPECT_EQ(s.pages_on_list, 32767u);
  EXPECT_EQ(r.alloc.list().runs(), 1u);  // not one object per page
  EXPECT_EQ(r.env.charged(Work::memmap_init_page), 32768u);
  EXPECT_EQ(r.env.charged(Work::resource_alloc), 1u);
  // memremap_pages()'s steps, priced as the balloon's hot-add: the hotplug lock (a grace period, four
  // lock pairs plus the span lock), the vmemmap block and its PMD, 64 direct-map entries; no memory
  // block device (ZONE_DEVICE has none).
  EXPECT_EQ(r.env.charged(Work::rcu_grace_period), 1u);
  EXPECT_EQ(r.env.charged(Work::spin_lock), 5u);
  EXPECT_EQ(r.env.charged(Work::pte_set), 65u);
  EXPECT_EQ(r.env.charged(Work::page_alloc), 1u);
  EXPECT_EQ(r.env.charged(Work::memory_block_device), 0u);
  // The next request is served from the list: no new section.
  auto next = r.alloc.alloc(2);
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(next.value(), (std::vector<Pfn>{kFirstScratchPfn + 32766, kFirstScratchPfn + 32765}));
  EXPECT_EQ(r.kernel.alloc_calls_.size(), 1u);
}

TEST(UnpopulatedAlloc, DeficitIsRoundedUpToSections) {
  Rig r("6.12");
  r.alloc.init_target();
  ASSERT_TRUE(r.alloc.alloc(32769).ok());  // one page more than a section: two sections
  EXPECT_EQ(r.alloc.stats().sections_added, 2u);
  EXPECT_EQ(r.kernel.alloc_calls_[0].size, MiB(256));
  EXPECT_EQ(r.alloc.stats().pages_on_list, 65536u - 32769u);
}

TEST(UnpopulatedAlloc, BeforeFiveSeventeenBoundsAreWholeAddressSpace) {
  Rig r("5.10");
  r.alloc.init_target();
  ASSERT_TRUE(r.alloc.alloc(1).ok());
  EXPECT_EQ(r.kernel.alloc_calls_[0].bounds, (AddrRange{{0}, {~std::uint64_t{0}}}));
}

TEST(UnpopulatedAlloc, NoPartialSuccessWhenFillFails) {
  Rig r("6.12", GuestType::pv);
  std::vector<PfnExtent> extra{{Pfn{0x200}, 10}};
  r.kernel.iomem_root_ = {{0}, {k4G - 1}};  // no room above RAM: allocate_resource fails
  r.alloc.init_target();
  r.alloc.seed_extra_memory(extra);  // 6.12 x86: the arch hook seeds 10 pages
  ASSERT_EQ(r.alloc.stats().pages_on_list, 10u);
  auto got = r.alloc.alloc(20);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error(), Errno::ebusy);
  EXPECT_EQ(r.alloc.stats().pages_on_list, 10u);  // nothing taken from the existing list
  EXPECT_EQ(r.alloc.stats().fill_failures, 1u);
  ASSERT_TRUE(r.alloc.alloc(10).ok());  // exactly what the list holds needs no fill
  EXPECT_EQ(r.alloc.stats().fills, 1u);
}

TEST(UnpopulatedAlloc, FailingPgmapAllocationHitsBugOnInFiveTwelve) {
  Rig r("5.12");
  r.alloc.init_target();
  r.alloc.set_pgmap_alloc_fault([] { return true; });
  EXPECT_THROW(r.alloc.alloc(1), KernelBug);
  EXPECT_EQ(r.alloc.stats().fill_failures, 1u);
  EXPECT_EQ(r.alloc.stats().sections_added, 0u);
  // The resource was allocated and then released before fill_list() returned 0.
  EXPECT_EQ(r.kernel.alloc_calls_.size(), 1u);
  EXPECT_EQ(r.kernel.released_.size(), 1u);
}

TEST(UnpopulatedAlloc, FailingPgmapAllocationReturnsEnomemFromFiveThirteen) {
  Rig r("5.13");
  r.alloc.init_target();
  r.alloc.set_pgmap_alloc_fault([] { return true; });
  auto got = r.alloc.alloc(1);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error(), Errno::enomem);
  EXPECT_EQ(r.kernel.released_.size(), 1u);
}

TEST(UnpopulatedAlloc, FiveTenAllocatesPgmapBeforeTheResource) {
  Rig r("5.10");
  r.alloc.init_target();
  r.alloc.set_pgmap_alloc_fault([] { return true; });
  auto got = r.alloc.alloc(1);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error(), Errno::enomem);
  EXPECT_TRUE(r.kernel.alloc_calls_.empty());
}

TEST(UnpopulatedAlloc, PvP2mEntryFailureRollsBackInReverseOrder) {
  Rig r("6.1", GuestType::pv);
  r.alloc.init_target();
  ASSERT_TRUE(r.alloc.alloc(1).ok());  // fills one section; top is now last-1
  const Pfn top = kFirstScratchPfn + 32766;
  r.kernel.p2m_entry_fail_at_ = r.kernel.p2m_entry_calls_ + 2;  // the third page of the next request
  auto got = r.alloc.alloc(3);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error(), Errno::enomem);
  EXPECT_EQ(r.alloc.stats().pages_on_list, 32767u);
  // pages[0..2] = top, top-1, top-2 were pushed back in that order: top-2 is on top now.
  EXPECT_EQ(r.alloc.list().peek_n(4), (std::vector<Pfn>{top - 2, top - 1, top, top - 3}));
}

TEST(UnpopulatedAlloc, PvSectionGetsInvalidP2mAndFailureReleasesTheRange) {
  Rig r("6.1", GuestType::pv);
  r.alloc.init_target();
  r.kernel.fail_p2m_invalid_ = true;
  auto got = r.alloc.alloc(1);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error(), Errno::enomem);
  ASSERT_EQ(r.kernel.p2m_invalid_calls_.size(), 1u);
  EXPECT_EQ(r.kernel.p2m_invalid_calls_[0], (PfnExtent{kFirstScratchPfn, 32768}));
  EXPECT_EQ(r.kernel.released_.size(), 1u);
  EXPECT_TRUE(r.kernel.memremapped_.empty());
}

TEST(UnpopulatedAlloc, ArmExtendedRegionsAreDuplicatedIntoIomem) {
  Rig r("6.1", GuestType::pvh, /*x86=*/false);
  r.kernel.target_ = ResourceTarget::extended_regions;
  r.alloc.init_target();
  auto got = r.alloc.alloc(1);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(r.kernel.alloc_calls_[0].root, ResourceTarget::extended_regions);
  int in_iomem = 0;
  for (const auto& res : r.kernel.busy_)
    if (res.root == ResourceTarget::iomem && res.name == "Xen scratch") {
      ++in_iomem;
      EXPECT_EQ(res.range.start, r.kernel.ext_root_.start);
    }
  EXPECT_EQ(in_iomem, 1);
}

TEST(UnpopulatedAlloc, ArmDuplicateConflictGivesEbusy) {
  Rig r("6.1", GuestType::pvh, false);
  r.kernel.target_ = ResourceTarget::extended_regions;
  r.kernel.busy_.push_back({"PCI window", ResourceTarget::iomem, r.kernel.ext_root_, false});
  r.alloc.init_target();
  auto got = r.alloc.alloc(1);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error(), Errno::ebusy);
  EXPECT_EQ(r.kernel.released_.size(), 1u);
}

TEST(UnpopulatedAlloc, FreePushesBackLifo) {
  Rig r("6.12");
  r.alloc.init_target();
  auto got = r.alloc.alloc(2);
  ASSERT_TRUE(got.ok());
  r.alloc.free(got.value());
  EXPECT_EQ(r.alloc.stats().pages_on_list, 32768u);
  EXPECT_EQ(r.alloc.stats().pages_handed_out, 0u);
  EXPECT_EQ(r.alloc.list().peek(), got.value().back());
}

TEST(UnpopulatedAlloc, ExtraMemorySeedingPerVersion) {
  const std::vector<PfnExtent> extra{{Pfn{0x40000}, 100}};
  struct Case {
    const char* version;
    GuestType type;
    std::uint64_t seeded;
  } cases[] = {
      {"5.10", GuestType::pv, 100},                               // subsys_initcall init(), PV only
      {"5.10", GuestType::pvh, 0},   {"5.18", GuestType::pv, 0},  // 262fc47ac174: PV extra memory goes to the balloon
      {"6.9", GuestType::pvh, 0},    {"6.10", GuestType::pvh, 100},  // a6aa4eb994ee: x86 arch hook, every guest type
      {"6.10", GuestType::hvm, 100},
  };
  for (const Case& c : cases) {
    Rig r(c.version, c.type);
    r.alloc.init_target();
    std::uint64_t seeded = 7;
    auto left = r.alloc.seed_extra_memory(extra, &seeded);
    EXPECT_EQ(seeded, c.seeded) << c.version;
    EXPECT_EQ(left.empty(), c.seeded != 0) << c.version;
    EXPECT_EQ(r.alloc.stats().pages_on_list, c.seeded) << c.version;
  }
}

TEST(UnpopulatedAlloc, NoTargetOnFiveSeventeenRefusesDirectUse) {
  Rig r("5.17", GuestType::pvh, false);
  r.kernel.target_ = std::nullopt;
  r.alloc.init_target();
  EXPECT_FALSE(r.alloc.has_target());
  EXPECT_EQ(r.alloc.alloc(1).error(), Errno::enodev);
  EXPECT_TRUE(r.kernel.alloc_calls_.empty());
}

TEST(UnpopulatedAlloc, PgmapBugWindowFollowsStableBackports) {
  struct Case {
    const char* version;
    bool bug;
    bool resource_first;
  } cases[] = {
      {"5.10.37", false, false}, {"5.10.38", false, true}, {"5.11", true, true},     {"5.11.22", false, true},
      {"5.12.4", true, true},    {"5.12.5", false, true},  {"5.13-rc1", true, true}, {"5.13-rc2", false, true},
  };
  for (const Case& c : cases) {
    UnpopulatedConfig cfg = UnpopulatedConfig::for_version(KernelVersion::from(c.version), true);
    EXPECT_EQ(cfg.fill_list_enomem_bug, c.bug) << c.version;
    EXPECT_EQ(!cfg.pgmap_before_resource, c.resource_first) << c.version;
  }
}

}  // namespace
}  // namespace gm
