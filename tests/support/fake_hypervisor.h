// Test double of the hypercall backend (models/xen/hypervisor.h): records every call, completes all
// extents unless told otherwise, and keeps a domain tot_pages counter.
#pragma once

#include <algorithm>
#include <functional>
#include <vector>

#include "models/xen/hypervisor.h"

namespace gm::test {

class FakeHypervisor : public Hypervisor {
 public:
  struct Call {
    SimTime at;
    std::vector<Pfn> gfns;
  };

  long populate_physmap(std::span<const Pfn> gfns) override {
    populate_calls.push_back({clock ? clock() : SimTime{}, {gfns.begin(), gfns.end()}});
    long done = populate_limit < 0 ? static_cast<long>(gfns.size())
                                   : std::min<long>(populate_limit, static_cast<long>(gfns.size()));
    tot_pages += static_cast<std::uint64_t>(done);
    return done;
  }
  long decrease_reservation(std::span<const Pfn> gfns) override {
    decrease_calls.push_back({clock ? clock() : SimTime{}, {gfns.begin(), gfns.end()}});
    long done = decrease_short_by ? static_cast<long>(gfns.size()) - decrease_short_by : static_cast<long>(gfns.size());
    tot_pages -= static_cast<std::uint64_t>(done);
    return done;
  }
  std::vector<XenMemoryMapEntry> memory_map() override { return {}; }
  std::uint64_t current_reservation() override { return tot_pages; }
  std::uint64_t maximum_reservation() override { return max_pages; }

  std::function<SimTime()> clock;  // stamps calls with simulated time when set
  long populate_limit = -1;        // at most this many extents per populate (-1 = all, 0 = fail)
  long decrease_short_by = 0;      // makes decrease report fewer extents (the kernel BUG_ONs)
  std::uint64_t tot_pages = 1 << 20;
  std::uint64_t max_pages = 1 << 21;
  std::vector<Call> populate_calls;
  std::vector<Call> decrease_calls;
};

}  // namespace gm::test
