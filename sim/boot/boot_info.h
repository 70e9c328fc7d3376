// What balloon_init() reads from the boot-time setup (drivers/xen/balloon.c balloon_init,
// balloon_add_regions): xen_start_info->nr_pages, xen_released_pages and max_pfn.
#pragma once

#include "models/guest_layout.h"
#include "models/units.h"
#include "models/xen/balloon.h"

namespace gm {

// `memory` is the domain's populated size at start (start_info->nr_pages for PV).
BalloonBootInfo balloon_boot_info(const GuestLayout& layout, Bytes memory);

}  // namespace gm
