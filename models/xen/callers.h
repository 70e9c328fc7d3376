// The kernel users of xen_alloc_unpopulated_pages() and their request patterns (reference §5): one
// class per caller with "serve one request" / "release" entry points that a long-lived sim actor
// calls in its loop. Each keeps the kernel's size limits and guest-type rules.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "models/guest_kernel.h"
#include "models/kerrno.h"
#include "models/xen/grant_table.h"
#include "models/xen/xen_pages.h"

namespace gm {

// Order matches the scenario loader's name table (sim/scenario/scenario_internal.h kCallerKindNames).
enum class CallerKind { gntdev, blkback, netback, privcmd, xenbus, pvh_grant_frames, drm_front };
std::string_view caller_kind_name(CallerKind k);

// Whether this caller takes pages from the xen_pages seam on this guest type. On PV, privcmd remaps
// MFNs directly and xenbus maps rings in the vmalloc area (xenbus_map_ring_pv); the PVH grant-frame
// setup exists only on PVH (xen_pvh_gnttab_setup). The sim must not create refused callers.
bool caller_uses_xen_pages(CallerKind k, GuestType guest);

// Pages a caller holds for one mapping, returned by release().
struct Holding {
  std::vector<Pfn> pages;
};

// xen-blkback: per-ring gnttab_page_cache; every segment of a request is one cache get (1-page misses),
// pages go back to the cache on completion and the cache is shrunk to max_buffer_pages.
class Blkback {
 public:
  static constexpr std::uint32_t kMaxBufferPages = 1024;  // xen_blkif_max_buffer_pages
  static constexpr std::uint32_t kMaxSegments = 256;      // MAX_INDIRECT_SEGMENTS
  explicit Blkback(GrantTable& gnttab, std::uint32_t max_buffer_pages = kMaxBufferPages)
      : cache_(gnttab), max_buffer_pages_(max_buffer_pages) {}
  // One request of `segments` pages (1..256). On a miss that fails, the pages got so far go back to
  // the cache and the error is returned.
  KResult<Holding> serve(std::uint32_t segments);
  void release(Holding&& h);
  // xen_blkbk_reclaim_memory(): under memory pressure the ring squeezes its cache to 0.
  void squeeze() { cache_.shrink(0); }
  const GrantPageCache& cache() const { return cache_; }

 private:
  GrantPageCache cache_;
  std::uint32_t max_buffer_pages_;
};

// xen-netback: xenvif_init_queue() takes MAX_PENDING_REQS = 256 pages per queue for the VIF lifetime.
class Netback {
 public:
  static constexpr std::uint32_t kPagesPerQueue = 256;
  explicit Netback(GrantTable& gnttab) : gnttab_(gnttab) {}
  KResult<Holding> connect_queue();
  void release(Holding&& h);

 private:
  GrantTable& gnttab_;
};

// gntdev IOCTL_GNTDEV_MAP_GRANT_REF: 1..limit pages per request (module parameter, default 64 Ki).
class Gntdev {
 public:
  static constexpr std::uint32_t kDefaultLimit = 64 * 1024;
  explicit Gntdev(GrantTable& gnttab, std::uint32_t limit = kDefaultLimit) : gnttab_(gnttab), limit_(limit) {}
  KResult<Holding> map(std::uint32_t count);  // -EINVAL when count is 0 or above the limit
  void release(Holding&& h);

 private:
  GrantTable& gnttab_;
  std::uint32_t limit_;
};

// privcmd IOCTL_PRIVCMD_MMAPBATCH(_V2) / MMAP_RESOURCE: the whole VMA, auto-translated guests only.
class Privcmd {
 public:
  Privcmd(XenPages& pages, GuestType guest) : pages_(pages), guest_(guest) {}
  KResult<Holding> mmap_batch(std::uint32_t vma_pages);  // -ENODEV on PV (not on this path)
  void release(Holding&& h);                             // privcmd_close

 private:
  XenPages& pages_;
  GuestType guest_;
};

// xenbus_map_ring_valloc() on HVM/PVH/Arm: XENBUS_PAGES(nr_grefs) pages, nr_grefs <= 16.
class XenbusRings {
 public:
  static constexpr std::uint32_t kMaxRingGrants = 16;  // XENBUS_MAX_RING_GRANTS
  XenbusRings(XenPages& pages, GuestType guest) : pages_(pages), guest_(guest) {}
  KResult<Holding> map_ring(std::uint32_t nr_grefs);  // -ENODEV on PV, -EINVAL outside 1..16
  void release(Holding&& h);

 private:
  XenPages& pages_;
  GuestType guest_;
};

// xen_pvh_gnttab_setup() (core_initcall) -> xen_xlate_map_ballooned_pages(nr_grant_frames): once at
// early boot, never released.
class PvhGrantFrames {
 public:
  PvhGrantFrames(XenPages& pages, GuestType guest) : pages_(pages), guest_(guest) {}
  KResult<Holding> setup(std::uint32_t nr_grant_frames);  // -ENODEV unless PVH

 private:
  XenPages& pages_;
  GuestType guest_;
};

// xen_drm_front_gem with backend-allocated buffers: DIV_ROUND_UP(size, PAGE_SIZE) pages per buffer.
class DrmFront {
 public:
  explicit DrmFront(XenPages& pages) : pages_(pages) {}
  KResult<Holding> alloc_buffer(Bytes size);
  void release(Holding&& h);

 private:
  XenPages& pages_;
};

}  // namespace gm
