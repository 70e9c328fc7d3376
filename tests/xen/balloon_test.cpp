#include "models/xen/balloon.h"
#include "models/xen/driver_config.h"

#include <gtest/gtest.h>

#include "models/buddy.h"
#include "models/guest.h"
#include "tests/support/fake_guest_kernel.h"
#include "tests/support/fake_hypervisor.h"
#include "tests/support/inline_env.h"

namespace gm {
namespace {

using test::FakeGuestKernel;
using test::FakeHypervisor;
using test::InlineEnv;

constexpr std::uint64_t kPhys = 1 << 20;  // the fake's get_num_physpages()

struct Rig {
  explicit Rig(std::string_view version, GuestType type = GuestType::pvh)
      : kernel(type), env(kernel), balloon(env, hv, BalloonConfig::for_version(KernelVersion::from(version), true)) {
    hv.clock = [this] { return env.now(); };
  }
  Rig(std::string_view version, GuestType type, BalloonConfig cfg) : kernel(type), env(kernel), balloon(env, hv, cfg) {
    hv.clock = [this] { return env.now(); };
    (void)version;
  }
  FakeGuestKernel kernel;
  InlineEnv env;
  FakeHypervisor hv;
  Balloon balloon;
};

std::vector<std::size_t> sizes(const std::vector<FakeHypervisor::Call>& calls) {
  std::vector<std::size_t> out;
  for (const auto& c : calls) out.push_back(c.gfns.size());
  return out;
}

TEST(Balloon, ConfigSwitchesFollowTheVersion) {
  auto kind = [](const char* v) { return BalloonConfig::for_version(KernelVersion::from(v), true).worker; };
  EXPECT_EQ(kind("5.10"), BalloonWorkerKind::workqueue);
  EXPECT_EQ(kind("5.10.69"), BalloonWorkerKind::workqueue);
  EXPECT_EQ(kind("5.10.70"), BalloonWorkerKind::kthread);  // stable backport of 8480ed9c2bbd
  EXPECT_EQ(kind("5.4.150"), BalloonWorkerKind::kthread);
  EXPECT_EQ(kind("5.14"), BalloonWorkerKind::workqueue);
  EXPECT_EQ(kind("5.16"), BalloonWorkerKind::kthread);
  EXPECT_FALSE(BalloonConfig::for_version(KernelVersion::from("5.15"), true).wait_finish);
  EXPECT_TRUE(BalloonConfig::for_version(KernelVersion::from("5.15.3"), true).wait_finish);
  EXPECT_EQ(BalloonConfig::for_version(KernelVersion::from("5.3"), true).max_retry_count, 0u);  // pre XSA-300
}

TEST(Balloon, BootAccountingFollowsTheSixTwelveStableBackports) {
  // Stable points from Debian's linux 6.12.118-1 changelog; 6.1.y took none (docs/lab.md, L5).
  auto boot = [](const char* v) { return BalloonConfig::for_version(KernelVersion::from(v), true).boot; };
  EXPECT_EQ(boot("6.12"), BalloonBootAccounting::classic);
  EXPECT_EQ(boot("6.12.23"), BalloonBootAccounting::classic);
  EXPECT_EQ(boot("6.12.24"), BalloonBootAccounting::released);
  EXPECT_EQ(boot("6.12.74"), BalloonBootAccounting::released);
  EXPECT_EQ(boot("6.12.75"), BalloonBootAccounting::split_v7);
  EXPECT_EQ(boot("6.12.118"), BalloonBootAccounting::split_v7);
  EXPECT_EQ(boot("6.13"), BalloonBootAccounting::classic);
  EXPECT_EQ(boot("6.1.192"), BalloonBootAccounting::classic);
  EXPECT_EQ(boot("6.15"), BalloonBootAccounting::released);
  EXPECT_EQ(boot("7.0"), BalloonBootAccounting::split_v7);
  auto unpop = [](const char* v) { return UnpopulatedConfig::for_version(KernelVersion::from(v), true); };
  EXPECT_TRUE(unpop("6.12.24").seeded_pages_count_as_released);
  EXPECT_TRUE(unpop("6.12.118").seeded_pages_count_as_unpopulated);
  EXPECT_FALSE(unpop("6.12.118").seeded_pages_count_as_released);
  EXPECT_FALSE(unpop("6.12.23").seeded_pages_count_as_released);
}

TEST(Balloon, UpdateScheduleBacksOffTwoFourEightThenCancels) {
  BalloonSchedule s;
  EXPECT_EQ(update_schedule(BalloonState::eagain, s), BalloonState::eagain);
  EXPECT_EQ(s.schedule_delay, 2u);
  EXPECT_EQ(update_schedule(BalloonState::eagain, s), BalloonState::eagain);
  EXPECT_EQ(s.schedule_delay, 4u);
  EXPECT_EQ(update_schedule(BalloonState::eagain, s), BalloonState::eagain);
  EXPECT_EQ(s.schedule_delay, 8u);
  EXPECT_EQ(update_schedule(BalloonState::eagain, s), BalloonState::ecanceled);
  EXPECT_EQ(s.schedule_delay, 1u);
  EXPECT_EQ(s.retry_count, 1u);
  EXPECT_EQ(update_schedule(BalloonState::wait, s), BalloonState::wait);
  BalloonSchedule unlimited{1, 32, 1, 0};
  for (int i = 0; i < 10; ++i) EXPECT_EQ(update_schedule(BalloonState::eagain, unlimited), BalloonState::eagain);
  EXPECT_EQ(unlimited.schedule_delay, 32u);
}

TEST(Balloon, FiveHundredThirteenPagesOutIsTwoHypercalls) {
  Rig r("6.12");
  ASSERT_EQ(r.balloon.init({}, {}), Errno::ok);
  auto got = r.balloon.alloc_pages(513);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got.value().size(), 513u);
  EXPECT_EQ(sizes(r.hv.decrease_calls), (std::vector<std::size_t>{512, 1}));
  EXPECT_EQ(r.balloon.counters().decrease_reservation.calls, 2u);
  EXPECT_EQ(r.balloon.counters().decrease_reservation.frames, 513u);
  EXPECT_EQ(r.balloon.stats().current_pages, kPhys - 513);
  EXPECT_EQ(r.balloon.stats().target_unpopulated, 513u);
  EXPECT_EQ(r.balloon.ballooned_pages(), 0u);
  EXPECT_EQ(r.env.charged(Work::scrub_page), 513u);
  EXPECT_EQ(r.env.charged(Work::tlb_flush_all), 2u);
  EXPECT_EQ(r.env.charged(Work::va_mapping_update), 0u);  // auto-translated: no PV mapping updates
}

TEST(Balloon, WorkerBalloonsOutFiveHundredThirteenInTwoBatches) {
  Rig r("6.12");
  ASSERT_EQ(r.balloon.init({}, {}), Errno::ok);
  r.balloon.set_target(kPhys - 513);
  r.balloon.worker_main([&] { return r.balloon.current_credit() == 0; });
  EXPECT_EQ(sizes(r.hv.decrease_calls), (std::vector<std::size_t>{512, 1}));
  EXPECT_EQ(r.balloon.ballooned_pages(), 513u);
  EXPECT_EQ(r.balloon.stats().balloon_low, 513u);
  EXPECT_EQ(r.env.now(), SimTime{});  // no waiting while the credit keeps changing
}

TEST(Balloon, KthreadBackOffWaitsTwoFourEightSecondsThenCancels) {
  Rig r("6.12");
  ASSERT_EQ(r.balloon.init({.max_pfn = 1 << 21}, std::vector<PfnExtent>{{Pfn{0x100000}, 100}}), Errno::ok);
  ASSERT_EQ(r.balloon.ballooned_pages(), 100u);
  r.hv.populate_limit = 0;  // Xen refuses every populate
  r.balloon.set_target(kPhys + 10);
  r.balloon.worker_main([&] { return r.balloon.state() == BalloonState::ecanceled; });
  std::vector<std::int64_t> at;
  for (const auto& c : r.hv.populate_calls) at.push_back(c.at.ns);
  EXPECT_EQ(at, (std::vector<std::int64_t>{0, seconds(2).ns, seconds(6).ns, seconds(14).ns}));
  EXPECT_EQ(r.balloon.state(), BalloonState::ecanceled);
  EXPECT_EQ(r.balloon.schedule().schedule_delay, 1u);
}

TEST(Balloon, WorkqueueBackOffHasTheSameTiming) {
  Rig r("5.10");
  ASSERT_EQ(r.balloon.config().worker, BalloonWorkerKind::workqueue);
  ASSERT_EQ(r.balloon.init({.max_pfn = 1 << 21}, std::vector<PfnExtent>{{Pfn{0x100000}, 100}}), Errno::ok);
  r.hv.populate_limit = 0;
  r.balloon.set_target(kPhys + 10);
  r.balloon.worker_main([&] { return r.balloon.state() == BalloonState::ecanceled; });
  std::vector<std::int64_t> at;
  for (const auto& c : r.hv.populate_calls) at.push_back(c.at.ns);
  EXPECT_EQ(at, (std::vector<std::int64_t>{0, seconds(2).ns, seconds(6).ns, seconds(14).ns}));
}

TEST(Balloon, FreedPagesAreRepopulatedByTheWorkerNotTheCaller) {
  Rig r("6.12");
  ASSERT_EQ(r.balloon.init({}, {}), Errno::ok);
  auto got = r.balloon.alloc_pages(1);
  ASSERT_TRUE(got.ok());
  r.balloon.free_pages(got.value());
  // The caller paid one decrease_reservation; the populate is still pending for the worker.
  EXPECT_EQ(r.hv.decrease_calls.size(), 1u);
  EXPECT_TRUE(r.hv.populate_calls.empty());
  EXPECT_EQ(r.balloon.current_credit(), 1);
  r.balloon.worker_main([&] { return r.balloon.current_credit() == 0; });
  ASSERT_EQ(r.hv.populate_calls.size(), 1u);
  EXPECT_EQ(r.hv.populate_calls[0].gfns, got.value());
  EXPECT_EQ(r.balloon.counters().populate_physmap.frames, 1u);
  EXPECT_EQ(r.balloon.stats().current_pages, kPhys);
  EXPECT_EQ(r.balloon.stats().target_unpopulated, 0u);
  EXPECT_EQ(r.kernel.freed_to_buddy_, got.value());  // back to the page allocator
}

TEST(Balloon, DecreaseTakesPagesOutOfManagedAndPopulateGivesThemBack) {
  Rig r("6.12");
  ASSERT_EQ(r.balloon.init({}, {}), Errno::ok);
  auto got = r.balloon.alloc_pages(3);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(r.kernel.managed_delta_, -3);  // adjust_managed_page_count(page, -1) per page
  r.balloon.free_pages(got.value());
  EXPECT_EQ(r.kernel.managed_delta_, -3);  // back on the balloon list: still not managed
  r.balloon.worker_main([&] { return r.balloon.current_credit() == 0; });
  EXPECT_EQ(r.kernel.managed_delta_, 0);  // free_reserved_page() +1 per page
}

// drivers/xen/balloon.c@v6.1 with the real page allocator: managed_pages and totalram_pages drop by
// one per page ballooned out and come back when the worker repopulates; nothing drifts.
TEST(Balloon, ManagedPagesReturnToTheirStartAfterARoundTrip) {
  GuestConfig cfg;  // PVH domU, 4 GiB
  BuddyAllocator buddy(build_guest_layout(cfg).managed_ram(), buddy_config_for(cfg.arch));
  Guest guest(cfg, buddy);
  InlineEnv env(guest);
  FakeHypervisor hv;
  hv.clock = [&] { return env.now(); };
  Balloon balloon(env, hv, BalloonConfig::for_version(KernelVersion::from("6.12"), true));
  ASSERT_EQ(balloon.init({}, {}), Errno::ok);
  const std::uint64_t managed0 = buddy.managed_pages(), totalram0 = buddy.totalram_pages();
  const std::uint64_t free0 = buddy.free_pages_count();
  ASSERT_EQ(totalram0, managed0);

  auto got = balloon.alloc_pages(1500);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(buddy.managed_pages(), managed0 - 1500);
  EXPECT_EQ(buddy.totalram_pages(), totalram0 - 1500);
  EXPECT_EQ(buddy.free_pages_count(), free0 - 1500);
  EXPECT_EQ(buddy.check_accounting(), "");

  balloon.free_pages(got.value());
  balloon.worker_main([&] { return balloon.current_credit() == 0; });
  EXPECT_EQ(buddy.managed_pages(), managed0);
  EXPECT_EQ(buddy.totalram_pages(), totalram0);
  EXPECT_EQ(buddy.free_pages_count(), free0);
  EXPECT_EQ(buddy.check_accounting(), "");
}

TEST(Balloon, XenstoreTargetUsesTargetDiffForPvhDomU) {
  Rig r("6.12", GuestType::pvh);
  r.kernel.num_physpages_ = 524288 - 96;  // 2 GiB maxmem minus holes the guest does not count
  ASSERT_EQ(r.balloon.init({}, {}), Errno::ok);
  r.balloon.on_xenstore_target(1024 * 1024, 2 * 1024 * 1024);  // target 1 GiB, static-max 2 GiB
  EXPECT_EQ(r.balloon.stats().target_pages, 262144u - 96);
  r.balloon.on_xenstore_target(2 * 1024 * 1024, std::nullopt);  // target_diff is computed only once
  EXPECT_EQ(r.balloon.stats().target_pages, 524288u - 96);
}

TEST(Balloon, XenstoreTargetIsAbsoluteForPv) {
  Rig r("6.12", GuestType::pv);
  ASSERT_EQ(r.balloon.init({.nr_pages = 262144, .max_pfn = 1 << 21}, {}), Errno::ok);
  r.balloon.on_xenstore_target(512 * 1024, 2 * 1024 * 1024);
  EXPECT_EQ(r.balloon.stats().target_pages, 131072u);
}

TEST(Balloon, Xsa300RefusesWhatTheGuestCannotSpare) {
  Rig r("6.12");
  ASSERT_EQ(r.balloon.init({}, {}), Errno::ok);
  r.kernel.si_mem_available_ = 10;
  auto got = r.balloon.alloc_pages(20);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error(), Errno::enomem);
  EXPECT_EQ(r.balloon.stats().target_unpopulated, 0u);
  EXPECT_TRUE(r.hv.decrease_calls.empty());

