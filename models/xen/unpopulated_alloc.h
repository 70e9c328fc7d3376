// drivers/xen/unpopulated-alloc.c: ZONE_DEVICE pages over unused guest-physical address space, grown
// one sparse section at a time and kept on a LIFO list forever (reference §2).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "models/kerrno.h"
#include "models/xen/driver_config.h"
#include "models/xen/env.h"
#include "models/xen/hotplug_steps.h"
#include "models/xen/page_stack.h"

namespace gm {

// What the allocator did so far, for the report (address_space.scratch_bytes, memmap_bytes).
struct UnpopulatedStats {
  std::uint64_t sections_added = 0;       // fill_list successes, in sections
  std::uint64_t fills = 0;                // fill_list calls
  std::uint64_t fill_failures = 0;        // fill_list calls that returned an error
  Bytes scratch_bytes;                    // "Xen scratch" address space taken (never given back)
  Bytes memmap_bytes;                     // vmemmap RAM spent on struct pages (memremap_pages)
  std::uint64_t pages_seeded = 0;         // extra-memory pages pushed at init
  std::uint64_t pages_on_list = 0;        // list_count
  std::uint64_t pages_handed_out = 0;     // currently held by callers
  // ZONE_DEVICE pages handed out after sitting on the list through page->lru (before ee32f32335e8,
  // 5.10-rc8): lru.next overlays page->pgmap, so list_del() left LIST_POISON1 (0xdead000000000100)
  // there, and a later page->pgmap reader faults on it (reference S1, nvme_map_data).
  std::uint64_t pgmap_clobbered_pages = 0;
  std::vector<AddrRange> scratch_ranges;  // one per fill, in allocation order
};

// Contract: alloc(nr) gives exactly nr pages or an error and changes nothing visible to callers on
// error (no partial success); it may grow the list by whole sections first. free() pushes pages back
// (LIFO). Both serialise on list_lock (a KMutex), so a fill blocks every other caller. A KernelBug is
// thrown where the simulated kernel would BUG().
class UnpopulatedAllocator {
 public:
  UnpopulatedAllocator(KernelEnv& env, UnpopulatedConfig config);

  // early_initcall(unpopulated_init) (5.17+): asks the arch for target_resource. Before 5.17 the target
  // is always iomem_resource. Call once at boot, before seed_extra_memory().
  void init_target();
  // False when 5.17+ found no target (Arm without extended regions, ACPI): the caller must then use
  // ballooned pages (xen_alloc_unpopulated_pages' run-time fallback).
  bool has_target() const { return target_.has_value(); }

  // The boot-time seeding of xen_extra_mem (5.9-5.17 PV subsys_initcall, or the x86 6.10+ arch hook
  // for every guest). Returns the regions left for the balloon (all of them when this version does
  // not seed; none when it did). `seeded_pages` receives how many pages went to the list.
  std::vector<PfnExtent> seed_extra_memory(std::span<const PfnExtent> extra, std::uint64_t* seeded_pages = nullptr);

  KResult<std::vector<Pfn>> alloc(std::uint32_t nr_pages);
  void free(std::span<const Pfn> pages);

  // Fault injection (sim/): called once per fill_list; returning true makes the pgmap kzalloc fail.
  void set_pgmap_alloc_fault(std::function<bool()> hook) { pgmap_fault_ = std::move(hook); }

  const UnpopulatedStats& stats() const { return stats_; }
  // list_lock is held: the list and its counters may be mid-update.
  bool busy() const { return list_lock_->is_locked(); }
  const UnpopulatedConfig& config() const { return config_; }
  const PageStack& list() const { return list_; }
  void share_hotplug_lock(MemHotplugLock& l) { hotplug_lock_ = &l; }

 private:
  bool is_zone_device(Pfn p) const;
  // fill_list(nr_pages): called with list_lock held. 0 on success (or, in the bug window, when the
  // pgmap allocation failed), else a kernel error.
  Errno fill_list(std::uint64_t nr_pages);

  KernelEnv& env_;
  UnpopulatedConfig config_;
  std::unique_ptr<KMutex> list_lock_;
  std::optional<ResourceTarget> target_ = ResourceTarget::iomem;
  PageStack list_;
  UnpopulatedStats stats_;
  std::function<bool()> pgmap_fault_;
  MemHotplugLock own_hotplug_lock_;
  MemHotplugLock* hotplug_lock_ = &own_hotplug_lock_;
};

}  // namespace gm
