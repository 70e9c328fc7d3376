// drivers/xen/grant-table.c: gnttab_alloc_pages()/gnttab_free_pages() over the xen_pages seam, and
// the grant page cache (gnttab_page_cache_*, ca33479cc7be, 5.10-rc8) used by blkback and scsiback.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "models/kerrno.h"
#include "models/units.h"
#include "models/xen/env.h"
#include "models/xen/xen_pages.h"

namespace gm {

// Contract: alloc_pages(nr) is xen_alloc_unpopulated_pages(nr) (all or nothing); free_pages gives the
// pages back through the same seam.
// The grant operations a backend does on the pages (map_refs/unmap_refs/remap) are charged to `env`
// when one is given (the simulation); without it they cost nothing (unit tests of the caller logic).
class GrantTable {
 public:
  explicit GrantTable(XenPages& pages, KernelEnv* env = nullptr) : pages_(pages), env_(env) {}
  KResult<std::vector<Pfn>> alloc_pages(std::uint32_t nr);
  void free_pages(std::span<const Pfn> pages);
  XenPages& xen_pages() { return pages_; }
  KernelEnv* env() { return env_; }

  // gnttab_map_refs() (drivers/xen/grant-table.c@v6.1): one GNTTABOP_map_grant_ref hypercall per
  // `batch` ops, and Xen's work per op.
  void map_refs(std::uint64_t count, std::uint64_t batch);
  // gnttab_unmap_refs(): one GNTTABOP_unmap_grant_ref hypercall per `batch` ops, Xen's work per op
  // and the TLB flush Xen does before the hypercall returns (the frames may be cached in any vCPU).
  void unmap_refs(std::uint64_t count, std::uint64_t batch);
  // XENMEM_add_to_physmap(_range) of foreign or grant-table frames into the pages (privcmd on an
  // auto-translated guest, the PVH grant frames): one hypercall per `batch`, and per frame Xen's
  // foreign-page reference and p2m entry, the work of a grant map op.
  void remap(std::uint64_t count, std::uint64_t batch);
  // Any other CPU work of a grant user (the page cache's lock and list operations).
  void charge(std::initializer_list<WorkCharge> parts);

 private:
  XenPages& pages_;
  KernelEnv* env_;
};

// struct gnttab_page_cache: a LIFO of pages a backend keeps for reuse. A miss allocates one page.
class GrantPageCache {
 public:
  explicit GrantPageCache(GrantTable& gnttab) : gnttab_(gnttab) {}
  // gnttab_page_cache_get(): a cached page, or gnttab_alloc_pages(1) on a miss.
  KResult<Pfn> get();
  // gnttab_page_cache_put(): every page goes on the cache, nothing is freed.
  void put(std::span<const Pfn> pages);
  // gnttab_page_cache_shrink(): frees pages beyond `keep`, in batches of at most 10 per
  // gnttab_free_pages() call.
  void shrink(std::uint64_t keep);
  std::uint64_t size() const { return pages_.size(); }
  std::uint64_t misses() const { return misses_; }
  std::uint64_t free_calls() const { return free_calls_; }
  GrantTable& gnttab() { return gnttab_; }

 private:
  GrantTable& gnttab_;
  std::vector<Pfn> pages_;  // back() = top; only pages actually cached
  std::uint64_t misses_ = 0;
  std::uint64_t free_calls_ = 0;
};

}  // namespace gm