  Rig old("5.3");  // before XSA-300: no availability check
  ASSERT_EQ(old.balloon.init({}, {}), Errno::ok);
  old.kernel.si_mem_available_ = 10;
  EXPECT_TRUE(old.balloon.alloc_pages(20).ok());
}

TEST(Balloon, HotplugUnpopulatedWithAutoOnlineServesFromHotAddedMemory) {
  BalloonConfig cfg = BalloonConfig::for_version(KernelVersion::from("6.12"), true);
  cfg.hotplug_unpopulated = true;
  Rig r("6.12", GuestType::pvh, cfg);
  ASSERT_EQ(r.balloon.init({}, {}), Errno::ok);
  auto got = r.balloon.alloc_pages(1);
  ASSERT_TRUE(got.ok());
  ASSERT_EQ(r.kernel.hot_added_.size(), 1u);
  EXPECT_EQ(r.kernel.hot_added_[0].size(), MiB(128));
  EXPECT_EQ(r.kernel.alloc_calls_[0].name, "System RAM");
  EXPECT_TRUE(r.hv.decrease_calls.empty());  // no RAM given up
  EXPECT_EQ(r.balloon.counters().hotplugged_pages, 32768u);
  EXPECT_EQ(r.balloon.stats().total_pages, kPhys + 32768);
  EXPECT_EQ(r.balloon.ballooned_pages(), 32767u);
  EXPECT_EQ(got.value()[0], addr_to_pfn(r.kernel.hot_added_[0].end));  // head of the list: last onlined page
  // add_memory_resource()'s steps (models/xen/hotplug_steps.h): a memory block device, the vmemmap
  // (one 2 MiB block: one allocation and one PMD entry) and the direct map (64 2 MiB entries); then
  // onlining initialises every struct page and xen_online_page appends every page.
  EXPECT_EQ(r.env.charged(Work::memory_block_device), 1u);
  EXPECT_EQ(r.env.charged(Work::pte_set), 65u);
  EXPECT_EQ(r.env.charged(Work::memmap_init_page), 32768u);
  EXPECT_GE(r.env.charged(Work::list_op_page), 32768u);
  EXPECT_GE(r.env.charged(Work::rcu_grace_period), 1u);
}

