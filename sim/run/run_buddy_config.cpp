#include "sim/run/run_buddy_config.h"

#include <simgrid/s4u.hpp>

#include <algorithm>
#include <memory>
#include <unordered_map>

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
  auto hosts = std::make_shared<std::unordered_map<const simgrid::s4u::Host*, unsigned>>();
  for (int i = 0; i < engine.vcpus(); ++i) (*hosts)[engine.vcpu_host(i)] = static_cast<unsigned>(i);
  buddy.set_cpu_source([hosts]() -> unsigned {
    const simgrid::s4u::Actor* self = simgrid::s4u::Actor::self();
    if (!self) return 0;
    auto it = hosts->find(self->get_host());
    return it == hosts->end() ? 0 : it->second;
  });
}

}  // namespace gm
