// Contract of the guest's page allocator (mm/page_alloc.c) as the rest of the model sees it.
// Implemented by the buddy allocator (buddy.h); tests may use a trivial double.
#pragma once

#include <cstdint>
#include <optional>

#include "models/gfp.h"
#include "models/units.h"

namespace gm {

// Contract: alloc_pages returns the first frame of a naturally aligned 2^order block, or nullopt
// when no block can be found (after the fallbacks the allocator models). free_pages takes back
// exactly what alloc_pages gave. Frames outside managed RAM are never returned.
class PageAllocator {
 public:
  virtual ~PageAllocator() = default;
  virtual std::optional<Pfn> alloc_pages(unsigned order, Gfp gfp) = 0;
  virtual void free_pages(Pfn first, unsigned order) = 0;
  // Memory hotplug: frames [first, first+count) become managed but reserved (allocated, unmovable):
  // online_pages hands them to the online-page callback, which may free them later.
  virtual void add_reserved_range(PfnExtent range) = 0;
  // free_reserved_page(): a reserved frame (boot-reserved, ballooned, hot-added) joins the free lists.
  virtual void free_reserved_page(Pfn pfn) = 0;
  // adjust_managed_page_count() (mm/page_alloc.c@v6.1): the page's zone managed_pages and
  // totalram_pages move by delta; the page itself stays allocated (the balloon's decrease path).
  virtual void adjust_managed_page_count(Pfn pfn, std::int64_t delta) = 0;
  // si_mem_available() in pages (mm/show_mem.c): free pages minus reserves plus reclaimable estimate.
  virtual std::uint64_t si_mem_available() const = 0;
  // totalreserve_pages (mm/page_alloc.c): pages held back by watermarks and lowmem reserves.
  virtual std::uint64_t totalreserve_pages() const = 0;
  virtual std::uint64_t free_pages_count() const = 0;
  virtual std::uint64_t managed_pages() const = 0;
};

}  // namespace gm
