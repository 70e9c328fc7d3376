#include <gtest/gtest.h>

#include "models/xen/xen_drivers.h"
#include "tests/support/fake_guest_kernel.h"
#include "tests/support/fake_hypervisor.h"
#include "tests/support/inline_env.h"

namespace gm {
namespace {

using test::FakeGuestKernel;
using test::FakeHypervisor;
using test::InlineEnv;

struct Rig {
  Rig(std::string_view version, GuestType type, bool x86, XenPagesChoice choice,
      std::optional<ResourceTarget> target = ResourceTarget::iomem)
      : kernel(make_kernel(type, target)),
        env(kernel),
        drivers(env, hv, XenDriversSetup::for_version(KernelVersion::from(version), x86, choice)) {}
  static FakeGuestKernel make_kernel(GuestType type, std::optional<ResourceTarget> target) {
    FakeGuestKernel k(type);
    k.target_ = target;
    return k;
  }
  FakeGuestKernel kernel;
  InlineEnv env;
  FakeHypervisor hv;
  XenDrivers drivers;
};

TEST(XenPages, UnpopulatedBackendTakesASectionNotGuestRam) {
  Rig r("6.12", GuestType::pvh, true, {XenPagesKind::unpopulated, true});
  ASSERT_EQ(r.drivers.boot(), Errno::ok);
  EXPECT_EQ(r.drivers.pages().backend_name(), "unpopulated");
  auto got = r.drivers.pages().alloc_unpopulated_pages(1);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(r.drivers.unpopulated()->stats().sections_added, 1u);
  EXPECT_TRUE(r.hv.decrease_calls.empty());
  r.drivers.pages().free_unpopulated_pages(got.value());
  EXPECT_EQ(r.drivers.unpopulated()->stats().pages_on_list, 32768u);
  EXPECT_TRUE(r.hv.populate_calls.empty());
}

TEST(XenPages, BalloonedBackendGivesUpGuestRam) {
  Rig r("6.12", GuestType::pvh, true, {XenPagesKind::ballooned, false});
  ASSERT_EQ(r.drivers.boot(), Errno::ok);
  EXPECT_EQ(r.drivers.unpopulated(), nullptr);
  EXPECT_EQ(r.drivers.pages().backend_name(), "ballooned");
  ASSERT_TRUE(r.drivers.pages().alloc_unpopulated_pages(1).ok());
  EXPECT_EQ(r.hv.decrease_calls.size(), 1u);
  EXPECT_TRUE(r.kernel.alloc_calls_.empty());
}

TEST(XenPages, Arm64WithoutExtendedRegionsFallsBackToBallooningAtRunTime) {
  Rig r("5.17", GuestType::pvh, /*x86=*/false, {XenPagesKind::unpopulated, true}, std::nullopt);
  ASSERT_EQ(r.drivers.boot(), Errno::ok);
  EXPECT_EQ(r.drivers.pages().backend_name(), "ballooned");
  auto got = r.drivers.pages().alloc_unpopulated_pages(4);
  ASSERT_TRUE(got.ok());
  EXPECT_TRUE(r.kernel.alloc_calls_.empty());  // no "Xen scratch"
  EXPECT_EQ(r.hv.decrease_calls.size(), 1u);
  EXPECT_EQ(r.drivers.balloon().stats().target_unpopulated, 4u);
  r.drivers.pages().free_unpopulated_pages(got.value());
  EXPECT_EQ(r.drivers.balloon().ballooned_pages(), 4u);  // back on the balloon list, not the pool
  EXPECT_EQ(r.drivers.unpopulated()->stats().pages_on_list, 0u);
}

TEST(XenPages, Arm64WithExtendedRegionsUsesThem) {
  Rig r("6.1", GuestType::pvh, false, {XenPagesKind::unpopulated, true}, ResourceTarget::extended_regions);
  ASSERT_EQ(r.drivers.boot(), Errno::ok);
  EXPECT_EQ(r.drivers.pages().backend_name(), "unpopulated");
  ASSERT_TRUE(r.drivers.pages().alloc_unpopulated_pages(1).ok());
  EXPECT_EQ(r.kernel.alloc_calls_[0].root, ResourceTarget::extended_regions);
}

TEST(XenDrivers, X86ArchHookSeedsExtraMemoryAndCountsItPerVersion) {
  const std::vector<PfnExtent> extra{{Pfn{0x110000}, 4096}};
  {
    Rig r("6.12", GuestType::pvh, true, {XenPagesKind::unpopulated, true});
    XenDriversSetup s = r.drivers.setup();
    EXPECT_TRUE(s.unpopulated.x86_arch_hook_extra_mem);
  }
  for (const char* v : {"6.12", "6.15", "7.0"}) {
    FakeGuestKernel k(GuestType::pvh);
    InlineEnv env(k);
    FakeHypervisor hv;
    XenDriversSetup s = XenDriversSetup::for_version(KernelVersion::from(v), true, {XenPagesKind::unpopulated, true});
    s.extra_mem = extra;
    s.boot.max_pfn = 1 << 21;
    XenDrivers d(env, hv, s);
    ASSERT_EQ(d.boot(), Errno::ok) << v;
    EXPECT_EQ(d.pages_seeded_to_unpopulated(), 4096u) << v;
    EXPECT_EQ(d.unpopulated()->stats().pages_on_list, 4096u) << v;
    EXPECT_EQ(d.balloon().ballooned_pages(), 0u) << v;  // n_pfns zeroed: the balloon gets nothing
    const std::uint64_t expect_current = std::string_view(v) == "6.12" ? k.num_physpages_ : k.num_physpages_ - 4096;
    EXPECT_EQ(d.balloon().stats().current_pages, expect_current) << v;
    // A seeded page is served without a fill.
    ASSERT_TRUE(d.pages().alloc_unpopulated_pages(1).ok());
    EXPECT_EQ(d.unpopulated()->stats().fills, 0u) << v;
  }
}

TEST(XenDrivers, PvExtraMemoryGoesToBalloonFromFiveEighteen) {
  const std::vector<PfnExtent> extra{{Pfn{0x40000}, 1000}};
  for (const char* v : {"5.10", "5.18"}) {
    FakeGuestKernel k(GuestType::pv);
    InlineEnv env(k);
    FakeHypervisor hv;
    XenDriversSetup s = XenDriversSetup::for_version(KernelVersion::from(v), true, {XenPagesKind::unpopulated, true});
    s.extra_mem = extra;
    s.boot = {.nr_pages = 0x40000, .max_pfn = 0x50000};
    XenDrivers d(env, hv, s);
    ASSERT_EQ(d.boot(), Errno::ok);
    const bool old = std::string_view(v) == "5.10";
    EXPECT_EQ(d.unpopulated()->stats().pages_on_list, old ? 1000u : 0u) << v;
    EXPECT_EQ(d.balloon().ballooned_pages(), old ? 0u : 1000u) << v;
  }
}

}  // namespace
}  // namespace gm
