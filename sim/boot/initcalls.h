// The guest kernel's boot as an ordered list of initcalls (init/main.c@v6.1 do_initcalls: early,
// core, postcore, arch, subsys, fs, device, late levels, each in link order). Each step runs on the
// boot actor in simulated time and is reported to an observer (the trace's "boot" track).
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "models/units.h"

namespace gm {

struct BootStep {
  std::string level;  // "setup_arch", "early_initcall", "core_initcall", "subsys_initcall", ...
  std::string name;   // the kernel function, e.g. "xen_pvh_gnttab_setup"
  SimTime start;
  SimTime end;
  std::vector<std::pair<std::string, std::string>> args;  // what the step did, for the trace
};

class BootSequence {
 public:
  using Observer = std::function<void(const BootStep&)>;
  explicit BootSequence(Observer observer = {}) : observer_(std::move(observer)) {}

  // Runs `body` as one step; the body may add args to the step. A KernelBug thrown by the body
  // propagates (the guest dies in that initcall) after the step is recorded.
  void run(std::string_view level, std::string_view name, const std::function<void(BootStep&)>& body);
  const std::vector<BootStep>& steps() const { return steps_; }

 private:
  Observer observer_;
  std::vector<BootStep> steps_;
};

}  // namespace gm
