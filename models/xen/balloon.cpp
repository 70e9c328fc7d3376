#include "models/xen/balloon.h"

#include <algorithm>

namespace gm {
namespace {

// frame_list[PAGE_SIZE / sizeof(xen_pfn_t)]: one hypercall moves at most 512 frames on 4 KiB pages.
constexpr std::uint64_t kFrameListSize = kPageSize / 8;

}  // namespace

Balloon::Balloon(KernelEnv& env, Hypervisor& hv, BalloonConfig config)
    : env_(env),
      hv_(hv),
      config_(config),
      mutex_(env.create_mutex("balloon_mutex")),
      thread_wq_(env.create_wait_queue("balloon_thread_wq")),
      balloon_wq_(env.create_wait_queue("balloon_wq")),
      boot_wq_(env.create_wait_queue("balloon_wait_finish")) {
  sched_.max_schedule_delay = config_.max_schedule_delay;
  sched_.max_retry_count = config_.max_retry_count;
}

Errno Balloon::init(const BalloonBootInfo& boot, std::span<const PfnExtent> extra_regions) {
  GuestKernel& k = env_.kernel();
  const std::uint64_t physpages = k.num_physpages();
  std::uint64_t current = 0;
  // balloon.c balloon_init(), reference §3.8.
  switch (config_.boot) {
    case BalloonBootAccounting::classic:
      current = k.is_pv() ? std::min(boot.nr_pages - boot.xen_released_pages, boot.max_pfn) : physpages;
      break;
    case BalloonBootAccounting::released:  // 87af633689ce: every guest type
      if (boot.xen_released_pages >= physpages) return Errno::erange;
      current = physpages - boot.xen_released_pages;
      break;
    case BalloonBootAccounting::split_v7:  // 0949c646d646
      if (k.is_pv()) {
        if (boot.xen_released_pages >= boot.nr_pages) return Errno::erange;
        current = std::min(boot.nr_pages - boot.xen_released_pages, boot.max_pfn);
      } else {
        if (boot.xen_unpopulated_pages >= physpages) return Errno::erange;
        current = physpages - boot.xen_unpopulated_pages;
      }
      break;
  }
  stats_ = {};
  stats_.current_pages = stats_.target_pages = stats_.total_pages = current;
  sched_ = {1, config_.max_schedule_delay, 1, config_.max_retry_count};

  if (config_.memory_hotplug) {
    k.set_online_page_callback([this](Pfn first, unsigned order) { online_page(first, order); });
    k.register_memory_notifier([this](MemEvent e) {
      if (e == MemEvent::online) kick();  // xen_memory_notifier: MEM_ONLINE
    });
  }

  // balloon_add_regions(): PV always; x86 from 6.9 for every guest (PVH extra memory).
  if (!k.is_pv() && !config_.extra_regions_any_guest) return Errno::ok;
  for (const PfnExtent& r : extra_regions) {
    if (r.count == 0 || r.first.value >= boot.max_pfn) continue;
    const std::uint64_t end = std::min(boot.max_pfn, r.end().value);  // 'mem=' may cut the region
    const std::uint64_t pages = end - r.first.value;
    if (config_.highmem_start_pfn == UINT64_MAX) {
      list_.push_ascending({r.first, pages});
      stats_.balloon_low += pages;
      balloon_wq_->wake_up();
    } else {
      for (std::uint64_t i = 0; i < pages; ++i) balloon_append(r.first + i);
    }
    switch (config_.boot) {
      case BalloonBootAccounting::classic:
        stats_.total_pages += pages;
        break;
      case BalloonBootAccounting::released:
        if (pages >= stats_.current_pages) return Errno::erange;  // WARN "Extra pages underflow current"
        stats_.current_pages -= pages;
        break;
      case BalloonBootAccounting::split_v7:
        if (pages >= stats_.current_pages || pages >= stats_.target_pages) return Errno::erange;
        stats_.current_pages -= pages;
        stats_.target_pages -= pages;
        break;
    }
  }
  return Errno::ok;
}

void Balloon::set_target(std::uint64_t pages) {
  stats_.target_pages = pages;  // "No need for lock. Not read-modify-write updates."
  kick();
}

void Balloon::on_xenstore_target(std::uint64_t target_kib, std::optional<std::uint64_t> static_max_kib) {
  GuestKernel& k = env_.kernel();
  const std::uint64_t new_target = target_kib >> (kPageShift - 10);
  if (!watch_fired_) {
    watch_fired_ = true;
    const std::uint64_t static_max = static_max_kib ? (*static_max_kib >> (kPageShift - 10)) : new_target;
    // xen-balloon.c watch_target(): only HVM-like domUs (PVH included) start below static-max with the
    // difference held in the PoD cache or unpopulated; PV and dom0 targets are absolute.
    target_diff_ = (k.is_pv() || k.is_dom0())
                       ? 0
                       : static_cast<std::int64_t>(static_max) - static_cast<std::int64_t>(stats_.target_pages);
  }
  set_target(static_cast<std::uint64_t>(static_cast<std::int64_t>(new_target) - target_diff_));
}

void Balloon::balloon_append(Pfn p) {
  // Lowmem is re-populated first, so highmem pages go to the tail.
  if (is_highmem(p)) {
    list_.push_tail(p);
    ++stats_.balloon_high;
  } else {
    list_.push(p);
    ++stats_.balloon_low;
  }
  balloon_wq_->wake_up();
}

std::optional<Pfn> Balloon::balloon_retrieve(bool require_lowmem) {
  std::optional<Pfn> head = list_.peek();
  if (!head || (require_lowmem && is_highmem(*head))) return std::nullopt;
  list_.pop();
  if (is_highmem(*head))
    --stats_.balloon_high;
  else
    --stats_.balloon_low;
  return head;
}

BalloonState Balloon::increase_reservation(std::uint64_t nr_pages) {
  GuestKernel& k = env_.kernel();
  // The frames of the first nr list entries, head first; the hypervisor may do fewer (partial rc).
  const std::vector<Pfn> frames = list_.peek_n(std::min(nr_pages, kFrameListSize));
  const long rc = hv_.populate_physmap(frames);
  ++counters_.populate_physmap.calls;
  if (rc <= 0) return BalloonState::eagain;
  counters_.populate_physmap.frames += static_cast<std::uint64_t>(rc);
  for (long i = 0; i < rc; ++i) {
    std::optional<Pfn> p = balloon_retrieve(false);
    if (!p) throw KernelBug{"BUG_ON(page == NULL) in increase_reservation"};
    k.free_reserved_page(*p);  // relinquish the page back to the allocator
  }
  // The loop's CPU time as one stretch, per page: free_reserved_page, and on PV
  // xenmem_reservation_va_mapping_update (p2m + update_va_mapping).
  const auto n = static_cast<std::uint64_t>(rc);
  const std::uint64_t pv = k.is_pv() ? n : 0;
  env_.charge_batch({{Work::page_alloc, n}, {Work::p2m_update_page, pv}, {Work::va_mapping_update, pv}});
  stats_.current_pages += static_cast<std::uint64_t>(rc);
  return BalloonState::done;
}

BalloonState Balloon::decrease_reservation(std::uint64_t nr_pages, Gfp gfp) {
  GuestKernel& k = env_.kernel();
  BalloonState state = BalloonState::done;
  nr_pages = std::min(nr_pages, kFrameListSize);
  std::vector<Pfn> pages;
  pages.reserve(nr_pages);
  for (std::uint64_t i = 0; i < nr_pages; ++i) {
    std::optional<Pfn> p = k.alloc_page(gfp);
    if (!p) {
      state = BalloonState::eagain;
      break;
    }
    // The page leaves the allocator's managed count until increase_reservation() gives it back with
    // free_reserved_page() (+1). drivers/xen/balloon.c@v6.1; since "xen/balloon: Only mark a page as
    // managed when it is released" (2016) the -1 sits here and not in balloon_append(), so hot-added
    // and extra-region pages, which were never managed, are not taken out of the count.
    k.adjust_managed_page_count(*p, -1);
    pages.push_back(*p);
  }
  // The pages sit on a local list in reverse order (list_add), and are handed over in that order.
  std::reverse(pages.begin(), pages.end());
  for (Pfn p : pages) balloon_append(p);
  // The batch's CPU time as one stretch, per page: the allocation, xenmem_reservation_scrub_page,
  // on PV xenmem_reservation_va_mapping_reset (update_va_mapping(va, 0) + p2m INVALID); then one
  // flush_tlb_all before the hypercall.
  const std::uint64_t n = pages.size();
  const std::uint64_t pv = k.is_pv() ? n : 0;
  env_.charge_batch({{Work::page_alloc, n},
                     {Work::scrub_page, config_.scrub ? n : 0},
                     {Work::va_mapping_update, pv},
                     {Work::p2m_update_page, pv},
                     {Work::tlb_flush_all, 1}});
  // xenmem_reservation_scrub_page() (include/xen/mem-reservation.h@v5.10) zeroes each page before the
  // hypercall: on a PoD domain that write demand-populates the gfn from the PoD cache (Xen steals the
  // page back for the cache in the hypercall), and an empty cache crashes the domain (reference S9).
  if (config_.scrub && !pages.empty())
    if (auto crash = hv_.guest_wrote(pages)) throw KernelBug{"domain_crash: " + *crash};
  const long ret = hv_.decrease_reservation(pages);
  ++counters_.decrease_reservation.calls;
  if (ret > 0) counters_.decrease_reservation.frames += static_cast<std::uint64_t>(ret);
  if (ret != static_cast<long>(pages.size())) throw KernelBug{"BUG_ON(ret != nr_pages) in decrease_reservation"};
  stats_.current_pages -= pages.size();
  return state;
}

BalloonState Balloon::reserve_additional_memory(Lock& lk) {
  GuestKernel& k = env_.kernel();
  if (!config_.memory_hotplug) {
    // !CONFIG_XEN_BALLOON_MEMORY_HOTPLUG: clamp the target to what can be reached.
    stats_.target_pages = stats_.current_pages + stats_.target_unpopulated;
    return BalloonState::ecanceled;
  }
  const long credit =
      static_cast<long>(stats_.target_pages + stats_.target_unpopulated) - static_cast<long>(stats_.total_pages);
  if (credit <= 0) return BalloonState::wait;  // already hot-added enough: wait for onlining
  const std::uint64_t pps = k.pages_per_section();
  const std::uint64_t pages = (static_cast<std::uint64_t>(credit) + pps - 1) / pps * pps;

  env_.charge(Work::resource_alloc, 1);
  KResult<AddrRange> res = k.allocate_resource(ResourceTarget::iomem, "System RAM", true, pages_to_bytes(pages),
                                               AddrRange{{0}, {~std::uint64_t{0}}}, pages_to_bytes(pps));
  if (!res) {  // "Cannot allocate new System RAM resource"
    ++counters_.hotplug_failures;
    return BalloonState::ecanceled;
  }
  const AddrRange range = res.value();
  if (k.is_pv()) {
    // add_memory() builds page tables for the range, so its p2m must be INVALID first; on failure the
    // entries are not restored.
    env_.charge(Work::p2m_update_page, pages);
    if (k.set_phys_to_machine_invalid({addr_to_pfn(range.start), pages}) != Errno::ok) {
      k.release_resource(range);
      ++counters_.hotplug_failures;
      return BalloonState::ecanceled;
    }
  }
  // add_memory_resource() may online the memory at once, and online_pages() calls xen_online_page(),
  // which takes balloon_mutex: drop it around the call.
  // add_memory_resource() (mm/memory_hotplug.c@v6.1): under mem_hotplug_begin() memblock_add_node(),
  // arch_add_memory() (vmemmap + direct map) and create_memory_block_devices(); then, with auto-online,
  // each block is onlined (another mem_hotplug_begin, move_pfn_range_to_zone with memmap_init_range,
  // online_pages -> xen_online_page). The same steps and prices as the unpopulated memremap_pages()
  // (models/xen/hotplug_steps.h). The model applies the add at once and charges its steps after it.
  lk.unlock();
  const SimTime hot_add_start = env_.now();
  hotplug_lock_->begin(env_);
  MemremapCost cost;
  in_add_memory_ = true;
  onlined_pages_ = onlined_chunks_ = 0;
  const Errno rc = k.add_memory_resource(range, &cost);
  in_add_memory_ = false;
  if (rc != Errno::ok) {  // "Cannot add additional memory (%i)"
    hotplug_lock_->done(env_);
    lk.lock();
    k.release_resource(range);
    ++counters_.hotplug_failures;
    return BalloonState::ecanceled;
  }
  charge_step(env_, HotplugStep::memblock_add_node, {{Work::resource_alloc, 1}});
  charge_arch_add_memory(env_, cost, pages, /*pse=*/!k.is_pv());
  charge_step(env_, HotplugStep::create_memory_block_devices, {{Work::memory_block_device, cost.memory_blocks}});
  hotplug_lock_->done(env_);
  if (onlined_pages_ > 0) charge_online(onlined_pages_, onlined_chunks_);
  env_.step_done(std::string(kHotAddSpanPrefix) + "add_memory_resource", hot_add_start);
  lk.lock();
  stats_.total_pages += pages;
  counters_.hotplugged_pages += pages;
  return BalloonState::wait;
}

void Balloon::charge_online(std::uint64_t pages, std::uint64_t chunks) {
  hotplug_lock_->begin(env_);
  charge_step(env_, HotplugStep::move_pfn_range_to_zone, {{Work::spin_lock, 1}});
  charge_step(env_, HotplugStep::memmap_init, {{Work::memmap_init_page, pages}});
  // xen_online_page() per chunk: mutex_lock(&balloon_mutex), balloon_append() per page.
  charge_step(env_, HotplugStep::online_pages, {{Work::spin_lock, chunks}, {Work::list_op_page, pages}});
  hotplug_lock_->done(env_);
}

void Balloon::online_page(Pfn first, unsigned order) {
  // xen_online_page(): hot-added memory is not freed to the buddy allocator but appended to the
  // balloon list, so it appears as ballooned pages until the worker populates it.
  const std::uint64_t n = std::uint64_t{1} << order;
  // Onlining later than the add (auto-online off: udev or an admin) is charged here, per chunk.
  if (!in_add_memory_) charge_online(n, 1);
  onlined_pages_ += n;
  ++onlined_chunks_;
  std::lock_guard lock(*mutex_);
  if (config_.highmem_start_pfn == UINT64_MAX) {
    list_.push_ascending({first, n});
    stats_.balloon_low += n;
    balloon_wq_->wake_up();
  } else {
    for (std::uint64_t i = 0; i < n; ++i) balloon_append(first + i);
  }
}

Errno Balloon::add_ballooned_pages(std::uint32_t nr_pages, Lock& lk) {
  GuestKernel& k = env_.kernel();
  if (config_.memory_hotplug && config_.hotplug_unpopulated) {
    if (reserve_additional_memory(lk) != BalloonState::ecanceled) {
      // Waits (interruptibly, forever) until onlining appends pages: with auto-online off this hangs
      // (reference S13).
      lk.unlock();
      balloon_wq_->wait([this] { return !list_.empty(); }, SimTime{-1});
      lk.lock();
      return Errno::ok;
    }
  }
  // XSA-300: refuse to balloon out what the guest cannot spare.
  if (config_.xsa300 && k.si_mem_available() < nr_pages) return Errno::enomem;
  const Gfp gfp = config_.xsa300 ? kGfpUser : kGfpHighuser;
  if (decrease_reservation(nr_pages, gfp) != BalloonState::done) return Errno::enomem;
  return Errno::ok;
}

KResult<std::vector<Pfn>> Balloon::alloc_pages(std::uint32_t nr_pages) {
  GuestKernel& k = env_.kernel();
  std::vector<Pfn> pages;
  pages.reserve(nr_pages);
  Errno err = Errno::ok;
  {
    Lock lk(*mutex_);
    stats_.target_unpopulated += nr_pages;
    while (pages.size() < nr_pages) {
      if (std::optional<Pfn> p = balloon_retrieve(true)) {
        pages.push_back(*p);
        if (k.is_pv()) {  // CONFIG_XEN_HAVE_PVMMU: the p2m must have a leaf for the frame
          if ((err = k.alloc_p2m_entry(*p)) != Errno::ok) break;
        }
      } else if ((err = add_ballooned_pages(nr_pages - static_cast<std::uint32_t>(pages.size()), lk)) != Errno::ok) {
        break;
      }
    }
    // balloon_retrieve() per page: list_del + PageOffline clear, under balloon_mutex (as the
    // unpopulated allocator charges its list pops), so both strategies pay for their list work.
    env_.charge(Work::list_op_page, pages.size());
  }
  if (err != Errno::ok) {
    // out_undo: the pages taken so far go back (free subtracts their count from target_unpopulated),
    // then the rest of the request is subtracted too.
    const std::uint64_t got = pages.size();
    free_pages(pages);
    stats_.target_unpopulated -= nr_pages - got;
    ++counters_.mapping_alloc_failures;
    return err;
  }
  counters_.mapping_pages_allocated += nr_pages;
  return pages;
}

void Balloon::free_pages(std::span<const Pfn> pages) {
  std::lock_guard lock(*mutex_);
  for (Pfn p : pages) balloon_append(p);
  env_.charge(Work::list_op_page, pages.size());  // balloon_append per page
  stats_.target_unpopulated -= pages.size();
  // "The balloon may be too large now. Shrink it if needed." The worker repopulates the pages: the
  // caller never pays that hypercall.
  if (current_credit() != 0) kick();
}

}  // namespace gm
