// Memory hot-add as the kernel's costed steps. The balloon's add_memory_resource()
// (drivers/xen/balloon.c@v6.1 reserve_additional_memory) and the unpopulated allocator's
// memremap_pages() (drivers/xen/unpopulated-alloc.c@v6.1 fill_list) are both charged through these
// functions and nothing else, so neither strategy gets a flat number the other does not: what differs
// is only which steps each path takes (the kernel's own difference), each step at the same price.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "models/guest_kernel.h"
#include "models/xen/env.h"

namespace gm {

// The steps, named as the kernel functions that do them (trace span names).
enum class HotplugStep {
  mem_hotplug_begin,            // cpus_read_lock + percpu_down_write(&mem_hotplug_lock)
  memblock_add_node,            // add_memory_resource only
  arch_add_memory,              // vmemmap population + direct map (arch/x86/mm/init_64.c)
  create_memory_block_devices,  // add_memory_resource only (ZONE_DEVICE has no memory blocks)
  move_pfn_range_to_zone,       // zone/pgdat span resize under the span seqlock
  memmap_init,                  // memmap_init_zone_device (ZONE_DEVICE) or memmap_init_range (online)
  mem_hotplug_done,             // percpu_up_write + cpus_read_unlock
  online_pages,                 // online_pages_range -> the online-page callback (xen_online_page)
};
std::string_view hotplug_step_name(HotplugStep s);

// The name of the span that encloses one whole hot-add (its steps are the spans inside it):
// "hot-add: memremap_pages" for a section fill, "hot-add: add_memory_resource" for the balloon.
inline constexpr std::string_view kHotAddSpanPrefix = "hot-add: ";

// The global mem_hotplug_lock as a writer sees it (mm/memory_hotplug.c@v6.1 mem_hotplug_begin):
// cpus_read_lock() and percpu_down_write(), whose rcu_sync_enter() (kernel/rcu/sync.c@v6.1) calls
// synchronize_rcu() when the rcu_sync is idle. A grace period is a wait, not CPU work. After
// mem_hotplug_done() rcu_sync_exit() leaves the rcu_sync "passed" until a grace period later, so a
// writer that comes back within one grace period (onlining right after the add) does not wait again.
class MemHotplugLock {
 public:
  void begin(KernelEnv& env);
  void done(KernelEnv& env);
  std::uint64_t grace_periods_waited() const { return grace_periods_; }

 private:
  std::optional<SimTime> last_done_;
  std::uint64_t grace_periods_ = 0;
};

// arch_add_memory(): the vmemmap population `vmemmap` reports (order-9 blocks and base pages from the
// page allocator, one PMD entry per 2 MiB block, one PTE per base page, page-table pages) and the
// direct map of `pages` (x86 init_memory_mapping: one PMD entry per 2 MiB with PSE; a PV guest's
// 4 KiB PTEs are in vmemmap.pte_pages and one PTE each).
void charge_arch_add_memory(KernelEnv& env, const MemremapCost& vmemmap, std::uint64_t pages, bool pse);

// One named step charged as one stretch of CPU work, with its trace mark.
void charge_step(KernelEnv& env, HotplugStep step, std::initializer_list<WorkCharge> parts);

}  // namespace gm