TEST(Balloon, HotplugUnpopulatedWithoutAutoOnlineWaitsForever) {
  BalloonConfig cfg = BalloonConfig::for_version(KernelVersion::from("6.12"), true);
  cfg.hotplug_unpopulated = true;
  Rig r("6.12", GuestType::pvh, cfg);
  r.kernel.auto_online_ = false;
  ASSERT_EQ(r.balloon.init({}, {}), Errno::ok);
  // add_ballooned_pages() sleeps on balloon_wq until onlining appends pages (reference S13).
  EXPECT_THROW(r.balloon.alloc_pages(1), std::logic_error);
}

TEST(Balloon, WaitFinishPanicsAfterBootTimeoutWhenCancelled) {
  Rig r("6.12");
  ASSERT_EQ(r.balloon.init({}, {}), Errno::ok);
  r.kernel.free_pages_ = 0;  // nothing can be ballooned out
  r.balloon.set_target(kPhys - 100);
  r.balloon.worker_main([&] { return r.balloon.state() == BalloonState::ecanceled; });
  const SimTime start = r.env.now();
  EXPECT_TRUE(r.balloon.wait_finish());
  EXPECT_EQ((r.env.now() - start).ns, milliseconds(180100).ns);  // 1801 polls of 100 ms
}

TEST(Balloon, WaitFinishSkipsPvAndOldKernels) {
  Rig pv("6.12", GuestType::pv);
  ASSERT_EQ(pv.balloon.init({.nr_pages = kPhys, .max_pfn = 1 << 21}, {}), Errno::ok);
  pv.balloon.set_target(kPhys - 100);
  EXPECT_FALSE(pv.balloon.wait_finish());
  Rig old("5.15");
  ASSERT_EQ(old.balloon.init({}, {}), Errno::ok);
  old.balloon.set_target(kPhys - 100);
  EXPECT_FALSE(old.balloon.wait_finish());
  EXPECT_EQ(old.env.now(), SimTime{});
}

