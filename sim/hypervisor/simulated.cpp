#include "sim/hypervisor/simulated.h"

#include <simgrid/s4u.hpp>

#include "sim/engine/vcpu_work.h"

#include <algorithm>

namespace sg4 = simgrid::s4u;

namespace gm {

SimulatedHypervisor::SimulatedHypervisor(SimulatedDomain domain, const CostModel& costs)
    : dom_(std::move(domain)), costs_(costs) {}

void SimulatedHypervisor::spend(SimTime t) const {
  // The vCPU is busy while Xen runs the hypercall on it: CPU work on the caller's vCPU, not a wait.
  run_on_vcpu(t);  // a lock holder may die here (killable inside)
}

long SimulatedHypervisor::populate_physmap(std::span<const Pfn> gfns) {
  SimTime start = SimTime::from_seconds(sg4::Engine::get_clock());
  // xen/common/memory.c populate_physmap: stops at the first extent it cannot allocate; the domain's
  // max_pages (domain_adjust_tot_pages / assign_pages check) and the host heap both bound it.
  std::uint64_t room = dom_.max_pages > dom_.tot_pages ? dom_.max_pages - dom_.tot_pages : 0;
  std::uint64_t done = std::min<std::uint64_t>({gfns.size(), room, dom_.host_free_pages});
  if (fail_populate_ > 0) {
    --fail_populate_;
    done = 0;
  }
  dom_.tot_pages += done;
  dom_.host_free_pages -= done;
  if (dom_.pod)  // guest_physmap_add_page(): a PoD entry at that gfn is replaced by the new page
    for (std::uint64_t i = 0; i < done; ++i) dom_.pod->populate(gfns[i]);
  ++populate_.calls;
  populate_.frames += done;
  spend(costs_.hypercall_base() + costs_.populate_per_page() * static_cast<std::int64_t>(done));
  if (on_call_)
    on_call_({"populate_physmap", gfns.size(), static_cast<long>(done), start,
              SimTime::from_seconds(sg4::Engine::get_clock()) - start});
  return static_cast<long>(done);
}

long SimulatedHypervisor::decrease_reservation(std::span<const Pfn> gfns) {
  SimTime start = SimTime::from_seconds(sg4::Engine::get_clock());
  std::uint64_t done = 0;
  if (dom_.pod) {
    // memory.c decrease_reservation(): p2m_pod_decrease_reservation() first, guest_remove_page() for
    // what it left; the call stops at the first extent neither could remove.
    std::uint64_t n = gfns.size();
    if (fail_decrease_ > 0) {
      --fail_decrease_;
      n = n > 0 ? n - 1 : 0;
    }
    for (; done < n; ++done) {
      if (gfns[done].value >= dom_.pod->gfn_limit()) {  // above the PoD-built RAM (hot-added): plain
        if (dom_.tot_pages == 0) break;
        --dom_.tot_pages;
        ++dom_.host_free_pages;
        continue;
      }
      PodDecrease d = dom_.pod->decrease(gfns[done]);
      dom_.tot_pages -= d.freed;
      dom_.host_free_pages += d.freed;
      if (!d.done) break;
    }
  } else {
    done = std::min<std::uint64_t>(gfns.size(), dom_.tot_pages);
    if (fail_decrease_ > 0) {
      --fail_decrease_;
      done = done > 0 ? done - 1 : 0;  // guest_remove_page failed on one extent
    }
    dom_.tot_pages -= done;
    dom_.host_free_pages += done;
  }
  ++decrease_.calls;
  decrease_.frames += done;
  spend(costs_.hypercall_base() + costs_.decrease_per_page() * static_cast<std::int64_t>(done));
  if (on_call_)
    on_call_({"decrease_reservation", gfns.size(), static_cast<long>(done), start,
              SimTime::from_seconds(sg4::Engine::get_clock()) - start});
  return static_cast<long>(done);
}

std::optional<bool> SimulatedHypervisor::touch(Pfn gfn) {
  if (!dom_.pod) return std::nullopt;
  return dom_.pod->touch(gfn);  // tot_pages unchanged: the page moves from the cache to the p2m
}

std::optional<std::string> SimulatedHypervisor::guest_wrote(std::span<const Pfn> gfns) {
  if (!dom_.pod) return std::nullopt;
  for (Pfn g : gfns)
    if (auto r = dom_.pod->touch(g); r && !*r) return dom_.pod->out_of_memory_message(1);
  return std::nullopt;
}

}  // namespace gm
