#include "sim/report/report_builder.h"

#include "sim/hypervisor/backend.h"

#include <algorithm>

#include "models/buddy.h"
#include "models/gfn_contiguity.h"
#include "models/guest.h"
#include "models/vmstat.h"
#include "models/xen/xen_drivers.h"
#include "sim/hypervisor/simulated.h"
#include "sim/kconfig/kconfig_json.h"
#include "sim/engine/kernel_env.h"

namespace gm {
namespace {

constexpr unsigned kThpOrder = 9;  // HPAGE_PMD_ORDER on x86_64 with 4 KiB pages

// Free blocks per order summed over every zone (the whole guest's view).
std::vector<std::uint64_t> merged_nr_free(const BuddyAllocator& buddy) {
  std::vector<std::uint64_t> total(buddy.max_order() + 1, 0);
  for (const Zone* z : buddy.zones())
    for (unsigned o = 0; o <= buddy.max_order(); ++o) total[o] += z->nr_free(o);
  return total;
}

nlohmann::json index_array(const std::vector<int>& idx) {
  auto a = nlohmann::json::array();
  for (int v : idx) a.push_back(index_to_double(v));
  return a;
}

nlohmann::json fragmentation_json(const BuddyAllocator& buddy, const PressureStats* pressure) {
  nlohmann::json zones = nlohmann::json::array();
  for (const Zone* z : buddy.zones()) {
    const auto& nr = z->nr_free_per_order();
    zones.push_back({{"node", 0},
                     {"zone", std::string(z->name())},
                     {"free", nr},
                     {"unusable_index", index_array(unusable_indexes(nr))},
                     {"extfrag_index", index_array(extfrag_indexes(nr))}});
  }
  // With a memory_pressure workload: /proc/pagetypeinfo's block counts per zone and the pageblocks
  // pinned by pages compaction cannot move (O(span), so only for the scenarios that study it).
  nlohmann::json pinned_fraction = nullptr;
  if (pressure) {
    std::uint64_t total = 0, pinned = 0;
    std::size_t i = 0;
    for (const Zone* z : buddy.zones()) {
      const PageblockCensus c = buddy.pageblock_census(z->type());
      zones[i++]["pageblocks"] = {{"unmovable", c.by_type[static_cast<unsigned>(Migratetype::unmovable)]},
                                  {"movable", c.by_type[static_cast<unsigned>(Migratetype::movable)]},
                                  {"reclaimable", c.by_type[static_cast<unsigned>(Migratetype::reclaimable)]},
                                  {"total", c.total},
                                  {"pinned", c.pinned},
                                  {"mixed", c.mixed}};
      total += c.total;
      pinned += c.pinned;
    }
    if (total) pinned_fraction = static_cast<double>(pinned) / static_cast<double>(total);
  }
  nlohmann::json thp = nullptr;
  if (pressure && pressure->thp_attempts > 0)
    thp = static_cast<double>(pressure->thp_successes) / static_cast<double>(pressure->thp_attempts);
  nlohmann::json j{{"zones", zones}, {"largest_free_order", largest_free_order(merged_nr_free(buddy))},
                   {"thp_success_rate", thp}};
  if (pressure) j["pageblocks_pinned_fraction"] = pinned_fraction;
  if (pressure)
    j["memory_pressure"] = {{"anon_allocs", pressure->anon_allocs},       {"anon_failures", pressure->anon_failures},
                            {"slab_allocs", pressure->slab_allocs},       {"slab_failures", pressure->slab_failures},
                            {"thp_attempts", pressure->thp_attempts},     {"thp_successes", pressure->thp_successes},
                            {"skipped_at_target", pressure->skipped_at_target},
                            {"kcompactd_runs", pressure->kcompactd_runs}, {"compaction_successes", pressure->compaction_successes},
                            {"pages_migrated", pressure->pages_migrated}, {"pages_scanned", pressure->pages_scanned},
                            {"file_reads", pressure->file_reads},         {"file_failures", pressure->file_failures},
                            {"page_cache_pages", pressure->page_cache_pages},
                            {"direct_compactions", pressure->direct_compactions},
                            {"direct_compaction_successes", pressure->direct_compaction_successes},
                            {"kswapd", {{"wakeups", pressure->kswapd.wakeups}, {"rounds", pressure->kswapd.rounds},
                                        {"reclaimed", pressure->kswapd.reclaimed}, {"hopeless", pressure->kswapd.hopeless}}},
                            {"slow_path", {{"entered", pressure->slow_path.slow_path},
                                           {"kswapd_wakeups", pressure->slow_path.kswapd_wakeups},
                                           {"allocstall", pressure->slow_path.allocstall},
                                           {"direct_reclaimed", pressure->slow_path.direct_reclaimed},
                                           {"compact_stall", pressure->slow_path.compact_stall},
                                           {"compact_success", pressure->slow_path.compact_success},
                                           {"compact_fail", pressure->slow_path.compact_fail},
                                           {"failures", pressure->slow_path.failures}}}};
  return j;
}

// Xen's view of the guest's RAM: populated GFN runs broken by frames on the balloon list.
GfnContiguity contiguity(const Guest& guest, XenDrivers& drivers) {
  auto ram = guest.layout().managed_ram();
  auto ballooned = drivers.balloon().list().extents();
  return gfn_contiguity(ram, ballooned);
}

nlohmann::json address_space_json(const Guest& guest, XenDrivers& drivers) {
  nlohmann::json iomem = nlohmann::json::array();
  for (const auto& e : guest.iomem_walk())
    iomem.push_back({{"name", e.name}, {"start", e.range.start.value}, {"end", e.range.end.value}, {"depth", e.depth}});
  nlohmann::json conflicts = nlohmann::json::array();
  std::uint64_t rejected = 0, nested = 0;  // numeric forms for expect checks
  for (const auto& c : guest.conflicts()) {
    (c.outcome == "rejected" ? rejected : nested) += 1;
    conflicts.push_back({{"what", c.what},
                         {"start", c.range.start.value},
                         {"end", c.range.end.value},
                         {"with", c.with},
                         {"with_start", c.with_range.start.value},
                         {"with_end", c.with_range.end.value},
                         {"outcome", c.outcome}});
  }
  nlohmann::json scratch = nlohmann::json::array();
  if (auto* u = drivers.unpopulated())
    for (const auto& r : u->stats().scratch_ranges) scratch.push_back({{"start", r.start.value}, {"end", r.end.value}});
  return {{"iomem", iomem},
          {"scratch_bytes", guest.scratch_bytes().value},
          {"memmap_bytes", guest.memmap_bytes().value},
          {"pagetable_bytes", guest.pagetable_bytes().value},
          {"hotplugged_bytes", guest.hotplugged_bytes().value},
          {"scratch_ranges", scratch},
          {"conflicts", conflicts},
          {"rejected_claims", rejected},
          {"nested_claims", nested}};
}

nlohmann::json balloon_json(XenDrivers& drivers, const SimulatedHypervisor& hv, const HypervisorBackend& calls) {
  const Balloon& b = drivers.balloon();
  const auto& c = b.counters();
  nlohmann::json j = {{"current_pages", b.stats().current_pages},
          {"target_pages", b.stats().target_pages},
          {"ballooned_pages", b.ballooned_pages()},
          // Frames the guest gave back to Xen and did not take again, from its own hypercalls. Unlike the
          // balloon list it leaves out hot-added pages that were never populated.
          {"pages_released_to_xen", static_cast<std::int64_t>(hv.decrease_counts().frames) -
                                        static_cast<std::int64_t>(hv.populate_counts().frames)},
          {"target_unpopulated", b.stats().target_unpopulated},
          {"total_pages", b.stats().total_pages},
          {"state", std::string(balloon_state_name(b.state()))},
          {"worker_iterations", c.worker_iterations},
          {"hotplugged_pages", c.hotplugged_pages},
          {"hypercalls",
           {{"populate_physmap", {{"calls", calls.populate_counts().calls}, {"frames", calls.populate_counts().frames}}},
            {"decrease_reservation",
             {{"calls", calls.decrease_counts().calls}, {"frames", calls.decrease_counts().frames}}}}},
          {"domain",
           {{"tot_pages", hv.domain().tot_pages},
            {"max_pages", hv.domain().max_pages},
            {"host_free_pages", hv.domain().host_free_pages}}}};
  // Only a populate-on-demand domain (HVM/PVH domU with memory < maxmem) has this object.
  if (const auto& pod = hv.domain().pod) {
    const PodCounts& p = pod->counts();
    j["domain"]["pod"] = {{"cache_pages", p.cache},
                          {"entries", p.entries},
                          {"populated_pages", p.populated},
                          {"demand_populated", p.demand_populated},
                          {"stolen_for_cache", p.stolen_for_cache},
                          {"cache_released", p.cache_released}};
  }
  return j;
}

nlohmann::json unpopulated_json(XenDrivers& drivers) {
  auto* u = drivers.unpopulated();
  if (!u) return nullptr;
  const auto& s = u->stats();
  return {{"sections_added", s.sections_added}, {"fills", s.fills},
          {"fill_failures", s.fill_failures},   {"pages_on_list", s.pages_on_list},
          {"pages_handed_out", s.pages_handed_out}, {"pages_seeded", s.pages_seeded},
          {"pgmap_clobbered_pages", s.pgmap_clobbered_pages}, {"has_target", u->has_target()}};
}

nlohmann::json latency_json(const LatencyRecorder& latency, const std::vector<CallerReport>& callers) {
  nlohmann::json j = latency.to_json();
  // Additive fields: how many failures were -ENOMEM and how many pages each caller mapped.
  for (auto& c : j["callers"])
    for (const auto& r : callers)
      if (r.name == c.value("name", "")) {
        c["enomem"] = r.totals.enomem;
        c["instances"] = r.instances;
        c["pages_mapped"] = r.totals.pages_mapped;
        c["held_at_end"] = r.totals.held_at_end;
      }
  return j;
}

nlohmann::json costs_charged_json(const SimKernelEnv& env) {
  nlohmann::json cpu = nlohmann::json::object();
  for (const auto& [name, t] : env.charged()) cpu[name] = t.ns;
  nlohmann::json locks = nlohmann::json::object();
  for (const auto& [name, st] : env.lock_stats())
    locks[name] = {{"acquisitions", st.acquisitions}, {"contended", st.contended}, {"wait_ns", st.total_wait.ns}};
  nlohmann::json waits = nlohmann::json::object();
  for (const auto& [name, t] : env.waited()) waits[name] = t.ns;
  return {{"cpu_ns", cpu}, {"wait_ns", waits}, {"locks", locks}};
}

std::string join(const std::vector<std::string>& lines) {
  std::string s;
  for (const auto& l : lines) s += (s.empty() ? "" : "; ") + l;
  return s;
}

}  // namespace

nlohmann::json build_report(const ReportInputs& in) {
  nlohmann::json r;
  r["schema_version"] = kReportSchemaVersion;
  r["guestmem_version"] = GUESTMEM_VERSION;
  r["complete"] = in.complete;
  r["scenario"] = to_json(in.scenario);
  r["seed"] = in.seed;
  r["strategy"] = {{"requested", std::string(to_string(in.requested))},
                   {"effective", std::string(in.drivers.pages().backend_name())},
                   {"reason", join(in.choice.reason)}};
  r["kconfig"] = kconfig_to_json(in.kconfig, in.choice);
  r["latency"] = latency_json(in.latency, in.callers);
  // What each distribution measures (docs/metrics.md): `latency` is the request latency, arrival to
  // served (queueing behind the caller's own work, the allocation, the grant operations);
  // `alloc_latency` only the allocation inside it (xen_alloc_*_pages, or blkback's page-cache gets).
  r["latency"]["measures"] = "request";
  r["alloc_latency"] = in.alloc_latency.to_json();
  r["alloc_latency"]["measures"] = "allocation";
  r["fragmentation"] = fragmentation_json(in.buddy, in.pressure);
  GfnContiguity g = contiguity(in.guest, in.drivers);
  r["fragmentation"]["gfn_contiguity"] = {{"populated_pages", g.populated_pages},
                                          {"ballooned_pages", g.ballooned_pages},
                                          {"largest_run_pages", g.largest_run_pages},
                                          {"largest_run_first_pfn", g.largest_run_first.value},
                                          {"transitions", g.transitions}};
  r["address_space"] = address_space_json(in.guest, in.drivers);
  r["balloon"] = balloon_json(in.drivers, in.hv, in.calls);
  r["unpopulated"] = unpopulated_json(in.drivers);
  nlohmann::json crashes = nlohmann::json::array();
  for (const auto& c : in.crashes) crashes.push_back({{"t_ns", c.t.ns}, {"what", c.what}});
  r["guest_crashes"] = crashes;
  r["time_series"] = in.series.to_json();
  nlohmann::json violations = nlohmann::json::array();
  for (const auto& v : in.invariants.violations())
    violations.push_back({{"t_ns", v.t.ns}, {"check", v.check}, {"detail", v.detail}, {"when", v.when}});
  r["invariants"] = {{"checks", in.invariants.checks_run()}, {"violations", violations}};
  r["costs_charged"] = costs_charged_json(in.env);
  r["simulation"] = {{"end_ns", in.outcome.end.ns}, {"deadlock", in.outcome.deadlock}};
  r["notes"] = in.notes;
  return r;
}

void declare_series(TimeSeries& s, unsigned max_order) {
  s.add_metric(std::string(series::kGuestRamBytes), "bytes", "populated guest RAM (Xen tot_pages)");
  s.add_metric(std::string(series::kFreeBytes), "bytes", "free memory in the buddy allocator");
  s.add_metric(std::string(series::kBalloonedPages), "pages", "pages on the balloon list");
  s.add_metric(std::string(series::kScratchBytes), "bytes", "\"Xen scratch\" address space taken");
  s.add_metric(std::string(series::kAddressSpaceBytes), "bytes", "highest guest-physical address in use + 1");
  s.add_metric("unpopulated_list_pages", "pages", "pages on the unpopulated allocator's LIFO list");
  s.add_metric("balloon_target_pages", "pages", "balloon target_pages");
  s.add_metric("populate_calls", "calls", "XENMEM_populate_physmap hypercalls so far");
  s.add_metric("decrease_calls", "calls", "XENMEM_decrease_reservation hypercalls so far");
  s.add_metric("largest_free_order", "order", "largest order with a free block (-1: none)");
  unsigned o = std::min(kThpOrder, max_order);
  s.add_metric(std::string(series::kUnusableIndexPrefix) + std::to_string(o), "index",
               "unusable free index at this order over all zones (mm/vmstat.c)");
  s.add_metric(std::string(series::kExtfragIndexPrefix) + std::to_string(o), "index",
               "fragmentation index at this order over all zones (mm/vmstat.c)");
  s.add_metric("gfn_largest_run_pages", "pages", "longest run of consecutive populated GFNs (docs/metrics.md)");
  s.add_metric("gfn_transitions", "count", "populated/ballooned boundaries between adjacent GFNs (docs/metrics.md)");
}

SeriesSample collect_sample(const BuddyAllocator& buddy, const Guest& guest, XenDrivers& drivers,
                            const SimulatedHypervisor& hv, const HypervisorBackend& calls) {
  auto nr = merged_nr_free(buddy);
  unsigned o = std::min(kThpOrder, buddy.max_order());
  auto* u = drivers.unpopulated();
  std::uint64_t highest = 0;
  for (const auto& e : guest.iomem_walk())
    if (e.depth == 0 && (e.name == kXenScratchName || e.name == kSystemRamName)) highest = std::max(highest, e.range.end.value + 1);
  auto info = fill_contig_page_info(nr, o);
  SeriesSample s;
  s.values = {static_cast<double>(pages_to_bytes(hv.domain().tot_pages).value),
              static_cast<double>(pages_to_bytes(buddy.free_pages_count()).value),
              static_cast<double>(drivers.balloon().ballooned_pages()),
              static_cast<double>(guest.scratch_bytes().value),
              static_cast<double>(highest),
              static_cast<double>(u ? u->stats().pages_on_list : 0),
              static_cast<double>(drivers.balloon().stats().target_pages),
              static_cast<double>(calls.populate_counts().calls),
              static_cast<double>(calls.decrease_counts().calls),
              static_cast<double>(largest_free_order(nr)),
              index_to_double(unusable_free_index(o, info)),
              index_to_double(fragmentation_index(o, info, buddy.max_order()))};
  GfnContiguity g = contiguity(guest, drivers);
  s.values.push_back(static_cast<double>(g.largest_run_pages));
  s.values.push_back(static_cast<double>(g.transitions));
  return s;
}

}  // namespace gm