TEST(Balloon, BootAccountingPerVersion) {
  const std::vector<PfnExtent> extra{{Pfn{262144}, 5000}};
  {  // <= 6.14 PV: min(nr_pages - released, max_pfn); regions add to total
    Rig r("6.1", GuestType::pv);
    ASSERT_EQ(r.balloon.init({.nr_pages = 262144, .xen_released_pages = 1000, .max_pfn = 300000}, extra), Errno::ok);
    EXPECT_EQ(r.balloon.stats().current_pages, 261144u);
    EXPECT_EQ(r.balloon.stats().target_pages, 261144u);
    EXPECT_EQ(r.balloon.stats().total_pages, 261144u + 5000);
    EXPECT_EQ(r.balloon.ballooned_pages(), 5000u);
  }
  {  // 6.15: num_physpages - released for every guest; regions subtract from current only
    Rig r("6.15", GuestType::pvh);
    ASSERT_EQ(r.balloon.init({.xen_released_pages = 2048, .max_pfn = 1 << 21}, extra), Errno::ok);
    EXPECT_EQ(r.balloon.stats().current_pages, kPhys - 2048 - 5000);
    EXPECT_EQ(r.balloon.stats().target_pages, kPhys - 2048);
  }
  {  // 7.0: HVM/PVH num_physpages - xen_unpopulated_pages; regions subtract from current and target
    Rig r("7.0", GuestType::pvh);
    ASSERT_EQ(r.balloon.init({.max_pfn = 1 << 21, .xen_unpopulated_pages = 300}, extra), Errno::ok);
    EXPECT_EQ(r.balloon.stats().current_pages, kPhys - 300 - 5000);
    EXPECT_EQ(r.balloon.stats().target_pages, kPhys - 300 - 5000);
  }
  {  // 6.15 underflow: WARN and -ERANGE
    Rig r("6.15", GuestType::pvh);
    EXPECT_EQ(r.balloon.init({.xen_released_pages = kPhys, .max_pfn = 1 << 21}, {}), Errno::erange);
  }
  {  // 6.8 PVH: extra regions are PV-only before 6.9
    Rig r("6.8", GuestType::pvh);
    ASSERT_EQ(r.balloon.init({.max_pfn = 1 << 21}, extra), Errno::ok);
    EXPECT_EQ(r.balloon.ballooned_pages(), 0u);
  }
}

