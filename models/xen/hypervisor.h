// Contract of the hypervisor backend: the XENMEM_* memory-op hypercalls the drivers issue.
// Implemented by sim/hypervisor/simulated.* (Xen's accounting, cost model latency) and
// sim/hypervisor/xen.* (real PV hypercalls). The driver code cannot tell them apart.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <span>
#include <vector>

#include "models/units.h"

namespace gm {

struct XenMemoryMapEntry {  // XENMEM_memory_map returns an e820 array
  PhysAddr start;
  Bytes size;
  std::uint32_t type = 0;  // e820 type code
};

// Contract: each call is one hypercall. populate_physmap and decrease_reservation take extent_order 0
// frames (at most 512 per call, the drivers' frame_list size) and return how many extents were done
// (0..n; the guest must cope with partial populate) or a negative errno. Calls may take simulated
// time (the implementation charges it); they never throw for a guest-visible failure.
class Hypervisor {
 public:
  virtual ~Hypervisor() = default;
  virtual long populate_physmap(std::span<const Pfn> gfns) = 0;      // XENMEM_populate_physmap
  virtual long decrease_reservation(std::span<const Pfn> gfns) = 0;  // XENMEM_decrease_reservation
  virtual std::vector<XenMemoryMapEntry> memory_map() = 0;           // XENMEM_memory_map
  virtual std::uint64_t current_reservation() = 0;                   // XENMEM_current_reservation (pages)
  virtual std::uint64_t maximum_reservation() = 0;                   // XENMEM_maximum_reservation (pages)
  // Not a hypercall: the guest wrote these frames (the balloon's scrub). On a populate-on-demand
  // domain a write to a PoD gfn is a fault Xen serves from the PoD cache; returns Xen's message when
  // the cache was empty and the domain was crashed. Backends without PoD do nothing.
  virtual std::optional<std::string> guest_wrote(std::span<const Pfn> /*gfns*/) { return std::nullopt; }
};

}  // namespace gm
