// ZONE_DEVICE memremap_pages() for MEMORY_DEVICE_GENERIC (mm/memremap.c pagemap_range) and the
// vmemmap/direct-map RAM it costs, charged to the guest's page allocator.
#pragma once

#include <functional>
#include <vector>

#include "models/guest_kernel.h"
#include "models/kerrno.h"
#include "models/page_allocator.h"
#include "models/units.h"

namespace gm {

inline constexpr std::uint64_t kStructPageBytes = 64;  // sizeof(struct page) on x86_64

// vmemmap_populate() for `pages` struct pages, arch/x86/mm/init_64.c@v6.12: with PSE, one order-9
// block (PMD_SIZE of vmemmap = 32768 struct pages) per 2 MiB, falling back to 512 order-0 pages plus a
// PTE page when the block cannot be had; without PSE (Xen PV) order-0 pages plus one PTE page per 512
// of them. `direct_map_pte_pages` more order-0 pages are taken for the direct map (PV). On failure
// everything taken is given back and the result is -ENOMEM.
KResult<MemremapCost> populate_vmemmap(std::uint64_t pages, bool pse, PageAllocator& alloc,
                                       std::uint64_t direct_map_pte_pages = 0);

// Contract: keeps the set of pgmap ranges; memremap_pages() applies pagemap_range()'s checks in
// kernel order and charges the RAM: -ENOMEM on a pgmap conflict at start or end, -ENXIO when the
// range intersects System RAM (region_intersects != REGION_DISJOINT), -EINVAL outside the pluggable
// range (mhp_range_allowed), -ENOMEM when vmemmap cannot be allocated.
class DeviceMemory {
 public:
  using RamQuery = std::function<bool(AddrRange)>;  // true when the range intersects System RAM

  DeviceMemory(bool pv, AddrRange pluggable, RamQuery intersects_system_ram)
      : pv_(pv), pluggable_(pluggable), intersects_ram_(std::move(intersects_system_ram)) {}

  KResult<MemremapCost> memremap_pages(AddrRange range, PageAllocator& alloc);
  // Fault injection (xen.faults memremap): the next `n` calls that pass the range checks fail with
  // -ENOMEM where pagemap_range()'s arch_add_memory() would (mm/memremap.c@v6.1), mapping nothing.
  void fail_next(std::uint64_t n) { fail_next_ += n; }

  const std::vector<AddrRange>& pgmaps() const { return pgmaps_; }
  const MemremapCost& total_cost() const { return total_; }

 private:
  bool pv_;
  AddrRange pluggable_;
  RamQuery intersects_ram_;
  std::vector<AddrRange> pgmaps_;
  MemremapCost total_;
  std::uint64_t fail_next_ = 0;
};

// PV direct map with 4 KiB PTEs: one PTE page per 512 pages mapped (64 per 128 MiB section).
constexpr std::uint64_t pv_direct_map_pte_pages(std::uint64_t pages) { return (pages + 511) / 512; }

}  // namespace gm