TEST(Balloon, PvBalloonOutUpdatesMappingsPerPage) {
  Rig r("6.12", GuestType::pv);
  ASSERT_EQ(r.balloon.init({.nr_pages = kPhys, .max_pfn = 1 << 21}, {}), Errno::ok);
  ASSERT_TRUE(r.balloon.alloc_pages(3).ok());
  EXPECT_EQ(r.env.charged(Work::va_mapping_update), 3u);
  EXPECT_EQ(r.kernel.p2m_entry_calls_, 3);  // xen_alloc_p2m_entry per page handed out
}

TEST(Balloon, PvP2mFailureUndoesTheAllocation) {
  Rig r("6.12", GuestType::pv);
  ASSERT_EQ(r.balloon.init({.nr_pages = kPhys, .max_pfn = 1 << 21}, {}), Errno::ok);
  r.kernel.p2m_entry_fail_at_ = 1;
  auto got = r.balloon.alloc_pages(3);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error(), Errno::enomem);
  EXPECT_EQ(r.balloon.stats().target_unpopulated, 0u);
  EXPECT_EQ(r.balloon.ballooned_pages(), 3u);  // both retrieved pages went back on the list
}

TEST(Balloon, WorkqueueKickWhilePendingDoesNotShortenBackOff) {
  for (const char* v : {"5.10", "6.12"}) {
    Rig r(v);
    ASSERT_EQ(r.balloon.init({.max_pfn = 1 << 21}, std::vector<PfnExtent>{{Pfn{0x100000}, 100}}), Errno::ok) << v;
    r.hv.populate_limit = 0;
    r.balloon.set_target(kPhys + 10);
    bool changed = false;
    r.env.on_idle = [&](const std::string& queue) {  // the toolstack acts while the worker sleeps
      if (!changed && queue == "balloon_thread_wq" && r.hv.populate_calls.size() == 1) {
        changed = true;
        r.balloon.set_target(kPhys + 20);  // during the 2 s back-off
      }
    };
    r.balloon.worker_main([&] { return r.hv.populate_calls.size() == 2; });
    EXPECT_TRUE(changed) << v;
    // schedule_delayed_work() on pending work is a no-op; the kthread wakes on any credit change.
    const std::int64_t expect = std::string_view(v) == "5.10" ? seconds(2).ns : 0;
    EXPECT_EQ(r.hv.populate_calls[1].at.ns, expect) << v;
  }
}

