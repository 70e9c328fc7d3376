// The balloon worker: update_schedule(), one iteration, the workqueue and kthread scheduling eras,
// and balloon_wait_finish() (reference §3.4, §3.8).
#include "models/xen/balloon_worker.h"

#include <algorithm>

#include "models/xen/balloon.h"

namespace gm {

std::string_view balloon_state_name(BalloonState s) {
  switch (s) {
    case BalloonState::done:
      return "BP_DONE";
    case BalloonState::wait:
      return "BP_WAIT";
    case BalloonState::eagain:
      return "BP_EAGAIN";
    case BalloonState::ecanceled:
      return "BP_ECANCELED";
  }
  return "BP_?";
}

BalloonState update_schedule(BalloonState state, BalloonSchedule& s) {
  if (state == BalloonState::wait || state == BalloonState::ecanceled) return state;
  if (state == BalloonState::done) {
    s.schedule_delay = 1;
    s.retry_count = 1;
    return BalloonState::done;
  }
  ++s.retry_count;
  if (s.max_retry_count != 0 && s.retry_count > s.max_retry_count) {
    s.schedule_delay = 1;
    s.retry_count = 1;
    return BalloonState::ecanceled;
  }
  s.schedule_delay = std::min(s.schedule_delay * 2, s.max_schedule_delay);
  return BalloonState::eagain;
}

long Balloon::iteration(Lock& lk) {
  GuestKernel& k = env_.kernel();
  ++counters_.worker_iterations;
  const SimTime started = env_.now();
  const long credit = current_credit();
  if (credit > 0) {
    state_ = (stats_.balloon_low || stats_.balloon_high) ? increase_reservation(static_cast<std::uint64_t>(credit))
                                                         : reserve_additional_memory(lk);
  }
  if (credit < 0) {
    // XSA-300: never try to give back more than si_mem_available(); when that clamp left work undone
    // and the guest is within its reserves, retry later instead of reporting DONE.
    const long want = -credit;
    const long n = config_.xsa300 ? std::min<long>(want, static_cast<long>(k.si_mem_available())) : want;
    state_ = decrease_reservation(static_cast<std::uint64_t>(std::max<long>(n, 0)), kGfpBalloon);
    if (config_.xsa300 && state_ == BalloonState::done && n != want &&
        static_cast<std::uint64_t>(n) < k.totalreserve_pages())
      state_ = BalloonState::eagain;
  }
  state_ = update_schedule(state_, sched_);
  if (on_iteration_) on_iteration_(started, env_.now(), credit, state_);
  return credit;
}

BalloonState Balloon::process_once() {
  Lock lk(*mutex_);
  iteration(lk);
  return state_;
}

void Balloon::kick(SimTime delay) {
  if (config_.worker == BalloonWorkerKind::kthread) {
    thread_wq_->wake_up();
    return;
  }
  // schedule_delayed_work(): a no-op while the work is already pending, even with a shorter delay.
  if (work_pending_) return;
  work_pending_ = true;
  work_due_ = env_.now() + delay;
  thread_wq_->wake_up();
}

void Balloon::worker_main(const std::function<bool()>& stop) {
  if (config_.worker == BalloonWorkerKind::kthread) {
    // balloon.c@8480ed9c2bbd balloon_thread() (with the 5.15-rc5 fix: 1 s in BP_WAIT).
    while (!stop()) {
      SimTime timeout;
      switch (state_) {
        case BalloonState::done:
        case BalloonState::ecanceled:
          timeout = seconds(3600);
          break;
        case BalloonState::eagain:
          timeout = seconds(sched_.schedule_delay);
          break;
        case BalloonState::wait:
          timeout = seconds(1);
          break;
      }
      const long snapshot = current_credit();
      // balloon_thread_cond(): in DONE any non-zero credit is work; otherwise only a changed credit.
      thread_wq_->wait(
          [&] {
            const long c = state_ == BalloonState::done ? 0 : snapshot;
            return current_credit() != c || stop();
          },
          timeout);
      if (stop()) return;
      process_once();
    }
    return;
  }
  // Workqueue era (<= 5.15-rc2 without the stable backport): balloon_process() runs when the delayed
  // work is due; it loops while it makes progress and re-arms itself only on EAGAIN.
  while (!stop()) {
    if (!work_pending_) {
      thread_wq_->wait([&] { return work_pending_ || stop(); }, seconds(3600));
      continue;
    }
    if (work_due_ > env_.now()) {
      thread_wq_->wait([&] { return stop(); }, work_due_ - env_.now());
      continue;
    }
    work_pending_ = false;
    state_ = BalloonState::done;  // balloon_process() keeps the state in a local
    long credit = 0;
    do {
      Lock lk(*mutex_);
      credit = iteration(lk);
    } while (credit != 0 && state_ == BalloonState::done && !stop());
    if (state_ == BalloonState::eagain) kick(seconds(sched_.schedule_delay));
  }
}

bool Balloon::wait_finish() {
  if (!config_.wait_finish) return false;
  // PV guests don't need to wait; nor does a guest that is already at its target.
  if (env_.kernel().is_pv() || current_credit() == 0) return false;
  long last_credit = 0;
  SimTime last_changed = env_.now();
  long credit;
  while ((credit = current_credit()) < 0) {
    if (credit != last_credit) {
      last_changed = env_.now();
      last_credit = credit;
    }
    // "Initial ballooning failed, %ld pages need to be freed." then, after the boot timeout, panic.
    if (state_ == BalloonState::ecanceled && env_.now() > last_changed + config_.boot_timeout) return true;
    boot_wq_->wait([] { return false; }, milliseconds(100));  // schedule_timeout_interruptible(HZ / 10)
  }
  return false;
}

}  // namespace gm
