// A guest's boot-time address space: the e820 it is given per guest type (toolstack / hvmloader /
// Xen for dom0) and what the kernel makes of it (PV xen_memory_setup, PVH dom0 extra memory).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "models/e820.h"
#include "models/guest_kernel.h"
#include "models/kernel_version.h"
#include "models/resource_tree.h"
#include "models/sparse.h"
#include "models/units.h"

namespace gm {

inline constexpr std::uint64_t kExtraMemRatio = 10;        // EXTRA_MEM_RATIO, arch/x86/xen/setup.c
inline constexpr std::size_t kExtraMemMaxRegions = 128;    // XEN_EXTRA_MEM_MAX_REGIONS
inline constexpr PhysAddr kHvmBelow4gMmioStart{0xf0000000};  // HVM_BELOW_4G_MMIO_START (libxl default hole)

// Everything a Guest is built from (scenario `guest` section plus kernel/arch and Xen bits).
struct GuestConfig {
  GuestType type = GuestType::pvh;
  bool dom0 = false;
  Arch arch = Arch::x86_64;
  unsigned page_shift = 12;
  KernelVersion kernel = KernelVersion::from("6.12");
  Bytes memory = GiB(4);   // populated at boot (xl `memory`, start_info->nr_pages for PV)
  Bytes maxmem = GiB(4);   // static-max (xl `maxmem`)
  // The map given to the guest; for dom0 the host map (PV dom0 sees it, PVH dom0 gets Xen's
  // rewrite: RAM beyond `memory` becomes UNUSABLE). nullopt: the default layout for the type.
  std::optional<std::vector<E820Entry>> e820;
  // A /proc/iomem starting state (from iomem_parse); replaces the tree built from the e820.
  std::optional<std::vector<IomemEntry>> iomem;
  std::vector<AddrRange> extended_regions;  // Arm: Xen's extended regions (DT reg[1..N])
  bool acpi = true;                         // firmware acpi (true) or dt (false)
  bool auto_online = true;                  // memhp default online type
  bool memory_hotplug = true;               // CONFIG_MEMORY_HOTPLUG
  bool balloon_hotplug = true;              // CONFIG_XEN_BALLOON_MEMORY_HOTPLUG
  std::uint64_t hotplug_limit_gib = 512;    // CONFIG_XEN_MEMORY_HOTPLUG_LIMIT
  unsigned phys_bits = 46;                  // x86_phys_bits: iomem_resource end = 2^bits - 1
  unsigned physmem_bits = 46;               // MAX_PHYSMEM_BITS (pluggable range)
  bool pci_use_e820 = true;                 // false = "pci=no_e820" (5.19+)
};

// The result of boot-time setup: the e820 the kernel runs with and the Xen bookkeeping.
struct GuestLayout {
  E820Table e820;                    // e820_table after setup (sanitized)
  std::vector<PfnExtent> extra_mem;  // xen_extra_mem[] regions: RAM in the e820, memblock-reserved, unpopulated
  std::vector<PfnExtent> untracked_extra;  // beyond the 128 regions: reserved but tracked nowhere (S14)
  std::vector<PfnExtent> identity;   // PV: p2m 1:1 ranges below max_pfn (non-RAM holes)
  Pfn max_pfn;                       // PV: populated RAM end (nr_pages); others: end of RAM
  Pfn max_p2m_pfn;                   // PV: end of RAM including extra memory
  std::uint64_t released_pages = 0;  // PV: frames given back to Xen from non-RAM holes
  std::uint64_t remapped_pages = 0;  // PV: frames remapped from holes to the extra region
  std::vector<std::string> log;      // kernel messages the setup printed
  // RAM frames the page allocator manages at boot: e820 RAM minus extra memory (and minus PV frames
  // beyond nr_pages).
  std::vector<PfnExtent> managed_ram() const;
};

// The map the toolstack or firmware builds for a domU (or a generic host map for a dom0 without one):
// PV: one RAM entry [0, maxmem) (libxl xc_domain_set_memmap_limit, e820_host=0);
// HVM: hvmloader's low RAM below 0x9fc00, BIOS areas, RAM 1 MiB..min(maxmem, 0xf0000000), the rest
// from 4 GiB; PVH: RAM from 0 below the MMIO hole and the rest from 4 GiB [M: libxl layout].
std::vector<E820Entry> default_e820(const GuestConfig& cfg);

// Boot setup per guest type (x86): trim_bios_range (page 0 reserved, 640K-1M removed), then
// PV: xen_memory_setup() (arch/x86/xen/setup.c@v6.12, reference §7.1);
// PVH dom0 6.9+: xen_reserve_extra_memory() UNUSABLE -> RAM (enlighten_pvh.c, 38620fc4e893).
GuestLayout build_guest_layout(const GuestConfig& cfg);

}  // namespace gm
