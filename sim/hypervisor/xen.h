// The real PV hypercall backend: the Hypervisor interface over the libxen layer (xen_calls.h) against
// a target domain whose gfns mirror the modelled guest's frames. Each call's measured duration is
// charged as simulated time and reported for the hypercall trace; the modelled domain's accounting
// (the simulated backend used as a mirror) follows every real result so the report and invariants hold.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "models/xen/hypervisor.h"
#include "sim/hypervisor/simulated.h"
#include "sim/hypervisor/xen_calls.h"

namespace gm {

// What the scenario says the target must look like before the first hypercall.
struct XenTargetExpectation {
  std::uint32_t domid = 0;
  std::uint64_t tot_pages = 0;  // guest.memory in pages
  std::uint64_t max_pages = 0;  // guest.maxmem in pages
};

// Refuses a target (gm::InputError, exit 2, with the reason): domain 0, a domain that does not exist
// or is dying, the domain this process runs in, or one whose reservation does not match the scenario
// (tot_pages within 1/64 of guest.memory, as xl adds a little slack for the firmware; max_pages at
// least guest.maxmem, or the model's populate would outrun the target's).
void verify_xen_target(XenCalls& calls, const XenTargetExpectation& expect);

struct XenBackendConfig {
  std::uint32_t domid = 0;
  std::function<void(SimTime)> charge;                  // spends the measured time in the calling actor
  std::function<SimTime()> now;                         // simulated clock (trace start stamps)
  std::function<void(const HypercallRecord&)> on_call;  // the trace
  Hypervisor* mirror = nullptr;               // the modelled domain's accounting: gets each call's done extents
  std::vector<XenMemoryMapEntry> memory_map;  // XENMEM_memory_map only reads the caller's own map
};

// Contract: as Hypervisor; populate/decrease go to the target as one hypercall each on the same gfns
// the drivers chose; a negative result is passed through unchanged; the mirror sees only the extents
// Xen did. The constructor does not touch the target: call verify_xen_target() first.
class XenHypervisor final : public Hypervisor {
 public:
  XenHypervisor(XenCalls& calls, XenBackendConfig config);

  long populate_physmap(std::span<const Pfn> gfns) override;
  long decrease_reservation(std::span<const Pfn> gfns) override;
  std::vector<XenMemoryMapEntry> memory_map() override { return cfg_.memory_map; }
  std::uint64_t current_reservation() override;  // the target's tot_pages
  std::uint64_t maximum_reservation() override;  // the target's max_pages

  const HypercallCounts& populate_counts() const { return populate_; }
  const HypercallCounts& decrease_counts() const { return decrease_; }

 private:
  template <class Call>
  long issue(const char* kind, std::span<const Pfn> gfns, HypercallCounts& counts, Call&& call);
  XenCalls& calls_;
  XenBackendConfig cfg_;
  HypercallCounts populate_, decrease_;
  std::vector<Pfn> buf_;
};

}  // namespace gm
