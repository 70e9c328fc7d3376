// The libxen layer under the real backend: the few libxenctrl calls XenHypervisor makes, behind an
// interface so tests can put a test double under the production backend (tests/sim/xen_backend_test.cpp).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>

#include "models/units.h"

namespace gm {

// What the toolstack reports about a domain (xc_domain_getinfolist: nr_pages, max_memkb).
struct XenDomainInfo {
  std::uint32_t domid = 0;
  std::uint64_t tot_pages = 0;  // d->tot_pages
  std::uint64_t max_pages = 0;  // d->max_pages (max_memkb / 4)
  bool dying = false;
};

// Contract: one method is one hypercall (or one read of the control interface). populate_physmap and
// decrease_reservation act on order-0 extents of `domid` and return the extents done (0..n) or a
// negative errno, like the memory_op the guest makes for itself; gfns may be rewritten (Xen writes the
// frames it populated back into the array). Nothing throws for a hypervisor-reported failure.
class XenCalls {
 public:
  virtual ~XenCalls() = default;
  virtual long populate_physmap(std::uint32_t domid, std::span<Pfn> gfns) = 0;
  virtual long decrease_reservation(std::uint32_t domid, std::span<Pfn> gfns) = 0;
  virtual std::optional<XenDomainInfo> domain_info(std::uint32_t domid) = 0;  // nullopt: no such domain
  // True when `domid` is the domain this process runs in (its handle equals /sys/hypervisor/uuid).
  virtual bool is_own_domain(std::uint32_t domid) = 0;
};

// The real layer over libxenctrl (sim/hypervisor/xen_calls.cpp, built only with GUESTMEM_WITH_XEN).
// Throws gm::EnvironmentError when xc_interface_open fails.
std::unique_ptr<XenCalls> open_libxen();

}  // namespace gm
