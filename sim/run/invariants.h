// Invariants of a running simulation (issue 5): named checks over the models, run at every sample
// (every caller request in GUESTMEM_INVARIANTS builds) and by a full scan at the end. The first
// violation fails the run (exit 1) and names the check, the time and what broke.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "models/units.h"

namespace gm {

class BuddyAllocator;
class Guest;
class XenDrivers;
class SimulatedHypervisor;

struct InvariantViolation {
  SimTime t;
  std::string check;
  std::string detail;
  std::string when;  // "at a sample", "after a caller request", "at the end (full scan)"
};

class Invariants {
 public:
  // A check returns a description of what is wrong, or nullopt. `full_only` checks are O(frames)
  // scans run at the end (and at samples in GUESTMEM_INVARIANTS builds).
  void add(std::string name, std::function<std::optional<std::string>()> check, bool full_only = false);
  void add_default_checks(const BuddyAllocator& buddy, const Guest& guest, XenDrivers& drivers,
                          const SimulatedHypervisor& hv, const std::int64_t& hv_minus_balloon);
  // Runs the checks; records violations (each check reports at most its first one).
  void check(SimTime t, const std::string& when, bool full = false);

  std::uint64_t checks_run() const { return checks_; }
  const std::vector<InvariantViolation>& violations() const { return violations_; }

 private:
  struct Check {
    std::string name;
    std::function<std::optional<std::string>()> fn;
    bool full_only;
    bool failed = false;
  };
  std::vector<Check> list_;
  std::uint64_t checks_ = 0;
  std::vector<InvariantViolation> violations_;
};

}  // namespace gm
