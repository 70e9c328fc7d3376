#include "models/xen/unpopulated_alloc.h"

#include <algorithm>
#include <mutex>

namespace gm {

UnpopulatedAllocator::UnpopulatedAllocator(KernelEnv& env, UnpopulatedConfig config)
    : env_(env), config_(config), list_lock_(env.create_mutex("list_lock")) {}

void UnpopulatedAllocator::init_target() {
  // unpopulated-alloc.c@d1a928eac729: early_initcall(unpopulated_init) -> arch_xen_unpopulated_init();
  // on error target_resource stays NULL and xen_alloc_unpopulated_pages() uses ballooned pages.
  // Before 5.17 fill_list() always allocates from &iomem_resource.
  target_ = config_.target_resource ? env_.kernel().unpopulated_target() : std::optional{ResourceTarget::iomem};
}

std::vector<PfnExtent> UnpopulatedAllocator::seed_extra_memory(std::span<const PfnExtent> extra,
                                                               std::uint64_t* seeded_pages) {
  GuestKernel& k = env_.kernel();
  // unpopulated-alloc.c@9e2369c06c8a init(): PV only, every xen_extra_mem page pushed one by one.
  // arch/x86/xen/enlighten.c@a6aa4eb994ee arch_xen_unpopulated_init(): any guest type, then n_pfns = 0.
  bool seeds = (config_.pv_extra_mem_init && k.is_pv()) || config_.x86_arch_hook_extra_mem;
  std::uint64_t n = 0;
  if (seeds) {
    std::lock_guard lock(*list_lock_);
    for (const PfnExtent& e : extra) {
      list_.push_ascending(e);
      n += e.count;
    }
    env_.charge(Work::list_op_page, n);
    stats_.pages_seeded += n;
    stats_.pages_on_list = list_.size();
  }
  if (seeded_pages) *seeded_pages = n;
  if (seeds) return {};
  return {extra.begin(), extra.end()};
}

Errno UnpopulatedAllocator::fill_list(std::uint64_t nr_pages) {
  GuestKernel& k = env_.kernel();
  ++stats_.fills;
  const std::uint64_t pps = k.pages_per_section();
  // round_up(nr_pages, PAGES_PER_SECTION): nr_pages is the deficit, the quantum a whole section.
  const std::uint64_t alloc_pages = (nr_pages + pps - 1) / pps * pps;
  const Bytes size = pages_to_bytes(alloc_pages);
  const bool pgmap_fails = pgmap_fault_ && pgmap_fault_();
  auto fail = [&](Errno e) {
    ++stats_.fill_failures;
    return e;
  };

  // 5.9 / 5.10: pgmap (holding or preceding res) is allocated first: -ENOMEM before any resource.
  if (config_.pgmap_before_resource && pgmap_fails) return fail(Errno::enomem);

  // allocate_resource(target, "Xen scratch" MEM|BUSY, size, mhp_range or [0, -1], section align).
  const AddrRange bounds = config_.target_resource ? k.pluggable_range() : AddrRange{{0}, {~std::uint64_t{0}}};
  env_.charge(Work::resource_alloc, 1);
  KResult<AddrRange> res = k.allocate_resource(*target_, "Xen scratch", false, size, bounds, pages_to_bytes(pps));
  if (!res) return fail(res.error());  // "Cannot allocate new IOMEM resource"
  const AddrRange range = res.value();

  // unpopulated-alloc.c@d1a928eac729: a range from the Xen resource is duplicated into iomem_resource.
  const bool duplicated = *target_ != ResourceTarget::iomem;
  if (duplicated) {
    env_.charge(Work::resource_alloc, 1);
    if (Errno e = k.request_iomem("Xen scratch", range); e != Errno::ok) {  // "Cannot request resource"
      k.release_resource(range);
      return fail(e);
    }
  }
  // Error unwind: the iomem copy first, then the resource in the target (reference §2.3 step 10).
  auto unwind = [&] {
    if (duplicated) k.release_resource(range);
    k.release_resource(range);
  };

  if (!config_.pgmap_before_resource && pgmap_fails) {
    unwind();
    // dbc03e81586f: before the fix `ret` was still 0 from allocate_resource() here.
    if (config_.fill_list_enomem_bug) {
      ++stats_.fill_failures;
      return Errno::ok;
    }
    return fail(Errno::enomem);
  }

  // PV: the p2m of the whole range is set to INVALID first; on failure the entries already written
  // are not restored ("set_phys_to_machine() failed, no memory added").
  if (k.is_pv()) {
    env_.charge(Work::p2m_update_page, alloc_pages);
    if (k.set_phys_to_machine_invalid({addr_to_pfn(range.start), alloc_pages}) != Errno::ok) {
      unwind();
      return fail(Errno::enomem);
    }
  }

  // memremap_pages() -> pagemap_range() (mm/memremap.c@v6.1): under mem_hotplug_begin() the
  // vmemmap and direct map (arch_add_memory) and the ZONE_DEVICE span (move_pfn_range_to_zone, whose
  // memmap_init_range() returns at once for ZONE_DEVICE without an altmap); after mem_hotplug_done()
  // memmap_init_zone_device() initialises every struct page. The same steps and prices as the
  // balloon's add_memory_resource() (models/xen/hotplug_steps.h).
  const SimTime hot_add_start = env_.now();
  hotplug_lock_->begin(env_);
  KResult<MemremapCost> mapped = k.memremap_pages(range);
  if (!mapped) {  // "Cannot remap memory range"
    hotplug_lock_->done(env_);
    unwind();
    return fail(mapped.error());
  }
  charge_arch_add_memory(env_, mapped.value(), alloc_pages, /*pse=*/!k.is_pv());
  charge_step(env_, HotplugStep::move_pfn_range_to_zone, {{Work::spin_lock, 1}});
  hotplug_lock_->done(env_);
  charge_step(env_, HotplugStep::memmap_init, {{Work::memmap_init_page, mapped->pages_initialised}});
  env_.step_done(std::string(kHotAddSpanPrefix) + "memremap_pages", hot_add_start);

  // Pages are pushed in address order, so the last page of the section ends up on top.
  list_.push_ascending({addr_to_pfn(range.start), alloc_pages});
  env_.charge(Work::list_op_page, alloc_pages);

  stats_.sections_added += alloc_pages / pps;
  stats_.scratch_bytes += size;
  stats_.memmap_bytes += pages_to_bytes(mapped->vmemmap_pages);
  stats_.scratch_ranges.push_back(range);
  return Errno::ok;
}

KResult<std::vector<Pfn>> UnpopulatedAllocator::alloc(std::uint32_t nr_pages) {
  if (!target_) return Errno::enodev;  // precondition: the caller falls back to the balloon (5.17+)
  GuestKernel& k = env_.kernel();
  std::lock_guard lock(*list_lock_);
  if (list_.size() < nr_pages) {
    if (Errno e = fill_list(nr_pages - list_.size()); e != Errno::ok) return e;
  }
  std::vector<Pfn> pages;
  pages.reserve(nr_pages);
  for (std::uint32_t i = 0; i < nr_pages; ++i) {
    std::optional<Pfn> pg = list_.pop();
    if (!pg) {
      // The pages popped so far are gone with the crashed kernel; count them as handed out so the
      // pool accounting still adds up in the post-mortem report.
      stats_.pages_on_list = list_.size();
      stats_.pages_handed_out += pages.size();
      throw KernelBug{
          "BUG_ON(!pg) in xen_alloc_unpopulated_pages: fill_list() returned 0 without adding pages "
          "(unpopulated-alloc.c before dbc03e81586f)"};
    }
    if (!config_.zone_device_data_list && is_zone_device(*pg)) ++stats_.pgmap_clobbered_pages;
    pages.push_back(*pg);
    // PV: xen_alloc_p2m_entry() may need p2m leaf/mid pages; on failure pages[0..i] are pushed back in
    // that order, which reverses them on the list.
    if (k.is_pv()) {
      if (Errno e = k.alloc_p2m_entry(*pg); e != Errno::ok) {
        for (Pfn p : pages) list_.push(p);
        env_.charge(Work::list_op_page, 2 * pages.size());  // the pops and the pushes back
        stats_.pages_on_list = list_.size();
        return e;
      }
    }
  }
  // One charge for the loop's pops (charged per loop, not per page: docs/drivers.md).
  env_.charge(Work::list_op_page, nr_pages);
  stats_.pages_on_list = list_.size();
  stats_.pages_handed_out += nr_pages;
  return pages;
}

bool UnpopulatedAllocator::is_zone_device(Pfn p) const {
  // Pages of a fill_list() section come from memremap_pages() (ZONE_DEVICE); seeded extra memory
  // pages are ordinary RAM pages, whose lru field is free to use.
  const PhysAddr a = pfn_to_addr(p);
  return std::any_of(stats_.scratch_ranges.begin(), stats_.scratch_ranges.end(),
                     [&](const AddrRange& r) { return r.start <= a && a <= r.end; });
}

void UnpopulatedAllocator::free(std::span<const Pfn> pages) {
  // No p2m reset, no zeroing, no region release: the pages only go back on the list.
  std::lock_guard lock(*list_lock_);
  for (Pfn p : pages) list_.push(p);
  env_.charge(Work::list_op_page, pages.size());  // one charge for the loop's pushes
  stats_.pages_on_list = list_.size();
  stats_.pages_handed_out -= pages.size();
}

}  // namespace gm
