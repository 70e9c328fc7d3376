// Guest: wires the address-space models together in the kernel's boot order and answers the
// GuestKernel calls the Xen drivers make (drivers/xen/unpopulated-alloc.c, balloon.c callers).
#include "models/guest.h"

#include <algorithm>

#include "models/x86_resource.h"

namespace gm {
namespace {

std::uint64_t ram_end_pfn(const GuestLayout& l) {
  std::uint64_t end = 0;
  for (const auto& x : l.e820.ram_extents()) end = std::max(end, x.end().value);
  return end;
}

// region_intersects(): every top-level sibling (and, for System RAM nested below, its subtree) is
// looked at; the list is not assumed sorted (kernel/resource.c@v6.1).
bool intersects_system_ram(const ResourceTree& t, ResourceTree::Id id, AddrRange range) {
  for (auto k : t.children(id)) {
    const auto& n = t.node(k);
    if (!n.range.overlaps(range)) continue;
    if (n.flags & kResSystemRam) return true;
    if (intersects_system_ram(t, k, range)) return true;
  }
  return false;
}

unsigned imported_flags(const IomemEntry& e) { return kResBusy | (e.name == kSystemRamName ? kResSystemRam : 0u); }

}  // namespace

Guest::Guest(GuestConfig cfg, PageAllocator& alloc)
    : cfg_(std::move(cfg)),
      alloc_(alloc),
      geo_(section_geometry(cfg_.arch, cfg_.page_shift, cfg_.kernel)),
      layout_(build_guest_layout(cfg_)),
      iomem_({PhysAddr{0}, PhysAddr{(std::uint64_t{1} << cfg_.phys_bits) - 1}}, "PCI mem"),
      hotplug_(geo_,
               memory_block_size(cfg_.arch, geo_, pfn_to_addr(Pfn{ram_end_pfn(layout_)}), /*hypervisor=*/true,
                                 cfg_.kernel),
               gm::pluggable_range(cfg_.physmem_bits)),
      devmem_(cfg_.type == GuestType::pv, gm::pluggable_range(cfg_.physmem_bits),
              [this](AddrRange r) { return intersects_system_ram(iomem_, ResourceTree::kRoot, r); }) {
  if (cfg_.iomem)
    iomem_.import_walk(*cfg_.iomem, imported_flags);  // every line, in the kernel's sibling order
  else if (is_x86(cfg_.arch))
    e820_reserve_resources(iomem_, layout_.e820);
  else
    for (const auto& e : layout_.e820.entries())  // Arm: memblock RAM banks as "System RAM"
      iomem_.insert_conflict(ResourceTree::kRoot, e820_resource_name(e.type), e.range, kResBusy | kResSystemRam);
  if (is_x86(cfg_.arch)) iomem_.set_clip_hook(x86_remove_reservations_hook(layout_.e820, cfg_.pci_use_e820));

  // arch/arm/xen/enlighten.c@v5.17 arch_xen_unpopulated_init(): DT only, sorted disjoint regions.
  if (!is_x86(cfg_.arch) && !cfg_.acpi && cfg_.kernel.at_least("5.17") && !cfg_.extended_regions.empty()) {
    auto regs = cfg_.extended_regions;
    bool ok = true;
    for (std::size_t i = 1; i < regs.size(); ++i) ok = ok && regs[i - 1].end < regs[i].start;
    if (ok) {
      ext_.emplace(AddrRange{regs.front().start, regs.back().end}, "Xen unused space");
      for (std::size_t i = 1; i < regs.size(); ++i)
        if (regs[i - 1].end.value + 1 < regs[i].start.value)
          ext_->request(ResourceTree::kRoot, "Unavailable space",
                        {PhysAddr{regs[i - 1].end.value + 1}, PhysAddr{regs[i].start.value - 1}}, kResBusy);
    }
  }

  if (cfg_.type == GuestType::pv) {
    p2m_ = std::make_unique<P2m>(p2m_size_pages(layout_.max_p2m_pfn, cfg_.kernel, cfg_.memory_hotplug,
                                                cfg_.balloon_hotplug, cfg_.hotplug_limit_gib));
    for (const auto& x : layout_.managed_ram()) p2m_->boot_set(x, P2mState::mapped);
    for (const auto& x : layout_.identity) p2m_->boot_set(x, P2mState::identity);
    if (p2m_->size() > layout_.max_p2m_pfn.value)
      p2m_->boot_set({layout_.max_p2m_pfn, p2m_->size() - layout_.max_p2m_pfn.value}, P2mState::identity);
  }

  hotplug_.set_online_page_callback([this](Pfn first, unsigned order) {
    std::uint64_t n = std::uint64_t{1} << order;
    alloc_.add_reserved_range({first, n});
    if (online_page_) {
      online_page_(first, order);
    } else {  // generic_online_page(): straight to the buddy allocator
      for (std::uint64_t i = 0; i < n; ++i) alloc_.free_reserved_page(first + i);
    }
  });
}

Guest::~Guest() = default;

ResourceTree& Guest::tree_for(ResourceTarget t) {
  return t == ResourceTarget::extended_regions && ext_ ? *ext_ : iomem_;
}

KResult<AddrRange> Guest::allocate_resource(ResourceTarget target, std::string_view name, bool system_ram, Bytes size,
                                            AddrRange bounds, Bytes align) {
  if (target == ResourceTarget::extended_regions && !ext_) return Errno::einval;
  ResourceTree& tree = tree_for(target);
  unsigned flags = kResBusy | (system_ram ? kResSystemRam : 0u);
  auto id = tree.allocate(ResourceTree::kRoot, name, flags, size, bounds, align);
  if (!id) return id.error();
  AddrRange r = tree.node(id.value()).range;
  if (&tree == &iomem_ && name == kXenScratchName) scratch_ += r.size();
  return r;
}

Errno Guest::request_iomem(std::string_view name, AddrRange range) {
  auto id = iomem_.request(ResourceTree::kRoot, name, range, kResBusy);
  if (!id) return id.error();
  if (name == kXenScratchName) scratch_ += range.size();
  return Errno::ok;
}

void Guest::release_resource(AddrRange range) {
  for (ResourceTree* t : {&iomem_, ext_ ? &*ext_ : nullptr}) {
    if (!t) continue;
    if (auto id = t->find(ResourceTree::kRoot, range)) {
      if (t == &iomem_ && t->node(*id).name == kXenScratchName) scratch_ -= range.size();
      t->release(*id);
      return;
    }
  }
}

AddrRange Guest::pluggable_range() const { return gm::pluggable_range(cfg_.physmem_bits); }

std::optional<ResourceTarget> Guest::unpopulated_target() const {
  if (is_x86(cfg_.arch) || !cfg_.kernel.at_least("5.17")) return ResourceTarget::iomem;
  if (ext_) return ResourceTarget::extended_regions;
  return std::nullopt;  // Arm with ACPI or without extended regions: ballooned pages
}

KResult<MemremapCost> Guest::memremap_pages(AddrRange range) { return devmem_.memremap_pages(range, alloc_); }

Errno Guest::set_phys_to_machine_invalid(PfnExtent range) {
  return p2m_ ? p2m_->set_invalid(range, alloc_) : Errno::ok;
}

Errno Guest::alloc_p2m_entry(Pfn pfn) { return p2m_ ? p2m_->alloc_entry(pfn, alloc_) : Errno::ok; }

std::optional<Pfn> Guest::alloc_page(Gfp gfp) { return alloc_.alloc_pages(0, gfp); }
void Guest::free_reserved_page(Pfn pfn) { alloc_.free_reserved_page(pfn); }
void Guest::adjust_managed_page_count(Pfn pfn, std::int64_t delta) { alloc_.adjust_managed_page_count(pfn, delta); }
std::uint64_t Guest::si_mem_available() const { return alloc_.si_mem_available(); }
std::uint64_t Guest::totalreserve_pages() const { return alloc_.totalreserve_pages(); }

std::uint64_t Guest::num_physpages() const {
  std::uint64_t n = 0;
  for (const auto& x : layout_.e820.ram_extents()) n += x.count;
  return n + hotplug_.online_pages();
}

Errno Guest::add_memory_resource(AddrRange range, MemremapCost* out) {
  if (Errno e = hotplug_.check(range); e != Errno::ok) return e;
  // arch_add_memory(): without MHP_MEMMAP_ON_MEMORY the vmemmap comes from existing RAM.
  std::uint64_t pages = range.size().value >> kPageShift;
  bool pv = cfg_.type == GuestType::pv;
  auto cost = populate_vmemmap(pages, !pv, alloc_, pv ? pv_direct_map_pte_pages(pages) : 0);
  if (!cost) return cost.error();
  hotplug_vmemmap_.vmemmap_pages += cost->vmemmap_pages;
  hotplug_vmemmap_.order9_blocks += cost->order9_blocks;
  hotplug_vmemmap_.order0_pages += cost->order0_pages;
  hotplug_vmemmap_.pte_pages += cost->pte_pages;
  if (out) {
    *out = cost.value();
    out->memory_blocks = range.size().value / hotplug_.block_size().value;
  }
  hotplug_.add(range);
  hot_added_.push_back(range);
  if (cfg_.auto_online) hotplug_.online(range);
  return Errno::ok;
}

void Guest::set_online_page_callback(std::function<void(Pfn first, unsigned order)> cb) {
  online_page_ = std::move(cb);
}

void Guest::register_memory_notifier(std::function<void(MemEvent)> cb) { hotplug_.register_notifier(std::move(cb)); }

void Guest::reserve_resources_late() {
  if (late_done_) return;
  late_done_ = true;
  if (!cfg_.iomem && is_x86(cfg_.arch)) {
    e820_reserve_resources_late(iomem_, layout_.e820);
    // insert_resource_expand_to_fit() makes a late e820 entry the parent of any scratch range taken
    // inside it before (only possible without the e820 clip, "pci=no_e820"; reference S15).
    for (const auto& e : layout_.e820.entries())
      if (e.type != E820Type::ram && e.range.start.value >= (std::uint64_t{1} << 20))
        record_overlaps(e820_resource_name(e.type), e.range, "nested");
  }
}

bool Guest::is_claimed_ram(const ResourceTree::Node& n) const {
  if (n.name == kXenScratchName) return true;
  if (n.name != kSystemRamName) return false;
  return std::any_of(hot_added_.begin(), hot_added_.end(), [&](const AddrRange& r) { return r.overlaps(n.range); });
}

void Guest::record_overlaps(std::string_view what, AddrRange range, std::string_view outcome) {
  // Every scratch or hot-added range the claimant now nests over or under.
  for (const auto& e : iomem_.walk()) {
    if (!e.range.overlaps(range) || e.name == what) continue;
    ResourceTree::Id c = iomem_.find_container(e.range);
    const auto& n = iomem_.node(c);
    if (n.range == e.range && is_claimed_ram(n))
      conflicts_.push_back({std::string(what), range, n.name, n.range, std::string(outcome)});
  }
}

Errno Guest::add_pci_window(std::string_view name, AddrRange range) {
  ResourceTree::Id id = 0;
  auto c = iomem_.insert_conflict(ResourceTree::kRoot, name, range, kResMem, &id);
  if (c) {
    // "ignoring host bridge window %pR (conflicts with %s %pR)", arch/x86/pci/acpi.c
    const auto& n = iomem_.node(*c);
    conflicts_.push_back({std::string(name), range, n.name, n.range, "rejected"});
    return Errno::ebusy;
  }
  windows_.push_back(id);
  record_overlaps(name, range, "nested");
  return Errno::ok;
}

Errno Guest::add_pci_bar(std::string_view name, AddrRange range) {
  // pci_find_parent_resource(): the window holding the BAR; iomem itself when the root bus has none.
  ResourceTree::Id parent = ResourceTree::kRoot;
  for (auto w : windows_) {
    const auto& n = iomem_.node(w);
    if (n.live && n.range.start <= range.start && range.end <= n.range.end) parent = w;
  }
  auto c = iomem_.request_conflict(parent, name, range, kResMem | kResBusy);
  if (c) {
    // "can't claim BAR %d %pR: address conflict with %s %pR", drivers/pci/setup-res.c
    const auto& n = iomem_.node(*c);
    conflicts_.push_back({std::string(name), range, n.name, n.range, "rejected"});
    return Errno::ebusy;
  }
  return Errno::ok;
}

std::uint64_t Guest::online_memory(AddrRange range) { return hotplug_.online(range); }

Bytes Guest::memmap_bytes() const {
  return pages_to_bytes(devmem_.total_cost().vmemmap_pages + hotplug_vmemmap_.vmemmap_pages);
}

Bytes Guest::pagetable_bytes() const {
  std::uint64_t p = devmem_.total_cost().pte_pages + hotplug_vmemmap_.pte_pages;
  if (p2m_) p += p2m_->leaf_pages_allocated();
  return pages_to_bytes(p);
}

}  // namespace gm
