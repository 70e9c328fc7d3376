#include "sim/engine/kernel_env.h"

#include <simgrid/Exception.hpp>
#include <simgrid/s4u.hpp>

#include "sim/engine/actor_death.h"
#include "sim/engine/vcpu_work.h"

namespace sg4 = simgrid::s4u;

namespace gm {
namespace {

// A kernel mutex. SimGrid actors switch only at simcalls, so the uncontended case needs none: taking a
// free lock and releasing one nobody waits for are plain state changes, as the kernel's fast paths
// (mutex_lock's cmpxchg, spin_lock's uncontended acquire) are a few instructions. Only a waiter blocks,
// on a semaphore of its own mutex; unlock hands the lock over FIFO (held_ stays true in between, so a
// newcomer queues behind it rather than barging), the order sg4::Mutex gave. Measured on the default
// scenario: 9,500 of its simcalls were uncontended try_lock/unlock pairs (docs/metrics.md).
class SimMutex final : public KMutex {
 public:
  SimMutex(std::string name, LockStats& stats, const std::function<void(const std::string&, SimTime, SimTime)>& cb)
      : name_(std::move(name)), stats_(stats), cb_(cb), handoff_(sg4::Semaphore::create(0)) {}
  void lock() override {
    ++stats_.acquisitions;
    if (!held_) {
      held_ = true;
      return;
    }
    ++stats_.contended;
    SimTime start = SimTime::from_seconds(sg4::Engine::get_clock());
    ++waiters_;
    struct Leave {
      int& n;
      ~Leave() { --n; }
    } leave{waiters_};
    killable([&] { handoff_->acquire(); });  // returns owning the lock: unlock() kept held_ true for us
    SimTime end = SimTime::from_seconds(sg4::Engine::get_clock());
    stats_.total_wait = stats_.total_wait + (end - start);
    if (cb_) cb_(name_, start, end);
  }
  void unlock() override {
    // A guard unwinding a kill makes no simcall (sim/engine/actor_death.h), so the lock stays taken, and
    // the counters it protects stay as the holder left them, possibly mid-update (a daemon balloon
    // worker killed inside a populate batch when the last regular actor ends: Xen had counted the
    // frames, current_pages not yet). is_locked() must keep saying so, or the end-of-run scan reads
    // a half-done update as an accounting drift.
    if (current_actor_dying()) return;
    // A waiter gets the lock with held_ still true. Its acquire may not be handled yet (it yielded
    // after counting itself): the semaphore keeps the release for it. Until it runs, the lock is its,
    // so no second unlock can come before its count drops.
    if (waiters_ > 0) {
      handoff_->release();
      return;
    }
    held_ = false;
  }
  bool is_locked() const override { return held_; }

 private:
  std::string name_;
  LockStats& stats_;
  const std::function<void(const std::string&, SimTime, SimTime)>& cb_;
  sg4::SemaphorePtr handoff_;
  bool held_ = false;
  int waiters_ = 0;  // actors inside lock()'s slow path
};

class SimWaitQueue final : public KWaitQueue {
 public:
  SimWaitQueue() : m_(sg4::Mutex::create()), cv_(sg4::ConditionVariable::create()) {}
  bool wait(const std::function<bool()>& cond, SimTime timeout) override {
    ++waiters_;
    struct Leave {
      int& n;
      ~Leave() { --n; }
    } leave{waiters_};
    std::unique_lock<sg4::Mutex> lk(*m_);
    try {
      if (timeout.ns < 0) {
        cv_->wait(lk, [&] { return cond(); });
        return true;
      }
      double deadline = sg4::Engine::get_clock() + timeout.seconds();
      while (!cond()) {
        if (cv_->wait_until(lk, deadline) == std::cv_status::timeout) return cond();
      }
      return true;
    } catch (const simgrid::ForcefulKillException&) {
      mark_current_actor_dying();
      lk.release();  // killed while waiting: unlocking would be a simcall (sim/engine/actor_death.h)
      throw;
    }
  }
  void wake_up() override {
    // Nobody inside wait(): nothing to wake, and no simcall. The balloon wakes balloon_wq once per
    // appended page (balloon_append), so this is what keeps a 512-frame batch cheap to simulate.
    if (waiters_ == 0) return;
    // SimGrid actors switch only at simcalls, so taking the lock orders this after any waiter's check.
    std::unique_lock<sg4::Mutex> lk(*m_);
    cv_->notify_all();
  }

