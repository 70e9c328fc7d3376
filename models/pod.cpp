#include "models/pod.h"

#include <algorithm>

namespace gm {

PodP2m::PodP2m(std::span<const PfnExtent> ram, std::uint64_t target, std::uint64_t gfn_limit)
    : limit_(gfn_limit), pod_(gfn_limit), ram_(gfn_limit) {
  for (const auto& e : ram) {
    std::uint64_t first = std::min(e.first.value, limit_), end = std::min(e.end().value, limit_);
    if (first >= end) continue;
    // mark_populate_on_demand(): entry_count += the gfns newly marked (none were PoD before).
    for (std::uint64_t g = first; g < end; ++g)
      if (!pod_.test(g)) ++c_.entries;
    pod_.fill(first, end, true);
  }
  // p2m_pod_set_mem_target() at build: populated = 0, so pod_target = target; the toolstack never
  // asks for more cache than there are entries (libxl sets target <= maxmem).
  c_.cache = std::min(target, c_.entries);
}

std::optional<bool> PodP2m::touch(Pfn gfn) {
  if (!is_pod(gfn)) return std::nullopt;
  // p2m_pod_demand_populate(): eager reclaim and the emergency sweep look for zero pages to put back
  // in the cache; the model has none (see the header). An empty cache then means out_of_memory.
  if (c_.cache == 0) return false;
  --c_.cache;
  --c_.entries;
  ++c_.populated;
  ++c_.demand_populated;
  pod_.clear(gfn.value);
  ram_.set(gfn.value);
  return true;
}

PodDecrease PodP2m::decrease(Pfn gfn) {
  PodDecrease r;
  const bool pod = is_pod(gfn), ram = is_populated(gfn);
  bool handled = false;
  // decrease_reservation() in p2m-pod.c: nothing to do without outstanding entries; otherwise a PoD
  // entry is dropped, and a RAM page is stolen for the cache while entries > cache.
  if (c_.entries > 0) {
    const bool steal_for_cache = c_.entries > c_.cache;
    if (pod || steal_for_cache) {
      if (pod) {
        pod_.clear(gfn.value);
        --c_.entries;
        handled = true;
      } else if (ram) {
        ram_.clear(gfn.value);
        --c_.populated;
        ++c_.cache;
        ++c_.stolen_for_cache;
        handled = true;
      }
      // out_entry_check: liabilities below assets -> p2m_pod_set_cache_target(entry_count) frees the rest.
      if (c_.entries < c_.cache) {
        const std::uint64_t excess = c_.cache - c_.entries;
        c_.cache -= excess;
        c_.cache_released += excess;
        r.freed += excess;
      }
    }
  }
  if (handled) {
    r.done = true;
    return r;
  }
  // memory.c decrease_reservation(): what PoD did not take goes to guest_remove_page().
  if (ram) {
    ram_.clear(gfn.value);
    --c_.populated;
    r.freed += 1;
    r.done = true;
  }
  return r;
}

void PodP2m::populate(Pfn gfn) {
  if (gfn.value >= limit_) return;  // outside the PoD-tracked space: plain accounting by the caller
  if (pod_.test(gfn.value)) {
    pod_.clear(gfn.value);
    --c_.entries;
  }
  if (!ram_.test(gfn.value)) {
    ram_.set(gfn.value);
    ++c_.populated;
  }
}

std::string PodP2m::out_of_memory_message(unsigned domid) const {
  return "p2m_pod_demand_populate: Dom" + std::to_string(domid) + " out of PoD memory! (tot=" +
         std::to_string(c_.tot_pages()) + " ents=" + std::to_string(c_.entries) + " dom" + std::to_string(domid) + ")";
}

}  // namespace gm
