// drivers/xen/balloon.c and xen-balloon.c: the balloon list, balloon_stats, the reservation hypercalls
// in batches of 512 frames, the worker (workqueue or kthread era), the memory-hotplug path, the target
// from xenstore, and xen_alloc/free_ballooned_pages for foreign mappings (reference §3).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <vector>

#include "models/gfp.h"
#include "models/kerrno.h"
#include "models/xen/balloon_worker.h"
#include "models/xen/driver_config.h"
#include "models/xen/env.h"
#include "models/xen/hotplug_steps.h"
#include "models/xen/hypervisor.h"
#include "models/xen/page_stack.h"

namespace gm {

// struct balloon_stats (include/xen/balloon.h), minus the schedule part (BalloonSchedule).
struct BalloonStats {
  std::uint64_t current_pages = 0;
  std::uint64_t target_pages = 0;
  std::uint64_t target_unpopulated = 0;
  std::uint64_t balloon_low = 0;
  std::uint64_t balloon_high = 0;
  std::uint64_t total_pages = 0;
};

struct HypercallCount {
  std::uint64_t calls = 0;
  std::uint64_t frames = 0;  // extents the hypervisor reported done
};

// Counters for the report (balloon.hypercalls, hotplugged_bytes).
struct BalloonCounters {
  HypercallCount populate_physmap;
  HypercallCount decrease_reservation;
  std::uint64_t hotplugged_pages = 0;  // reserve_additional_memory successes, in pages
  std::uint64_t hotplug_failures = 0;  // "Cannot allocate/add additional memory"
  std::uint64_t worker_iterations = 0;
  std::uint64_t mapping_pages_allocated = 0;  // xen_alloc_ballooned_pages, pages given out
  std::uint64_t mapping_alloc_failures = 0;
};

// What balloon_init() reads from the rest of the kernel (arch/x86/xen/setup.c, start_info).
struct BalloonBootInfo {
  std::uint64_t nr_pages = 0;            // xen_start_info->nr_pages (PV)
  std::uint64_t xen_released_pages = 0;  // setup.c; 6.15-6.19 also the pages the x86 arch hook seeded
  std::uint64_t max_pfn = 0;
  std::uint64_t xen_unpopulated_pages = 0;  // 7.0+
};

// Contract: every public entry point takes balloon_mutex (a KMutex) like its kernel counterpart and may
// block on it, on the hypervisor, or (hotplug_unpopulated) on onlining. worker_main() is the body of
// one long-lived actor; the rest is called from callers, the toolstack and boot code. Hypercalls
// issued by the worker are never charged to a caller. Throws KernelBug where the kernel BUG()s.
class Balloon {
 public:
  Balloon(KernelEnv& env, Hypervisor& hv, BalloonConfig config);

  // balloon_init() (subsys_initcall): boot accounting per version, hotplug hooks, then the extra
  // regions (only those the unpopulated allocator did not take). -ERANGE on the accounting underflow
  // the kernel WARNs about (the driver then stays uninitialised).
  Errno init(const BalloonBootInfo& boot, std::span<const PfnExtent> extra_regions);

  // balloon_set_new_target(): no lock, kicks the worker.
  void set_target(std::uint64_t pages);
  // xen-balloon.c watch_target(): memory/target in KiB; on the first event static-max (KiB, absent ->
  // the target) fixes target_diff for guests that are neither PV nor dom0 (PVH included).
  void on_xenstore_target(std::uint64_t target_kib, std::optional<std::uint64_t> static_max_kib);

  // xen_alloc_ballooned_pages() / xen_free_ballooned_pages() (reference §3.6).
  KResult<std::vector<Pfn>> alloc_pages(std::uint32_t nr_pages);
  void free_pages(std::span<const Pfn> pages);

