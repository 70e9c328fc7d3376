// x86's hooks on the iomem tree: arch_remove_reservations() (the e820 clip of allocate_resource) and
// building iomem from the e820 table (e820__reserve_resources and its late pass).
#pragma once

#include "models/e820.h"
#include "models/resource_tree.h"
#include "models/units.h"

namespace gm {

inline constexpr PhysAddr kBiosRomBase{0xffe00000};  // BIOS_ROM_BASE, arch/x86/kernel/resource.c
inline constexpr PhysAddr kBiosRomEnd{0xffffffff};   // BIOS_ROM_END

// x86 resource_clip(): when [start, end] overlaps avail, keep the larger side (the upper one on a tie);
// avail becomes empty (start > end) when the conflict covers it. arch/x86/kernel/resource.c@v6.12.
void x86_resource_clip(AddrRange& avail, AddrRange conflict);

// arch_remove_reservations() for an IORESOURCE_MEM candidate: BIOS ROM, then every e820 entry (any
// type) unless pci_use_e820 is false (5.19+ "pci=no_e820"). The table must outlive the returned hook.
ResourceTree::ClipHook x86_remove_reservations_hook(const E820Table& e820, bool pci_use_e820 = true);

// e820__reserve_resources(), arch/x86/kernel/e820.c@v6.12: inserts one BUSY resource per entry
// that lies below 1 MiB or is not RESERVED/SOFT_RESERVED/PRAM/PMEM (do_mark_busy); the others are
// deferred to the late pass.
void e820_reserve_resources(ResourceTree& iomem, const E820Table& e820);
// e820__reserve_resources_late(): deferred entries with insert_resource_expand_to_fit, then a
// "RAM buffer" after each RAM entry up to round_up(end, 64 KiB / 1 MiB / 64 MiB) in free space.
void e820_reserve_resources_late(ResourceTree& iomem, const E820Table& e820);
// ram_alignment(): 64 KiB in the first MiB, 1 MiB below 16 MiB, 64 MiB above.
Bytes e820_ram_alignment(PhysAddr pos);

}  // namespace gm
