// The simulated hypervisor: Xen's memory accounting for one domain (tot_pages, max_pages, the host's
// free pages, a PoD cache) with per-call and per-extent latency from the cost model, and faults
// injected by the scenario. Runs inside the calling actor: the call's latency is slept there.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "models/pod.h"
#include "models/xen/hypervisor.h"
#include "sim/engine/cost_model.h"

namespace gm {

// One recorded hypercall (the trace and `calibrate` read these; the real backend writes the same).
struct HypercallRecord {
  const char* kind;  // "populate_physmap" | "decrease_reservation"
  std::uint64_t extents = 0;
  long result = 0;
  SimTime start, duration;
};

struct HypercallCounts {
  std::uint64_t calls = 0;
  std::uint64_t frames = 0;  // extents actually done
};

struct SimulatedDomain {
  std::uint64_t tot_pages = 0;        // populated frames owned by the domain (d->tot_pages)
  std::uint64_t max_pages = 0;        // d->max_pages (xl mem-max / maxmem)
  std::uint64_t host_free_pages = 0;  // free pages in the host heap
  // HVM/PVH started with memory < maxmem: the populate-on-demand p2m (models/pod.h). tot_pages then
  // counts the populated pages plus the PoD cache.
  std::optional<PodP2m> pod;
  std::vector<XenMemoryMapEntry> memory_map;
  // The guest frames that are backed by a page or still a PoD entry: what the balloon's current_pages
  // follows (a PoD entry dropped by decrease_reservation leaves tot_pages alone).
  std::uint64_t guest_frames() const {
    return pod ? tot_pages - pod->counts().cache + pod->counts().entries : tot_pages;
  }
};

class SimulatedHypervisor final : public Hypervisor {
 public:
  SimulatedHypervisor(SimulatedDomain domain, const CostModel& costs);

  long populate_physmap(std::span<const Pfn> gfns) override;
  long decrease_reservation(std::span<const Pfn> gfns) override;
  std::vector<XenMemoryMapEntry> memory_map() override { return dom_.memory_map; }
  std::uint64_t current_reservation() override { return dom_.tot_pages; }
  std::uint64_t maximum_reservation() override { return dom_.max_pages; }
  std::optional<std::string> guest_wrote(std::span<const Pfn> gfns) override;

  // Fault injection: the next `count` calls of that kind fail (populate returns 0 extents,
  // decrease returns fewer than asked, as Xen does when it cannot find the page).
  void fail_next_populate(std::uint32_t count) { fail_populate_ += count; }
  void fail_next_decrease(std::uint32_t count) { fail_decrease_ += count; }

  // A guest access to `gfn` (PoD domains): nullopt when nothing happened (not PoD, or the gfn is
  // backed), true when Xen demand-populated it from the PoD cache, false when the cache was empty
  // and Xen crashed the domain ("out of PoD memory!", p2m_pod_demand_populate).
  std::optional<bool> touch(Pfn gfn);

  const SimulatedDomain& domain() const { return dom_; }
  const HypercallCounts& populate_counts() const { return populate_; }
  const HypercallCounts& decrease_counts() const { return decrease_; }
  void on_call(std::function<void(const HypercallRecord&)> cb) { on_call_ = std::move(cb); }

 private:
  void spend(SimTime t) const;
  SimulatedDomain dom_;
  const CostModel& costs_;
  std::uint32_t fail_populate_ = 0, fail_decrease_ = 0;
  HypercallCounts populate_, decrease_;
  std::function<void(const HypercallRecord&)> on_call_;
};

}  // namespace gm
