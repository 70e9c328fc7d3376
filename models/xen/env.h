// Contract of the kernel environment the Xen driver code runs in: sleeping locks, wait queues with
// timeouts, CPU time charged for work, and the guest kernel's services. sim/ implements it over
// SimGrid (s4u::Mutex, ConditionVariable, sleep_for); tests use tests/support/inline_env.h.
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <string_view>

#include "models/guest_kernel.h"
#include "models/units.h"

namespace gm {

// A sleeping lock (struct mutex). Lockable, so std::lock_guard works.
class KMutex {
 public:
  virtual ~KMutex() = default;
  virtual void lock() = 0;
  virtual void unlock() = 0;
  // mutex_is_locked(): invariants the lock protects are only checked while it is free.
  virtual bool is_locked() const = 0;
};

// A wait queue (wait_event_*_timeout / wake_up). wait() returns true when `cond` held, false on
// timeout. A negative timeout waits forever. `cond` is re-evaluated after every wake_up().
class KWaitQueue {
 public:
  virtual ~KWaitQueue() = default;
  virtual bool wait(const std::function<bool()>& cond, SimTime timeout) = 0;
  virtual void wake_up() = 0;
};

// Kinds of CPU work the drivers do; the cost model turns (work, units) into simulated time.
enum class Work {
  memmap_init_page,     // memmap_init_zone_device: one struct page
  scrub_page,           // clear_highpage before giving a page back to Xen
  va_mapping_update,    // PV: HYPERVISOR_update_va_mapping per page
  p2m_update_page,      // set_phys_to_machine per page
  tlb_flush_all,        // flush_tlb_all after a decrease batch
  resource_alloc,       // allocate_resource + request (per call)
  list_op_page,         // push/pop one page on a LIFO list
  page_alloc,           // alloc_page/free_reserved_page through the buddy allocator
  migrate_page,         // compaction: migrate one 4 KiB page (copy, rmap walk, PTE update)
  compaction_scan,      // compaction: one scanner step (a block visited or isolated)
  hypercall,            // guest->Xen->guest round trip of one hypercall the drivers make (grant ops, remaps)
  grant_map_page,       // Xen's work for one GNTTABOP_map_grant_ref op (grant lookup, maptrack, p2m/PTE)
  grant_unmap_page,     // Xen's work for one GNTTABOP_unmap_grant_ref op (before the batch's TLB flush)
  spin_lock,            // an uncontended spin_lock/unlock (or mutex fast path) pair
  pte_set,              // one page-table entry written (vmemmap PMD/PTE, direct-map entry)
  memory_block_device,  // create_memory_block_devices(): one memory block device (device_register, sysfs)
  rcu_grace_period,     // a normal RCU grace period: a WAIT (KernelEnv::wait), not CPU work
};
inline constexpr int kWorkKinds = 17;

// One part of a charged stretch of CPU work: `units` of one kind.
struct WorkCharge {
  Work work;
  std::uint64_t units;
};

class KernelEnv {
 public:
  virtual ~KernelEnv() = default;
  virtual std::unique_ptr<KMutex> create_mutex(std::string_view name) = 0;
  virtual std::unique_ptr<KWaitQueue> create_wait_queue(std::string_view name) = 0;
  virtual void charge(Work work, std::uint64_t units) = 0;
  // A kernel loop over a batch (a 512-frame reservation batch, a section's memmap) charged as one
  // stretch of CPU time: the sum of its parts, each still accounted to its own kind. Charging per
  // loop instead of per page keeps the totals and costs one simulated event instead of thousands.
  virtual void charge_batch(std::initializer_list<WorkCharge> parts) {
    for (const WorkCharge& p : parts) charge(p.work, p.units);
  }
  // Time that passes without using the CPU (an RCU grace period in synchronize_rcu(), a timer):
  // the calling context sleeps. The default counts it like work (test doubles).
  virtual void wait(Work work, std::uint64_t units) { charge(work, units); }
  // Marks the end of one named kernel step that started at `start` (the step breakdown of a hot-add
  // or a section fill in the trace, models/xen/hotplug_steps.h). Default: nothing.
  virtual void step_done(std::string_view /*step*/, SimTime /*start*/) {}
  // What one unit of `work` costs (the rcu_sync state needs the grace period's length). Default 0.
  virtual SimTime cost_of(Work /*work*/) const { return SimTime{0}; }
  virtual SimTime now() const = 0;
  virtual GuestKernel& kernel() = 0;
};

}  // namespace gm
