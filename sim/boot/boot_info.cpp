// balloon_init() compares each xen_extra_mem region with the kernel's max_pfn, which
// e820__end_of_ram_pfn() (arch/x86/kernel/setup.c@v6.1 setup_arch) sets from the e820 after
// xen_memory_setup(); on PV the extra regions are RAM in that e820.
#include "sim/boot/boot_info.h"

namespace gm {

BalloonBootInfo balloon_boot_info(const GuestLayout& layout, Bytes memory) {
  BalloonBootInfo b;
  b.nr_pages = bytes_to_pages(memory);
  b.xen_released_pages = layout.released_pages;
  b.max_pfn = layout.max_pfn.value;
  return b;
}

}  // namespace gm
