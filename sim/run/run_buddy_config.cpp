#include "sim/run/run_buddy_config.h"

#include <simgrid/s4u.hpp>

#include <algorithm>
#include <memory>
#include <vector>

namespace gm {

BuddyConfig run_buddy_config(const Scenario& sc) {
  BuddyConfig cfg;
  PcpConfig pcp;
  pcp.nr_cpus = static_cast<unsigned>(std::max(1, sc.guest.vcpus));
  // 44042b449872 "mm/page_alloc: allow high-order pages to be stored on the per-cpu lists" and
  // 74f44822097c "mm/page_alloc: calculate pcp->high based on zone sizes and active CPUs", both 5.14.
  pcp.high_order = sc.kernel.at_least("5.14");
  pcp.high_from_low_watermark = sc.kernel.at_least("5.14");
  cfg.pcp = pcp;
  // A workload that takes THP faults runs with THP enabled, so khugepaged raises min_free_kbytes. The
  // Kconfig model has no TRANSPARENT_HUGEPAGE symbol; other runs keep the plain computation.
  cfg.thp_enabled = sc.workload.memory_pressure && sc.workload.memory_pressure->thp_attempts_per_s > 0;
  return cfg;
}

void attach_vcpu_source(BuddyAllocator& buddy, const Engine& engine) {
  // Asked once per page allocated or freed (128 M times in the 1 TiB round trip): a plain scan of the
  // few vCPU hosts, the last answer first, instead of a hash lookup.
  struct Hosts {
    std::vector<const simgrid::s4u::Host*> hosts;
    const simgrid::s4u::Host* last = nullptr;
    unsigned last_cpu = 0;
  };
  auto h = std::make_shared<Hosts>();
  for (int i = 0; i < engine.vcpus(); ++i) h->hosts.push_back(engine.vcpu_host(i));
  buddy.set_cpu_source([h]() -> unsigned {
    const simgrid::s4u::Actor* self = simgrid::s4u::Actor::self();
    if (!self) return 0;
    const simgrid::s4u::Host* host = self->get_host();
    if (host == h->last) return h->last_cpu;
    auto it = std::find(h->hosts.begin(), h->hosts.end(), host);
    h->last = host;
    h->last_cpu = it == h->hosts.end() ? 0 : static_cast<unsigned>(it - h->hosts.begin());
    return h->last_cpu;
  });
}

}  // namespace gm
