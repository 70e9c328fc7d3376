#include "sim/boot/grant_frames.h"

namespace gm {

std::uint32_t default_max_grant_frames(int xen_major, int xen_minor) {
  return xen_major > 4 || (xen_major == 4 && xen_minor >= 10) ? 64 : 32;
}

GrantFramesOutcome pvh_gnttab_setup(XenPages& pages, GuestType type, std::uint32_t nr_grant_frames) {
  GrantFramesOutcome out;
  if (type != GuestType::pvh) return out;  // if (!xen_pvh_domain()) return -ENODEV;
  out.ran = true;
  out.frames = nr_grant_frames;
  auto got = pages.alloc_unpopulated_pages(nr_grant_frames);
  if (!got) {
    out.error = got.error();
    // xlate_mmu.c: "%s Couldn't balloon alloc %ld pages rc:%d"
    out.message = "xen_xlate_map_ballooned_pages Couldn't balloon alloc " + std::to_string(nr_grant_frames) +
                  " pages rc:-" + std::string(errno_name(out.error));
  }
  return out;
}

}  // namespace gm
