#include "sim/report/cost_docs.h"

#include <map>

#include "sim/engine/cost_model.h"
#include "sim/engine/units_text.h"

namespace gm {

std::string_view cost_charged_by(std::string_view parameter) {
  static const std::map<std::string_view, std::string_view> k{
      {"hypercall_base", "every hypercall: the simulated hypervisor's reservation calls; grant map/unmap and "
                         "add_to_physmap batches (GrantTable::map_refs/unmap_refs/remap)"},
      {"populate_per_page", "XENMEM_populate_physmap, per frame (simulated hypervisor)"},
      {"decrease_per_page", "XENMEM_decrease_reservation, per frame (simulated hypervisor)"},
      {"scrub_page", "balloon decrease_reservation: xenmem_reservation_scrub_page per page (balloon.scrub)"},
      {"va_mapping_update", "balloon increase/decrease_reservation on PV: update_va_mapping per page"},
      {"p2m_update_page", "balloon reservation batches on PV (set_phys_to_machine); p2m INVALID before a PV "
                          "hot-add or section fill"},
      {"tlb_flush_all", "balloon decrease_reservation: flush_tlb_all per batch; GNTTABOP_unmap_grant_ref: the "
                        "flush per unmap batch"},
      {"memmap_init_page", "memmap_init step: memmap_init_zone_device (section fill) or memmap_init_range when "
                           "hot-added memory is onlined"},
      {"resource_alloc", "allocate_resource/request_resource of a scratch or System RAM range; memblock_add_node "
                         "step of add_memory_resource"},
      {"list_op_page", "list push/pop per page: unpopulated list, balloon list (balloon_append/retrieve, "
                       "xen_online_page), grant page cache hits and puts"},
      {"page_alloc", "alloc_page/free_reserved_page in balloon batches; arch_add_memory step: each vmemmap block, "
                     "base page and page-table page; memory-pressure allocations"},
      {"migrate_page", "compaction: per page migrated (kcompactd, memory pressure)"},
      {"compaction_scan", "compaction: per page scanned"},
      {"grant_map_page", "GNTTABOP_map_grant_ref per grant (blkback in batches of 11, gntdev, xenbus, drm_front "
                         "per request); XENMEM_add_to_physmap per frame (privcmd, PVH grant frames)"},
      {"grant_unmap_page", "GNTTABOP_unmap_grant_ref per grant when a mapping is released"},
      {"spin_lock", "gnttab_page_cache_get/put lock; mem_hotplug_begin/done (cpus_read_lock, percpu rwsem); "
                    "move_pfn_range_to_zone span lock; xen_online_page's balloon_mutex per chunk"},
      {"pte_set", "arch_add_memory step: one entry per vmemmap block or base page and per direct-map entry"},
      {"memory_block_device", "create_memory_block_devices step of add_memory_resource, per memory block"},
      {"rcu_grace_period", "mem_hotplug_begin step: rcu_sync_enter -> synchronize_rcu when the rcu_sync is idle "
                           "(a wait, reported in costs_charged.wait_ns)"},
  };
  auto it = k.find(parameter);
  return it == k.end() ? std::string_view{} : it->second;
}

std::string cost_table_markdown() {
  const CostModel m = CostModel::defaults();
  const auto values = m.values();
  std::string s =
      "# Cost model\n\n"
      "<!-- Generated from scenarios/costs/default.json by gen_scenario_docs; do not edit by hand. -->\n\n"
      "Simulated time charged per unit of work (scenarios/costs/default.json, overridable per scenario with\n"
      "`costs.overrides`, a whole file with `costs.file`, or one run with `guestmem run --cost NAME=VALUE`).\n"
      "Every value has a plausible range (low, high) and a source: a publication, a mailing-list measurement, or a\n"
      "derivation from other sourced values (CPU cycles at a stated 2 GHz clock). At most three are marked\n"
      "\"estimate\", each with its range and why nothing better was found. The ranges are the input of\n"
      "`guestmem sensitivity` (docs/sensitivity.md): which conclusions of `compare` hold over all of them.\n"
      "A cost file entry has exactly the fields value, low, high and source; any other field is an error.\n\n"
      "| parameter | value | low | high | charged by | source |\n"
      "|---|---|---|---|---|---|\n";
  for (const std::string& name : CostModel::parameter_names()) {
    const auto& e = m.entries().at(name);
    s += "| `" + name + "` | " + format_duration(values.at(name)) + " | " + format_duration(e.low) + " | " +
         format_duration(e.high) + " | " + std::string(cost_charged_by(name)) + " | " + e.source + " |\n";
  }
  return s;
}

}  // namespace gm