TEST(Balloon, WithoutMemoryHotplugTheTargetIsClamped) {
  BalloonConfig cfg = BalloonConfig::for_version(KernelVersion::from("6.12"), true);
  cfg.memory_hotplug = false;
  Rig r("6.12", GuestType::pvh, cfg);
  ASSERT_EQ(r.balloon.init({}, {}), Errno::ok);
  r.balloon.set_target(kPhys + 1000);  // nothing on the list to populate
  EXPECT_EQ(r.balloon.process_once(), BalloonState::ecanceled);
  EXPECT_EQ(r.balloon.stats().target_pages, kPhys);
  EXPECT_TRUE(r.kernel.alloc_calls_.empty());
}

TEST(Balloon, WithMemoryHotplugTheWorkerHotAddsASectionAndWaits) {
  Rig r("6.12");
  r.kernel.auto_online_ = false;
  ASSERT_EQ(r.balloon.init({}, {}), Errno::ok);
  r.balloon.set_target(kPhys + 1000);
  EXPECT_EQ(r.balloon.process_once(), BalloonState::wait);
  ASSERT_EQ(r.kernel.hot_added_.size(), 1u);
  EXPECT_EQ(r.balloon.stats().total_pages, kPhys + 32768);
  EXPECT_EQ(r.balloon.process_once(), BalloonState::wait);  // enough hot-added: no second section
  EXPECT_EQ(r.kernel.hot_added_.size(), 1u);
  r.kernel.online(r.kernel.hot_added_[0]);  // onlining appends the section to the balloon list
  EXPECT_EQ(r.balloon.ballooned_pages(), 32768u);
  r.balloon.worker_main([&] { return r.balloon.current_credit() == 0; });
  EXPECT_EQ(r.balloon.counters().populate_physmap.frames, 1000u);
  EXPECT_EQ(sizes(r.hv.populate_calls), (std::vector<std::size_t>{512, 488}));
}

TEST(Balloon, HighmemPagesGoToTheTail) {
  BalloonConfig cfg = BalloonConfig::for_version(KernelVersion::from("6.12"), true);
  cfg.highmem_start_pfn = 0x10001;  // the fake hands out 0x10000, 0x10001, 0x10002
  Rig r("6.12", GuestType::pvh, cfg);
  ASSERT_EQ(r.balloon.init({}, {}), Errno::ok);
  r.balloon.set_target(kPhys - 3);
  r.balloon.process_once();
  EXPECT_EQ(r.balloon.stats().balloon_low, 1u);
  EXPECT_EQ(r.balloon.stats().balloon_high, 2u);
  EXPECT_EQ(r.balloon.list().peek(), Pfn{0x10000});  // lowmem is repopulated first
}

}  // namespace
}  // namespace gm
