// The seam of include/xen/xen.h: what callers (gntdev, grant table, privcmd, xenbus) use to get
// pages for foreign mappings. Backed by the unpopulated allocator or by the balloon, chosen by
// Kconfig and kernel version exactly as the kernel does (see xen_pages.cpp).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "models/kerrno.h"
#include "models/units.h"

namespace gm {

// Contract: alloc gives exactly nr pages or none (-ENOMEM, -EBUSY... as the backing allocator
// returns); free takes pages alloc gave, in any order.
class XenPages {
 public:
  virtual ~XenPages() = default;
  virtual KResult<std::vector<Pfn>> alloc_unpopulated_pages(std::uint32_t nr) = 0;
  virtual void free_unpopulated_pages(std::span<const Pfn> pages) = 0;
  virtual std::string_view backend_name() const = 0;  // "unpopulated" or "ballooned"
};

}  // namespace gm
