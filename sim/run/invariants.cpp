#include "sim/run/invariants.h"

#include <memory>
#include <sstream>

#include "models/buddy.h"
#include "models/guest.h"
#include "models/xen/xen_drivers.h"
#include "sim/hypervisor/simulated.h"

namespace gm {
namespace {

std::string hex(std::uint64_t v) {
  std::ostringstream o;
  o << "0x" << std::hex << v;
  return o.str();
}

// No two siblings of the iomem tree overlap (kernel/resource.c keeps children sorted and disjoint).
std::optional<std::string> iomem_siblings_disjoint(const Guest& guest) {
  std::vector<std::optional<AddrRange>> last_at_depth;
  for (const auto& e : guest.iomem_walk()) {
    auto d = static_cast<std::size_t>(e.depth);
    last_at_depth.resize(d + 1);  // an entry at depth d ends the sibling lists of every deeper level
    if (auto& prev = last_at_depth[d]; prev && prev->end >= e.range.start)
      return "\"" + e.name + "\" [" + hex(e.range.start.value) + "-" + hex(e.range.end.value) +
             "] overlaps its previous sibling ending at " + hex(prev->end.value);
    last_at_depth[d] = e.range;
  }
  return std::nullopt;
}

}  // namespace

void Invariants::add(std::string name, std::function<std::optional<std::string>()> check, bool full_only) {
  list_.push_back({std::move(name), std::move(check), full_only});
}

void Invariants::add_default_checks(const BuddyAllocator& buddy, const Guest& guest, XenDrivers& drivers,
                                    const SimulatedHypervisor& hv, const std::int64_t& hv_minus_balloon) {
  add("hypervisor tot_pages tracks the balloon's current_pages", [&]() -> std::optional<std::string> {
    // Every populate/decrease the guest makes moves both counters by the frames Xen reported done.
    if (drivers.balloon().busy()) return std::nullopt;  // protected by balloon_mutex: mid-update
    // A PoD domain: the frames backed or still PoD (tot_pages - cache + entries), see guest_frames().
    auto tot = static_cast<std::int64_t>(hv.domain().guest_frames());
    auto cur = static_cast<std::int64_t>(drivers.balloon().stats().current_pages);
    if (tot - cur == hv_minus_balloon) return std::nullopt;
    return std::string(hv.domain().pod ? "populated + PoD entries " : "tot_pages ") + std::to_string(tot) + " - current_pages " + std::to_string(cur) + " = " +
           std::to_string(tot - cur) + ", was " + std::to_string(hv_minus_balloon) + " after boot";
  });
  add("tot_pages within max_pages", [&]() -> std::optional<std::string> {
    if (hv.domain().tot_pages <= hv.domain().max_pages) return std::nullopt;
    return "tot_pages " + std::to_string(hv.domain().tot_pages) + " > max_pages " + std::to_string(hv.domain().max_pages);
  });
  add("PoD: tot_pages = populated + PoD cache, cache <= entries", [&]() -> std::optional<std::string> {
    const auto& d = hv.domain();
    if (!d.pod) return std::nullopt;
    const PodCounts& c = d.pod->counts();
    // Pages above the PoD-built RAM (hot-added later) are plain populated pages outside the p2m model.
    if (d.tot_pages >= c.tot_pages() && c.cache <= c.entries) return std::nullopt;
    return "tot_pages " + std::to_string(d.tot_pages) + ", PoD populated " + std::to_string(c.populated) +
           " + cache " + std::to_string(c.cache) + ", entries " + std::to_string(c.entries);
  });
  add("iomem siblings disjoint", [&] { return iomem_siblings_disjoint(guest); });
  add("scratch pages never reach the buddy allocator", [&]() -> std::optional<std::string> {
    auto* u = drivers.unpopulated();
    if (!u) return std::nullopt;
    for (const auto& r : u->stats().scratch_ranges) {
      PfnExtent ext{addr_to_pfn(r.start), bytes_to_pages(r.size())};
      for (const Zone* z : buddy.zones())
        if (z->overlaps_managed(ext))
          return "scratch range " + hex(ext.first.value) + "+" + std::to_string(ext.count) +
                 " pages overlaps frames managed by zone " + std::string(z->name());
    }
    return std::nullopt;
  });
  add("unpopulated pool accounting", [&]() -> std::optional<std::string> {
    auto* u = drivers.unpopulated();
    if (!u || u->busy()) return std::nullopt;  // protected by list_lock: mid-update
    const auto& s = u->stats();
    std::uint64_t made = s.sections_added * guest.pages_per_section() + s.pages_seeded;
    if (s.pages_on_list + s.pages_handed_out == made && u->list().size() == s.pages_on_list) return std::nullopt;
    return "on list " + std::to_string(s.pages_on_list) + " + handed out " + std::to_string(s.pages_handed_out) +
           " != sections*PAGES_PER_SECTION + seeded = " + std::to_string(made);
  });
  add("balloon list matches balloon_low + balloon_high", [&]() -> std::optional<std::string> {
    if (drivers.balloon().busy()) return std::nullopt;
    const auto& st = drivers.balloon().stats();
    if (drivers.balloon().ballooned_pages() == st.balloon_low + st.balloon_high) return std::nullopt;
    return "list " + std::to_string(drivers.balloon().ballooned_pages()) + " != low " + std::to_string(st.balloon_low) +
           " + high " + std::to_string(st.balloon_high);
  });
  add("totalram_pages is the sum of the zones' managed_pages", [&]() -> std::optional<std::string> {
    if (std::string bad = buddy.check_accounting(); !bad.empty()) return bad;
    return std::nullopt;
  });
  // After boot, the balloon is the only path that moves managed_pages (decrease: -1 per page,
  // increase: free_reserved_page +1 per page, drivers/xen/balloon.c@v6.1), and it moves current_pages
  // by the same amount: their difference must not drift. The first check runs after boot. Frames the
  // model's allocator refuses (hot-added below a zone's start, counted in rejected_ranges) are added
  // back: the kernel would have extended the zone and managed them.
  auto managed_minus_current = std::make_shared<std::optional<std::int64_t>>();
  add("managed_pages moves with the balloon's current_pages", [&, managed_minus_current]() -> std::optional<std::string> {
    if (drivers.balloon().busy()) return std::nullopt;  // balloon_mutex held: mid-update
    auto d = static_cast<std::int64_t>(buddy.managed_pages() + buddy.refused_reserved_frees()) -
             static_cast<std::int64_t>(drivers.balloon().stats().current_pages);
    if (!*managed_minus_current) *managed_minus_current = d;
    if (d == **managed_minus_current) return std::nullopt;
    return "managed_pages - current_pages = " + std::to_string(d) + ", was " +
           std::to_string(**managed_minus_current) + " at the first check after boot";
  });
  add("buddy allocator structure", [&]() -> std::optional<std::string> {
    for (const Zone* z : buddy.zones())
      if (std::string bad = z->check_invariants(); !bad.empty()) return std::string(z->name()) + ": " + bad;
    return std::nullopt;
  }, /*full_only=*/true);
}

void Invariants::check(SimTime t, const std::string& when, bool full) {
  for (auto& c : list_) {
    if (c.failed || (c.full_only && !full)) continue;
    ++checks_;
    if (auto bad = c.fn()) {
      c.failed = true;
      violations_.push_back({t, c.name, *bad, when});
    }
  }
}

}  // namespace gm
