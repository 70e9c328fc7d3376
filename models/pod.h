// Xen's populate-on-demand (PoD) p2m of one HVM/PVH domain started with memory < maxmem
// (xen/arch/x86/mm/p2m-pod.c@4.23-dev c447b7308b). Every guest RAM gfn starts as a PoD entry with no
// page behind it; the PoD cache holds `memory` pages that the domain owns but has not mapped. A
// first touch of a PoD gfn takes one cache page (p2m_pod_demand_populate); the balloon's
// decrease_reservation of a PoD gfn just drops the entry. When the guest touches a PoD gfn and the
// cache is empty, Xen crashes the domain: "out of PoD memory!" (reference S9).
//
// Accounting (the equations in p2m-pod.c's comment above p2m_pod_set_mem_target):
//   tot_pages = populated + cache        (cache pages are allocated to the domain)
//   the guest is safe once entries <= cache (every outstanding entry can be backed).
//
// Simplifications, all on the optimistic side for the guest: pages are tracked at 4 KiB (Xen
// populates a whole 2 MiB from the cache when the PoD entry is still a superpage); the emergency
// sweep and the eager reclaim find no zero page (the model keeps no page contents, and pages the
// guest touched and freed keep their data).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "models/frame_bitmap.h"
#include "models/units.h"

namespace gm {

struct PodCounts {
  std::uint64_t cache = 0;      // p2m->pod.count
  std::uint64_t entries = 0;    // p2m->pod.entry_count: gfns still PoD
  std::uint64_t populated = 0;  // gfns backed by a real page (demand-populated or populate_physmap)
  std::uint64_t demand_populated = 0;  // first touches served from the cache (cumulative)
  std::uint64_t stolen_for_cache = 0;  // RAM pages the balloon gave back that went to the cache
  std::uint64_t cache_released = 0;    // cache pages freed to Xen once entries < cache
  std::uint64_t tot_pages() const { return populated + cache; }
};

// What one decrease_reservation extent did to the domain (the caller moves Xen's heap by `freed`).
struct PodDecrease {
  bool done = false;         // the extent was removed (PoD entry dropped, page stolen or freed)
  std::uint64_t freed = 0;   // pages returned to Xen's heap (the page itself, or excess cache)
};

class PodP2m {
 public:
  // Domain build (libxl + xc_hvm_build): every gfn of `ram` is marked PoD
  // (guest_physmap_mark_populate_on_demand) and the cache is set to `target` pages
  // (p2m_pod_set_mem_target with nothing populated: pod_target = target). `gfn_limit` bounds the
  // gfn space (the highest RAM gfn + 1).
  PodP2m(std::span<const PfnExtent> ram, std::uint64_t target, std::uint64_t gfn_limit);

  // A guest access to `gfn` (EPT/NPT violation on a PoD entry -> p2m_pod_demand_populate). Returns
  // nullopt when the gfn was already backed or is not guest RAM; false when the cache was empty:
  // Xen prints "out of PoD memory!" and crashes the domain; true when a cache page was mapped.
  std::optional<bool> touch(Pfn gfn);

  // XENMEM_decrease_reservation of one order-0 extent (memory.c -> p2m_pod_decrease_reservation,
  // then guest_remove_page for a RAM page it did not steal).
  PodDecrease decrease(Pfn gfn);

  // XENMEM_populate_physmap of one extent that got a new page: a PoD entry there is replaced
  // (guest_physmap_add_page drops the entry count).
  void populate(Pfn gfn);

  bool is_pod(Pfn gfn) const { return gfn.value < limit_ && pod_.test(gfn.value); }
  bool is_populated(Pfn gfn) const { return gfn.value < limit_ && ram_.test(gfn.value); }
  std::uint64_t gfn_limit() const { return limit_; }
  const PodCounts& counts() const { return c_; }
  // The message Xen prints before domain_crash (p2m_pod_demand_populate), for domain `domid`.
  std::string out_of_memory_message(unsigned domid) const;

 private:
  std::uint64_t limit_;
  FrameBitmap pod_;  // gfn is a PoD entry
  FrameBitmap ram_;  // gfn maps a real page
  PodCounts c_;
};

}  // namespace gm