  // The worker: runs until stop() is true (checked at every wake-up). Blocks only on the balloon
  // thread wait queue, balloon_mutex and hypercalls.
  void worker_main(const std::function<bool()>& stop);
  // One worker iteration (the body of balloon_thread / one pass of balloon_process), mutex included.
  BalloonState process_once();
  // balloon_wait_finish() (late_initcall_sync, 40fdea0284bb): waits in 100 ms steps while the credit is
  // negative; returns true when the kernel would panic("Initial ballooning failed!").
  bool wait_finish();

  // Called after every worker iteration (start, end, the credit it acted on, the resulting state):
  // the trace shows balloon iterations with it. Observation only.
  void set_iteration_observer(std::function<void(SimTime, SimTime, long, BalloonState)> cb) {
    on_iteration_ = std::move(cb);
  }

  // balloon_mutex is held: the counters it protects may be mid-update.
  bool busy() const { return mutex_->is_locked(); }

  long current_credit() const {
    return static_cast<long>(stats_.target_pages) - static_cast<long>(stats_.current_pages);
  }
  const BalloonStats& stats() const { return stats_; }
  const BalloonSchedule& schedule() const { return sched_; }
  const BalloonCounters& counters() const { return counters_; }
  BalloonState state() const { return state_; }
  std::uint64_t ballooned_pages() const { return list_.size(); }
  const PageStack& list() const { return list_; }
  const BalloonConfig& config() const { return config_; }
  // mem_hotplug_lock is one per kernel: XenDrivers hands the same one to the unpopulated allocator.
  void share_hotplug_lock(MemHotplugLock& l) { hotplug_lock_ = &l; }

 private:
  using Lock = std::unique_lock<KMutex>;
  long iteration(Lock& lk);  // returns the credit it acted on
  BalloonState increase_reservation(std::uint64_t nr_pages);
  BalloonState decrease_reservation(std::uint64_t nr_pages, Gfp gfp);
  BalloonState reserve_additional_memory(Lock& lk);
  Errno add_ballooned_pages(std::uint32_t nr_pages, Lock& lk);
  void balloon_append(Pfn p);
  std::optional<Pfn> balloon_retrieve(bool require_lowmem);
  bool is_highmem(Pfn p) const { return p.value >= config_.highmem_start_pfn; }
  void online_page(Pfn first, unsigned order);  // xen_online_page
  // The onlining of `pages` in `chunks` callback calls: mem_hotplug_begin, move_pfn_range_to_zone,
  // memmap_init_range, xen_online_page's appends under balloon_mutex, mem_hotplug_done.
  void charge_online(std::uint64_t pages, std::uint64_t chunks);
  void kick(SimTime delay = {});                // wake_up(&balloon_thread_wq) / schedule_delayed_work

  KernelEnv& env_;
  Hypervisor& hv_;
  BalloonConfig config_;
  std::unique_ptr<KMutex> mutex_;           // balloon_mutex
  std::unique_ptr<KWaitQueue> thread_wq_;   // balloon_thread_wq (also the workqueue's timer)
  std::unique_ptr<KWaitQueue> balloon_wq_;  // balloon_wq: waiters for a non-empty list
  std::unique_ptr<KWaitQueue> boot_wq_;     // schedule_timeout_interruptible in wait_finish
  PageStack list_;                          // ballooned_pages: head = top
  BalloonStats stats_;
  BalloonSchedule sched_;
  BalloonCounters counters_;
  BalloonState state_ = BalloonState::done;
  bool watch_fired_ = false;
  std::int64_t target_diff_ = 0;
  std::function<void(SimTime, SimTime, long, BalloonState)> on_iteration_;
  bool work_pending_ = false;  // workqueue era: the delayed work is queued
  SimTime work_due_;
  MemHotplugLock own_hotplug_lock_;
  MemHotplugLock* hotplug_lock_ = &own_hotplug_lock_;
  bool in_add_memory_ = false;  // inside add_memory_resource(): onlining is charged after it returns
  std::uint64_t onlined_pages_ = 0, onlined_chunks_ = 0;
};

}  // namespace gm