 private:
  sg4::MutexPtr m_;
  sg4::ConditionVariablePtr cv_;
  int waiters_ = 0;  // actors inside wait(), counted before their first simcall
};

}  // namespace

std::string_view work_name(Work w) {
  switch (w) {
    case Work::memmap_init_page: return "memmap_init_page";
    case Work::scrub_page: return "scrub_page";
    case Work::va_mapping_update: return "va_mapping_update";
    case Work::p2m_update_page: return "p2m_update_page";
    case Work::tlb_flush_all: return "tlb_flush_all";
    case Work::resource_alloc: return "resource_alloc";
    case Work::list_op_page: return "list_op_page";
    case Work::page_alloc: return "page_alloc";
    case Work::migrate_page: return "migrate_page";
    case Work::compaction_scan: return "compaction_scan";
    case Work::hypercall: return "hypercall";
    case Work::grant_map_page: return "grant_map_page";
    case Work::grant_unmap_page: return "grant_unmap_page";
    case Work::spin_lock: return "spin_lock";
    case Work::pte_set: return "pte_set";
    case Work::memory_block_device: return "memory_block_device";
    case Work::rcu_grace_period: return "rcu_grace_period";
  }
  return "?";
}

SimKernelEnv::SimKernelEnv(const CostModel& costs, GuestKernel& kernel) : costs_(costs), kernel_(kernel) {}

std::unique_ptr<KMutex> SimKernelEnv::create_mutex(std::string_view name) {
  return std::make_unique<SimMutex>(std::string(name), locks_[std::string(name)], lock_wait_cb_);
}

std::unique_ptr<KWaitQueue> SimKernelEnv::create_wait_queue(std::string_view) {
  return std::make_unique<SimWaitQueue>();
}

void SimKernelEnv::charge(Work work, std::uint64_t units) {
  if (units == 0) return;
  SimTime t = costs_.work(work) * static_cast<std::int64_t>(units);
  charged_[static_cast<std::size_t>(work)] = charged_[static_cast<std::size_t>(work)] + t;
  run_on_vcpu(t);  // CPU work: shares the caller's vCPU with whatever else computes there
}

void SimKernelEnv::charge_batch(std::initializer_list<WorkCharge> parts) {
  SimTime total{};
  for (const WorkCharge& p : parts) {
    SimTime t = costs_.work(p.work) * static_cast<std::int64_t>(p.units);
    charged_[static_cast<std::size_t>(p.work)] = charged_[static_cast<std::size_t>(p.work)] + t;
    total = total + t;
  }
  run_on_vcpu(total);  // one exec for the whole loop: one simulated event, the same total
}

void SimKernelEnv::wait(Work work, std::uint64_t units) {
  if (units == 0) return;
  SimTime t = costs_.work(work) * static_cast<std::int64_t>(units);
  waited_[static_cast<std::size_t>(work)] = waited_[static_cast<std::size_t>(work)] + t;
  // Not CPU work: the context sleeps (synchronize_rcu() blocks in wait_for_completion()).
  if (t.ns > 0) killable([&] { sg4::this_actor::sleep_for(t.seconds()); });
}

void SimKernelEnv::step_done(std::string_view step, SimTime start) {
  if (step_cb_) step_cb_(step, start, now());
}

SimTime SimKernelEnv::now() const { return SimTime::from_seconds(sg4::Engine::get_clock()); }

std::map<std::string, SimTime> SimKernelEnv::charged() const {
  std::map<std::string, SimTime> out;
  for (int i = 0; i < kWorkKinds; ++i) {
    if (static_cast<Work>(i) == Work::rcu_grace_period) continue;  // a wait, reported by waited()
    out[std::string(work_name(static_cast<Work>(i)))] = charged_[static_cast<std::size_t>(i)];
  }
  return out;
}

std::map<std::string, SimTime> SimKernelEnv::waited() const {
  return {{std::string(work_name(Work::rcu_grace_period)),
           waited_[static_cast<std::size_t>(Work::rcu_grace_period)]}};
}

}  // namespace gm
