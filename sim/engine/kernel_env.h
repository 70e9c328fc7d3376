// KernelEnv over SimGrid: sleeping locks take and release a free lock without a simcall and queue
// their waiters on an s4u::Semaphore (FIFO hand-off, so contention shows in latency), wait queues are a mutex + condition variable with simulated timeouts, and charged work
// is CPU work on the calling actor's vCPU (sim/engine/vcpu_work.h): actors on one vCPU share it.
#pragma once

#include <functional>
#include <map>
#include <string>

#include "models/xen/env.h"
#include "sim/engine/cost_model.h"

namespace gm {

// Per-lock contention figures, for the report and the trace.
struct LockStats {
  std::uint64_t acquisitions = 0;
  std::uint64_t contended = 0;  // acquisitions that had to wait
  SimTime total_wait{};
};

class SimKernelEnv final : public KernelEnv {
 public:
  SimKernelEnv(const CostModel& costs, GuestKernel& kernel);
  std::unique_ptr<KMutex> create_mutex(std::string_view name) override;
  std::unique_ptr<KWaitQueue> create_wait_queue(std::string_view name) override;
  void charge(Work work, std::uint64_t units) override;
  void charge_batch(std::initializer_list<WorkCharge> parts) override;
  void wait(Work work, std::uint64_t units) override;
  void step_done(std::string_view step, SimTime start) override;
  SimTime cost_of(Work work) const override { return costs_.work(work); }
  SimTime now() const override;
  GuestKernel& kernel() override { return kernel_; }

  const std::map<std::string, LockStats>& lock_stats() const { return locks_; }
  // Total CPU time charged per work kind.
  std::map<std::string, SimTime> charged() const;
  // Total time spent waiting (not CPU) per wait kind: rcu_grace_period.
  std::map<std::string, SimTime> waited() const;
  // Called when a named kernel step ends (step, start, end), for the trace's step breakdown.
  void on_step(std::function<void(std::string_view, SimTime, SimTime)> cb) { step_cb_ = std::move(cb); }
  // Called for each lock wait (name, start, end) when a trace is recorded.
  void on_lock_wait(std::function<void(const std::string&, SimTime, SimTime)> cb) { lock_wait_cb_ = std::move(cb); }

 private:
  const CostModel& costs_;
  GuestKernel& kernel_;
  std::map<std::string, LockStats> locks_;
  std::array<SimTime, kWorkKinds> charged_{};
  std::array<SimTime, kWorkKinds> waited_{};
  std::function<void(std::string_view, SimTime, SimTime)> step_cb_;
  std::function<void(const std::string&, SimTime, SimTime)> lock_wait_cb_;
};

std::string_view work_name(Work w);

}  // namespace gm
