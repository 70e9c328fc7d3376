#include "models/xen/hotplug_steps.h"

namespace gm {

std::string_view hotplug_step_name(HotplugStep s) {
  switch (s) {
    case HotplugStep::mem_hotplug_begin: return "mem_hotplug_begin";
    case HotplugStep::memblock_add_node: return "memblock_add_node";
    case HotplugStep::arch_add_memory: return "arch_add_memory";
    case HotplugStep::create_memory_block_devices: return "create_memory_block_devices";
    case HotplugStep::move_pfn_range_to_zone: return "move_pfn_range_to_zone";
    case HotplugStep::memmap_init: return "memmap_init";
    case HotplugStep::mem_hotplug_done: return "mem_hotplug_done";
    case HotplugStep::online_pages: return "online_pages";
  }
  return "?";
}

void charge_step(KernelEnv& env, HotplugStep step, std::initializer_list<WorkCharge> parts) {
  const SimTime start = env.now();
  env.charge_batch(parts);
  env.step_done(hotplug_step_name(step), start);
}

void MemHotplugLock::begin(KernelEnv& env) {
  const SimTime start = env.now();
  // cpus_read_lock (percpu_down_read fast path) and the writer side's mutex-like entry.
  env.charge_batch({{Work::spin_lock, 2}});
  const SimTime gp = env.cost_of(Work::rcu_grace_period);
  const bool idle = !last_done_ || env.now() - *last_done_ >= gp;
  if (idle) {
    env.wait(Work::rcu_grace_period, 1);  // rcu_sync_enter() -> synchronize_rcu()
    ++grace_periods_;
  }
  env.step_done(hotplug_step_name(HotplugStep::mem_hotplug_begin), start);
}

void MemHotplugLock::done(KernelEnv& env) {
  charge_step(env, HotplugStep::mem_hotplug_done, {{Work::spin_lock, 2}});
  last_done_ = env.now();
}

void charge_arch_add_memory(KernelEnv& env, const MemremapCost& vmemmap, std::uint64_t pages, bool pse) {
  // vmemmap_populate(): every block or base page comes from the page allocator; a 2 MiB block is one
  // PMD entry, a base page one PTE; page-table pages are allocated too.
  const std::uint64_t allocations = vmemmap.order9_blocks + vmemmap.order0_pages + vmemmap.pte_pages;
  const std::uint64_t vmemmap_entries = vmemmap.order9_blocks + vmemmap.order0_pages;
  // init_memory_mapping(): PSE maps the range with 2 MiB entries; PV's 4 KiB PTEs, one per page.
  const std::uint64_t direct_map_entries = pse ? (pages + 511) / 512 : pages;
  charge_step(env, HotplugStep::arch_add_memory,
              {{Work::page_alloc, allocations}, {Work::pte_set, vmemmap_entries + direct_map_entries}});
}

}  // namespace gm
