// Contract of "the rest of the kernel" as drivers/xen sees it: resource tree, sparse/hotplug,
// memremap (ZONE_DEVICE), p2m and the page allocator, behind one interface. The Xen driver code
// (models/xen/) calls only this; models/guest.h implements it over the real models, and driver
// unit tests use a small double. Every operation returns the kernel's own error code.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "models/arch.h"
#include "models/gfp.h"
#include "models/kerrno.h"
#include "models/units.h"

namespace gm {

// Which root allocate_resource() searches (unpopulated-alloc.c target_resource, 5.17+).
enum class ResourceTarget {
  iomem,             // &iomem_resource (x86, and Arm before 5.17)
  extended_regions,  // Arm "Xen unused space" built from Xen's extended regions (5.17+)
};

// What memremap_pages() cost in guest RAM (mm/memremap.c, arch vmemmap populate).
struct MemremapCost {
  std::uint64_t vmemmap_pages = 0;    // struct page backing: 64 B per 4 KiB page
  std::uint64_t order9_blocks = 0;    // vmemmap served as 2 MiB blocks (PSE)
  std::uint64_t order0_pages = 0;     // vmemmap served as base pages (PV, or order-9 fallback)
  std::uint64_t pte_pages = 0;        // direct-map page-table pages (PV: 4 KiB PTEs)
  std::uint64_t pages_initialised = 0;  // memmap_init_zone_device work (one per device page)
  std::uint64_t memory_blocks = 0;      // memory block devices created (add_memory_resource only)
};

// Memory hotplug notifications (include/linux/memory.h).
enum class MemEvent { going_online, online, going_offline, offline };

class GuestKernel {
 public:
  virtual ~GuestKernel() = default;

  // --- who we are ---
  virtual GuestType guest_type() const = 0;
  virtual bool is_dom0() const = 0;
  bool is_pv() const { return guest_type() == GuestType::pv; }
  virtual std::uint64_t pages_per_section() const = 0;  // PAGES_PER_SECTION for arch/page size/version

  // --- kernel/resource.c ---
  // allocate_resource(target, res{name, flags}, size, min, max, align): first fit over the target's
  // direct children, x86 arch_remove_reservations clip applied. -EBUSY when nothing fits.
  virtual KResult<AddrRange> allocate_resource(ResourceTarget target, std::string_view name, bool system_ram,
                                               Bytes size, AddrRange bounds, Bytes align) = 0;
  // request_resource(&iomem_resource, ...): -EBUSY on a conflict with a top-level sibling.
  virtual Errno request_iomem(std::string_view name, AddrRange range) = 0;
  virtual void release_resource(AddrRange range) = 0;
  // mhp_get_pluggable_range(need_mapping=true).
  virtual AddrRange pluggable_range() const = 0;
  // Whether arch_xen_unpopulated_init() gives a target (5.17+): NULL on Arm without extended regions.
  virtual std::optional<ResourceTarget> unpopulated_target() const = 0;

  // --- mm/memremap.c: memremap_pages(MEMORY_DEVICE_GENERIC) for one range ---
  virtual KResult<MemremapCost> memremap_pages(AddrRange range) = 0;

  // --- arch/x86/xen/p2m.c (PV only) ---
  virtual Errno set_phys_to_machine_invalid(PfnExtent range) = 0;
  virtual Errno alloc_p2m_entry(Pfn pfn) = 0;

  // --- mm/page_alloc.c ---
  virtual std::optional<Pfn> alloc_page(Gfp gfp) = 0;
  virtual void free_reserved_page(Pfn pfn) = 0;
  // adjust_managed_page_count(page, delta): zone managed_pages and totalram_pages (mm/page_alloc.c@v6.1).
  virtual void adjust_managed_page_count(Pfn pfn, std::int64_t delta) = 0;
  virtual std::uint64_t si_mem_available() const = 0;
  virtual std::uint64_t totalreserve_pages() const = 0;
  virtual std::uint64_t num_physpages() const = 0;  // get_num_physpages()

  // --- mm/memory_hotplug.c ---
  // add_memory_resource() for a range allocate_resource() gave as "System RAM". -EINVAL when
  // unaligned to the memory-block size; onlining may happen now (auto-online) or later.
  // `cost`, when given, receives what arch_add_memory() took (vmemmap, page tables) and the number of
  // memory block devices created, for the caller to charge (models/xen/hotplug_steps.h).
  virtual Errno add_memory_resource(AddrRange range, MemremapCost* cost = nullptr) = 0;
  virtual bool auto_online() const = 0;
  // online_pages() calls this per buddy-aligned chunk instead of freeing to the buddy allocator.
  virtual void set_online_page_callback(std::function<void(Pfn first, unsigned order)> cb) = 0;
  virtual void register_memory_notifier(std::function<void(MemEvent)> cb) = 0;
};

// BUG_ON(): the simulated kernel crashed. Driver code throws it; sim/ records a guest crash and
// stops that guest (the guestmem process itself does not crash).
struct KernelBug {
  std::string what;  // e.g. "BUG_ON(!pg) in xen_alloc_unpopulated_pages"
};

}  // namespace gm
