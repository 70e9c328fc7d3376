// What balloon_init() is given at boot (sim/boot/boot_info.h): PV extra memory must reach the balloon.
#include "sim/boot/boot_info.h"

#include <gtest/gtest.h>

#include "tests/support/fake_guest_kernel.h"
#include "tests/support/fake_hypervisor.h"
#include "tests/support/inline_env.h"

namespace gm {
namespace {

TEST(BalloonBootInfo, PvExtraMemoryLiesBelowMaxPfnAndReachesTheBalloonList) {
  // A PV domU with memory < maxmem: the toolstack e820 covers maxmem, xen_memory_setup() keeps the
  // RAM beyond nr_pages as extra memory, and the kernel's max_pfn (e820 end of RAM) includes it.
  GuestConfig c;
  c.type = GuestType::pv;
  c.memory = GiB(1);
  c.maxmem = GiB(2);
  c.kernel = KernelVersion::from("6.1");
  const GuestLayout l = build_guest_layout(c);
  ASSERT_FALSE(l.extra_mem.empty());
  std::uint64_t extra = 0;
  for (const auto& x : l.extra_mem) extra += x.count;
  const BalloonBootInfo b = balloon_boot_info(l, c.memory);
  EXPECT_EQ(b.nr_pages, bytes_to_pages(GiB(1)));
  for (const auto& x : l.extra_mem) EXPECT_LE(x.end().value, b.max_pfn);

  // balloon_add_regions() on 6.1 (PV extra memory goes to the balloon from 5.18): all of it is
  // ballooned out, so a later target raise repopulates it instead of hot-adding at 4 GiB.
  test::FakeGuestKernel kernel(GuestType::pv);
  test::InlineEnv env(kernel);
  test::FakeHypervisor hv;
  Balloon balloon(env, hv, BalloonConfig::for_version(c.kernel, true));
  ASSERT_EQ(balloon.init(b, l.extra_mem), Errno::ok);
  EXPECT_EQ(balloon.ballooned_pages(), extra);
}

}  // namespace
}  // namespace gm
