// The SimGrid engine wrapper: one per process (SimGrid's engine is a singleton, design §4).
// Builds the platform in code (one host per guest vCPU, one for the hypervisor) and keeps
// SimGrid quiet unless --log=... was passed through.
#pragma once

#include <exception>
#include <functional>
#include <memory>
#include <cstdint>
#include <string>
#include <vector>

#include "models/units.h"

namespace simgrid::s4u {
class Host;
}

namespace gm {

class Engine {
 public:
  // `simgrid_args`: the --cfg=/--log= arguments from the command line, unchanged.
  Engine(int vcpus, const std::vector<std::string>& simgrid_args);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  simgrid::s4u::Host* vcpu_host(int i) const;
  simgrid::s4u::Host* hypervisor_host() const;
  int vcpus() const { return static_cast<int>(vcpu_hosts_.size()); }

  // Starts a long-lived actor. An exception escaping `body` stops the simulation and is rethrown
  // from run() (SimGrid would otherwise abort the process).
  void spawn(const std::string& name, simgrid::s4u::Host* host, std::function<void()> body, bool daemon = false);

  struct Outcome {
    bool deadlock = false;
    std::vector<std::string> blocked;  // actors still blocked at a deadlock
    SimTime end;
  };
  // Runs until every non-daemon actor ended, or `until` (simulated) when given.
  Outcome run(SimTime until = SimTime{-1});
  static SimTime now();

  // Simulated events so far: sleep completions (timers, holds) and CPU executions (each charged cost
  // and hypercall is one, sim/engine/vcpu_work.h), the same unit as the bare-SimGrid floor of `make bench`
  // and the simgrid-notes measurements.
  std::uint64_t events() const;
  // --max-events: once `n` events have happened, stop_requested() turns true; long-lived actors
  // check it in their loops and finish, so the run ends early but cleanly (exit 4).
  void set_event_limit(std::uint64_t n) { event_limit_ = n; }
  bool stop_requested() const { return event_limit_ != 0 && events() >= event_limit_; }

 private:
  std::vector<simgrid::s4u::Host*> vcpu_hosts_;
  simgrid::s4u::Host* hypervisor_ = nullptr;
  std::exception_ptr first_error_;
  std::vector<std::string> argv_storage_;
  std::uint64_t events_ = 0;
  std::uint64_t event_limit_ = 0;
};

}  // namespace gm
