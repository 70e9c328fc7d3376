// The simulated guest kernel's address space: e820, iomem tree, hotplug, ZONE_DEVICE and p2m models
// behind the GuestKernel interface the Xen driver code calls (models/guest_kernel.h).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "models/e820.h"
#include "models/guest_kernel.h"
#include "models/guest_layout.h"
#include "models/hotplug.h"
#include "models/memremap.h"
#include "models/p2m.h"
#include "models/page_allocator.h"
#include "models/resource_tree.h"
#include "models/sparse.h"

namespace gm {

inline constexpr std::string_view kXenScratchName = "Xen scratch";  // drivers/xen/unpopulated-alloc.c
inline constexpr std::string_view kSystemRamName = "System RAM";

// Contract: construction runs the boot setup (layout, e820__reserve_resources, or the imported
// iomem); sim/ calls reserve_resources_late() once the boot-time PCI windows are in (the kernel's
// pcibios_resource_survey order), and add_pci_window()/add_pci_bar() whenever a window or BAR
// appears. The PageAllocator must outlive the Guest and is the one the kernel uses for its RAM
// (build it over build_guest_layout(cfg).managed_ram()).
class Guest : public GuestKernel {
 public:
  Guest(GuestConfig cfg, PageAllocator& alloc);
  ~Guest() override;
  Guest(const Guest&) = delete;  // the clip hook refers to this guest's e820
  Guest& operator=(const Guest&) = delete;

  // --- GuestKernel ---
  GuestType guest_type() const override { return cfg_.type; }
  bool is_dom0() const override { return cfg_.dom0; }
  std::uint64_t pages_per_section() const override { return geo_.pages_per_section(); }
  KResult<AddrRange> allocate_resource(ResourceTarget target, std::string_view name, bool system_ram, Bytes size,
                                       AddrRange bounds, Bytes align) override;
  Errno request_iomem(std::string_view name, AddrRange range) override;
  void release_resource(AddrRange range) override;
  AddrRange pluggable_range() const override;
  std::optional<ResourceTarget> unpopulated_target() const override;
  KResult<MemremapCost> memremap_pages(AddrRange range) override;
  Errno set_phys_to_machine_invalid(PfnExtent range) override;
  Errno alloc_p2m_entry(Pfn pfn) override;
  std::optional<Pfn> alloc_page(Gfp gfp) override;
  void free_reserved_page(Pfn pfn) override;
  void adjust_managed_page_count(Pfn pfn, std::int64_t delta) override;
  std::uint64_t si_mem_available() const override;
  std::uint64_t totalreserve_pages() const override;
  std::uint64_t num_physpages() const override;
  Errno add_memory_resource(AddrRange range, MemremapCost* cost = nullptr) override;
  bool auto_online() const override { return cfg_.auto_online; }
  void set_online_page_callback(std::function<void(Pfn first, unsigned order)> cb) override;
  void register_memory_notifier(std::function<void(MemEvent)> cb) override;

  // --- events sim/ schedules ---
  // e820__reserve_resources_late(): deferred e820 entries and "RAM buffer" rounding. Idempotent.
  void reserve_resources_late();
  // A PCI host-bridge window appears (ACPI _CRS): insert_resource() at top level. -EBUSY when it
  // partially overlaps a resource ("ignoring host bridge window"); overlap with "Xen scratch" or
  // hot-added RAM (rejected or nested) is recorded in conflicts().
  Errno add_pci_window(std::string_view name, AddrRange range);
  // A BAR is claimed (pci_claim_resource): request_resource() in the window holding it (iomem root
  // when none). -EBUSY and a conflict record when it collides ("address conflict with ...").
  Errno add_pci_bar(std::string_view name, AddrRange range);
  // Memory hotplug onlining later (auto_online off, udev rule or an admin): online_pages() on the
  // offline blocks of `range`; returns the pages onlined.
  std::uint64_t online_memory(AddrRange range);
  // xen.faults: the next `n` p2m leaf allocations (PV; no effect on other guests, which have no
  // p2m in the guest) / memremap_pages() calls fail with -ENOMEM.
  void inject_p2m_alloc_faults(std::uint64_t n) {
    if (p2m_) p2m_->fail_next_leaf_allocs(n);
  }
  void inject_memremap_faults(std::uint64_t n) { devmem_.fail_next(n); }

  // --- the report's address_space section ---
  std::vector<IomemEntry> iomem_walk() const { return iomem_.walk(); }
  const std::vector<ResourceConflict>& conflicts() const { return conflicts_; }
  Bytes scratch_bytes() const { return scratch_; }
  Bytes memmap_bytes() const;       // vmemmap backing struct pages (ZONE_DEVICE and hot-added memory)
  Bytes pagetable_bytes() const;    // direct-map/vmemmap PTE pages and p2m leaves charged at run time
  Bytes hotplugged_bytes() const { return hotplug_.added_bytes(); }

  // --- state for sim/ and the drivers ---
  const GuestConfig& config() const { return cfg_; }
  const GuestLayout& layout() const { return layout_; }
  const E820Table& e820() const { return layout_.e820; }
  const ResourceTree& iomem() const { return iomem_; }
  const MemoryHotplug& hotplug() const { return hotplug_; }
  const DeviceMemory& device_memory() const { return devmem_; }
  const P2m* p2m() const { return p2m_.get(); }  // PV only
  SectionGeometry sections() const { return geo_; }
  const std::vector<PfnExtent>& xen_extra_mem() const { return layout_.extra_mem; }

 private:
  ResourceTree& tree_for(ResourceTarget t);
  void record_overlaps(std::string_view what, AddrRange range, std::string_view outcome);
  bool is_claimed_ram(const ResourceTree::Node& n) const;

  GuestConfig cfg_;
  PageAllocator& alloc_;
  SectionGeometry geo_;
  GuestLayout layout_;
  ResourceTree iomem_;
  std::optional<ResourceTree> ext_;  // Arm "Xen unused space"
  MemoryHotplug hotplug_;
  DeviceMemory devmem_;
  std::unique_ptr<P2m> p2m_;
  std::vector<ResourceConflict> conflicts_;
  std::vector<AddrRange> hot_added_;
  std::vector<ResourceTree::Id> windows_;
  Bytes scratch_{};
  MemremapCost hotplug_vmemmap_{};
  std::function<void(Pfn, unsigned)> online_page_;
  bool late_done_ = false;
};

}  // namespace gm
