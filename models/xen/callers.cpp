#include "models/xen/callers.h"

namespace gm {
namespace {

KResult<Holding> take(XenPages& pages, std::uint32_t nr) {
  KResult<std::vector<Pfn>> got = pages.alloc_unpopulated_pages(nr);
  if (!got) return got.error();
  return Holding{std::move(got.value())};
}

KResult<Holding> take(GrantTable& gnttab, std::uint32_t nr) {
  KResult<std::vector<Pfn>> got = gnttab.alloc_pages(nr);
  if (!got) return got.error();
  return Holding{std::move(got.value())};
}

}  // namespace

std::string_view caller_kind_name(CallerKind k) {
  switch (k) {
    case CallerKind::blkback:
      return "blkback";
    case CallerKind::netback:
      return "netback";
    case CallerKind::gntdev:
      return "gntdev";
    case CallerKind::privcmd:
      return "privcmd";
    case CallerKind::xenbus:
      return "xenbus";
    case CallerKind::pvh_grant_frames:
      return "pvh_grant_frames";
    case CallerKind::drm_front:
      return "drm_front";
  }
  return "?";
}

bool caller_uses_xen_pages(CallerKind k, GuestType guest) {
  switch (k) {
    case CallerKind::privcmd:  // privcmd.c: alloc_empty_pages() only when !xen_pv_domain()
    case CallerKind::xenbus:   // xenbus_client.c: ring_ops_pv maps into alloc_vm_area()
      return guest != GuestType::pv;
    case CallerKind::pvh_grant_frames:  // arch/x86/xen/grant-table.c xen_pvh_gnttab_setup()
      return guest == GuestType::pvh;
    default:  // grant maps use struct pages on every guest type
      return true;
  }
}

KResult<Holding> Blkback::serve(std::uint32_t segments) {
  if (segments == 0 || segments > kMaxSegments) return Errno::einval;
  Holding h;
  h.pages.reserve(segments);
  const std::uint64_t misses_before = cache_.misses();
  // gnttab_page_cache_get() per segment: spin_lock_irqsave(&cache->lock), and on a hit one list_del.
  auto charge_gets = [&](std::uint64_t gets) {
    const std::uint64_t hits = gets - (cache_.misses() - misses_before);
    cache_.gnttab().charge({{Work::spin_lock, gets}, {Work::list_op_page, hits}});
  };
  for (std::uint32_t i = 0; i < segments; ++i) {
    KResult<Pfn> p = cache_.get();
    if (!p) {  // xen_blkbk_map(): put back what was taken, fail the request
      charge_gets(i + 1);
      cache_.put(h.pages);
      cache_.gnttab().charge({{Work::spin_lock, 1}, {Work::list_op_page, h.pages.size()}});
      return p.error();
    }
    h.pages.push_back(p.value());
  }
  charge_gets(segments);
  return h;
}

void Blkback::release(Holding&& h) {
  // gnttab_page_cache_put(): one lock, one list_add per page.
  cache_.gnttab().charge({{Work::spin_lock, 1}, {Work::list_op_page, h.pages.size()}});
  cache_.put(h.pages);
  h.pages.clear();
  cache_.shrink(max_buffer_pages_);  // xen_blkif_schedule(): "Shrink the free pages pool if it is too large."
}

KResult<Holding> Netback::connect_queue() { return take(gnttab_, kPagesPerQueue); }

void Netback::release(Holding&& h) {
  gnttab_.free_pages(h.pages);
  h.pages.clear();
}

KResult<Holding> Gntdev::map(std::uint32_t count) {
  if (count == 0 || count > limit_) return Errno::einval;  // gntdev_test_page_count()
  return take(gnttab_, count);
}

void Gntdev::release(Holding&& h) {
  gnttab_.free_pages(h.pages);
  h.pages.clear();
}

KResult<Holding> Privcmd::mmap_batch(std::uint32_t vma_pages) {
  if (!caller_uses_xen_pages(CallerKind::privcmd, guest_)) return Errno::enodev;
  if (vma_pages == 0) return Errno::einval;
  return take(pages_, vma_pages);
}

void Privcmd::release(Holding&& h) {
  pages_.free_unpopulated_pages(h.pages);
  h.pages.clear();
}

KResult<Holding> XenbusRings::map_ring(std::uint32_t nr_grefs) {
  if (!caller_uses_xen_pages(CallerKind::xenbus, guest_)) return Errno::enodev;
  if (nr_grefs == 0 || nr_grefs > kMaxRingGrants) return Errno::einval;
  return take(pages_, nr_grefs);  // XENBUS_PAGES(nr_grefs) == nr_grefs with 4 KiB pages
}

void XenbusRings::release(Holding&& h) {
  pages_.free_unpopulated_pages(h.pages);
  h.pages.clear();
}

KResult<Holding> PvhGrantFrames::setup(std::uint32_t nr_grant_frames) {
  if (!caller_uses_xen_pages(CallerKind::pvh_grant_frames, guest_)) return Errno::enodev;
  if (nr_grant_frames == 0) return Errno::einval;
  return take(pages_, nr_grant_frames);
}

KResult<Holding> DrmFront::alloc_buffer(Bytes size) {
  if (size.value == 0) return Errno::einval;
  const std::uint64_t pages = (size.value + kPageSize - 1) / kPageSize;
  if (pages > UINT32_MAX) return Errno::enomem;
  return take(pages_, static_cast<std::uint32_t>(pages));
}

void DrmFront::release(Holding&& h) {
  pages_.free_unpopulated_pages(h.pages);
  h.pages.clear();
}

}  // namespace gm
