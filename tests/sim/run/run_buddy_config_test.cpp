// The page allocator of a run: pcp lists per vCPU with the kernel version's rules, khugepaged's
// min_free_kbytes when the workload uses THP.
#include "sim/run/run_buddy_config.h"

#include <gtest/gtest.h>

namespace gm {
namespace {

TEST(RunBuddyConfig, PcpListsPerVcpuWithTheVersionSwitches) {
  Scenario sc;
  sc.guest.vcpus = 4;
  sc.kernel = KernelVersion::from("6.12");
  BuddyConfig cfg = run_buddy_config(sc);
  ASSERT_TRUE(cfg.pcp.has_value());
  EXPECT_EQ(cfg.pcp->nr_cpus, 4u);
  EXPECT_TRUE(cfg.pcp->high_order);
  EXPECT_TRUE(cfg.pcp->high_from_low_watermark);
  EXPECT_FALSE(cfg.thp_enabled);
  sc.kernel = KernelVersion::from("5.13");
  cfg = run_buddy_config(sc);
  EXPECT_FALSE(cfg.pcp->high_order);
  EXPECT_FALSE(cfg.pcp->high_from_low_watermark);
  sc.workload.memory_pressure = MemoryPressureSpec{};
  EXPECT_FALSE(run_buddy_config(sc).thp_enabled);
  sc.workload.memory_pressure->thp_attempts_per_s = 1;
  EXPECT_TRUE(run_buddy_config(sc).thp_enabled);
}

}  // namespace
}  // namespace gm
