// balloon_init() compares each xen_extra_mem region with the kernel's max_pfn, which
// e820__end_of_ram_pfn() (arch/x86/kernel/setup.c@v6.1 setup_arch) sets from the e820 after
// xen_memory_setup(); on PV the extra regions are RAM in that e820.
#include "sim/boot/boot_info.h"

#include <algorithm>

namespace gm {

BalloonBootInfo balloon_boot_info(const GuestLayout& layout, Bytes memory) {
  BalloonBootInfo b;
  b.nr_pages = bytes_to_pages(memory);
  b.xen_released_pages = layout.released_pages;
  // max_pfn = e820__end_of_ram_pfn(): the end of the last RAM entry, extra memory included (not
  // nr_pages, which would cut every PV extra region off the balloon list).
  std::uint64_t end = 0;
  for (const auto& x : layout.e820.ram_extents()) end = std::max(end, x.end().value);
  b.max_pfn = end;
  return b;
}

}  // namespace gm
