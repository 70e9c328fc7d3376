// Version switches of the Xen drivers: every behaviour that changed across kernel versions is one
// named flag here, computed from the scenario's KernelVersion and named after the commit that changed
// it (reference kernel-behaviour.md §2.2, §3.4, §3.8). Driver code reads only these flags.
#pragma once

#include <cstdint>

#include "models/kernel_version.h"
#include "models/units.h"

namespace gm {

// drivers/xen/unpopulated-alloc.c behaviour per version.
struct UnpopulatedConfig {
  // ee32f32335e8 (5.10-rc8): the free list is threaded through page->zone_device_data; 5.9 used
  // page->lru, which overlays page->pgmap of ZONE_DEVICE pages (reference S1). Reported, not simulated.
  bool zone_device_data_list = true;
  // 9e2369c06c8a (5.9) .. 5.10.37: pgmap (with res embedded, later allocated first) is allocated
  // before allocate_resource(), so a failing pgmap allocation returns -ENOMEM early.
  bool pgmap_before_resource = false;
  // "consolidate pgmap manipulation" (5.11-rc1) until dbc03e81586f (5.13-rc2, 5.12.5, 5.11.22): a
  // failing pgmap kzalloc makes fill_list() return 0 with no pages added, and the caller hits BUG_ON(!pg).
  bool fill_list_enomem_bug = false;
  // d1a928eac729 (5.17-rc1): target_resource from arch_xen_unpopulated_init(), allocations limited to
  // mhp_get_pluggable_range(true), run-time fallback to ballooned pages when the target is NULL.
  bool target_resource = true;
  // 9e2369c06c8a (5.9) until 262fc47ac174 (5.18-rc3): subsys_initcall seeds the list with the PV
  // xen_extra_mem pages (PV guests only).
  bool pv_extra_mem_init = false;
  // a6aa4eb994ee (x86, 6.10): arch_xen_unpopulated_init() seeds the list with xen_extra_mem for every
  // guest type and zeroes the regions so the balloon does not take them.
  bool x86_arch_hook_extra_mem = false;
  // 87af633689ce (6.15-rc2): the arch hook adds the seeded pages to xen_released_pages; 0949c646d646
  // (7.0-rc1) counts them in xen_unpopulated_pages instead.
  bool seeded_pages_count_as_released = false;
  bool seeded_pages_count_as_unpopulated = false;

  static UnpopulatedConfig for_version(const KernelVersion& v, bool x86);
};

// Balloon worker scheduling era.
enum class BalloonWorkerKind {
  workqueue,  // balloon_process() as delayed work (schedule_delayed_work)
  kthread,    // "xen-balloon" kernel thread waiting on balloon_thread_wq
};

// How balloon_init() computes current_pages and treats the extra regions (reference §3.8).
enum class BalloonBootAccounting {
  classic,   // <= 6.14: PV min(nr_pages - released, max_pfn), else num_physpages; regions add to total
  released,  // 87af633689ce (6.15): all: num_physpages - xen_released_pages; regions subtract from current
  split_v7,  // 0949c646d646 + b13cd24c15d7 (7.0): PV as classic, else num_physpages - xen_unpopulated_pages;
             // regions subtract from current and target
};

// drivers/xen/balloon.c + xen-balloon.c behaviour per version, plus the run-time knobs.
struct BalloonConfig {
  // 8480ed9c2bbd "xen/balloon: use a kernel thread instead a workqueue" (mainline 5.15-rc3, stable
  // 5.10.70 and 5.4.150).
  BalloonWorkerKind worker = BalloonWorkerKind::kthread;
  // XSA-300 / CVE-2019-17351 (5.4 era, a1078e821b60 "xen: let alloc_xenballooned_pages() fail if not
  // enough memory free"): si_mem_available() gating, GFP_USER, max_retry_count default 4.
  bool xsa300 = true;
  // 40fdea0284bb (5.16-rc1, stable 5.15.3/5.14.19/5.10.80/5.4.160): balloon_wait_finish().
  bool wait_finish = true;
  BalloonBootAccounting boot = BalloonBootAccounting::split_v7;
  // Extra regions go to the balloon: PV always; a6aa4eb994ee-era PVH (6.9: UNUSABLE e820 -> RAM) any
  // x86 guest. The caller passes only the regions the unpopulated allocator did not take.
  bool extra_regions_any_guest = true;

  // Run-time knobs (sysfs / module parameters / Kconfig).
  bool scrub = true;                      // XEN_SCRUB_PAGES_DEFAULT=y, xen_scrub_pages=
  std::uint32_t max_retry_count = 4;      // 0 = RETRY_UNLIMITED
  std::uint32_t max_schedule_delay = 32;  // seconds
  bool memory_hotplug = true;             // CONFIG_XEN_BALLOON_MEMORY_HOTPLUG
  bool hotplug_unpopulated = false;       // /proc/sys/xen/balloon/hotplug_unpopulated
  SimTime boot_timeout = seconds(180);    // xen.balloon_boot_timeout
  // First highmem frame (32-bit guests only); on 64-bit there is no highmem and this stays unset.
  std::uint64_t highmem_start_pfn = UINT64_MAX;

  static BalloonConfig for_version(const KernelVersion& v, bool x86);
};

}  // namespace gm
