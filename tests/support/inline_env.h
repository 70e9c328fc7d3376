// Test double of the kernel environment (models/xen/env.h) for single-threaded driver unit tests:
// mutexes only check that nobody locks them twice, a wait whose condition is false advances a fake
// clock by its timeout (so back-off is testable in "simulated" time), charge() accumulates per Work.
#pragma once

#include <array>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "models/xen/env.h"

namespace gm::test {

class InlineEnv : public KernelEnv {
 public:
  struct Wait {
    std::string queue;
    SimTime at;       // when the wait started
    SimTime timeout;  // how long it slept (the full timeout: the condition stayed false)
  };

  explicit InlineEnv(GuestKernel& kernel) : kernel_(kernel) {}

  std::unique_ptr<KMutex> create_mutex(std::string_view name) override {
    return std::make_unique<Mutex>(std::string(name));
  }
  std::unique_ptr<KWaitQueue> create_wait_queue(std::string_view name) override {
    return std::make_unique<Queue>(*this, std::string(name));
  }
  void charge(Work work, std::uint64_t units) override { charged_[static_cast<int>(work)] += units; }
  SimTime now() const override { return now_; }
  GuestKernel& kernel() override { return kernel_; }

  std::uint64_t charged(Work w) const { return charged_[static_cast<int>(w)]; }
  const std::vector<Wait>& waits() const { return waits_; }
  void advance(SimTime d) { now_ = now_ + d; }
  // Runs when a wait's condition is false, before the clock advances: stands in for other actors.
  std::function<void(const std::string& queue)> on_idle;

 private:
  class Mutex : public KMutex {
   public:
    explicit Mutex(std::string name) : name_(std::move(name)) {}
    void lock() override {
      if (locked_) throw std::logic_error("recursive lock of " + name_ + " (a deadlock in the kernel)");
      locked_ = true;
    }
    void unlock() override {
      if (!locked_) throw std::logic_error("unlock of unlocked " + name_);
      locked_ = false;
    }
    bool is_locked() const override { return locked_; }

   private:
    std::string name_;
    bool locked_ = false;
  };

  class Queue : public KWaitQueue {
   public:
    Queue(InlineEnv& env, std::string name) : env_(env), name_(std::move(name)) {}
    bool wait(const std::function<bool()>& cond, SimTime timeout) override {
      if (cond()) return true;
      if (env_.on_idle) {
        env_.on_idle(name_);
        if (cond()) return true;
      }
      if (timeout.ns < 0)
        throw std::logic_error("wait forever on " + name_ + " with a false condition: nothing can wake it");
      env_.waits_.push_back({name_, env_.now_, timeout});
      env_.now_ = env_.now_ + timeout;
      return false;
    }
    void wake_up() override { ++wakeups_; }

   private:
    InlineEnv& env_;
    std::string name_;
    std::uint64_t wakeups_ = 0;
  };

  GuestKernel& kernel_;
  SimTime now_;
  std::array<std::uint64_t, kWorkKinds> charged_{};
  std::vector<Wait> waits_;
};

}  // namespace gm::test
