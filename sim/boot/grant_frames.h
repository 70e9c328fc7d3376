// PVH grant-table frames at core_initcall: arch/x86/xen/grant-table.c@v6.1 xen_pvh_gnttab_setup()
// -> xen_xlate_map_ballooned_pages(nr_grant_frames) (drivers/xen/xlate_mmu.c), which takes its
// frames from xen_alloc_unpopulated_pages() since 5.9 (9e2369c06c8a) and from
// alloc_xenballooned_pages() before. Every PVH guest, dom0 and domU; never released.
#pragma once

#include <cstdint>
#include <string>

#include "models/guest_kernel.h"
#include "models/kerrno.h"
#include "models/xen/xen_pages.h"

namespace gm {

// gnttab_max_grant_frames(): Xen's max_grant_frames (GNTTABOP_query_size). [M] Xen's default
// (gnttab_max_frames) is 64 from 4.10 on and 32 before.
std::uint32_t default_max_grant_frames(int xen_major, int xen_minor);

struct GrantFramesOutcome {
  bool ran = false;  // false: not a PVH guest (xen_pvh_gnttab_setup returns -ENODEV at once)
  std::uint32_t frames = 0;
  Errno error = Errno::ok;
  std::string message;  // the kernel's line when it failed, empty otherwise
};

GrantFramesOutcome pvh_gnttab_setup(XenPages& pages, GuestType type, std::uint32_t nr_grant_frames);

}  // namespace gm
