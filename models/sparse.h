// Sparse memory sections and x86_64 memory-block sizes: the quanta of ZONE_DEVICE and hotplug.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "models/arch.h"
#include "models/kernel_version.h"
#include "models/units.h"

namespace gm {

// SECTION_SIZE_BITS and PAGE_SHIFT of one configuration.
struct SectionGeometry {
  unsigned section_size_bits = 27;
  unsigned page_shift = 12;
  constexpr std::uint64_t pages_per_section() const { return std::uint64_t{1} << (section_size_bits - page_shift); }
  constexpr Bytes section_size() const { return {std::uint64_t{1} << section_size_bits}; }
};

// x86_64: 27 (arch/x86/include/asm/sparsemem.h); i386 PAE: 29; arm64: 27 for 4K/16K pages and 29 for
// 64K from 5.12 (f0b13ee23241, arch/arm64/include/asm/sparsemem.h@v5.12), 30 before; arm: 28;
// riscv64: 27. `page_shift` is 12, 14 or 16.
SectionGeometry section_geometry(Arch arch, unsigned page_shift, const KernelVersion& kernel);

// memory_block_size_bytes(). x86_64 probe_memory_block_size(), arch/x86/mm/init_64.c@v6.12: boot memory
// end below 64 GiB -> 128 MiB; bare metal (no X86_FEATURE_HYPERVISOR, 5.8+) -> 2 GiB; otherwise the
// largest power of two <= 2 GiB dividing the boot memory end. Other arches: one section.
Bytes memory_block_size(Arch arch, SectionGeometry geo, PhysAddr boot_mem_end, bool hypervisor,
                        const KernelVersion& kernel);

// mhp_get_pluggable_range(need_mapping=true): [0, 2^physmem_bits - 1] on x86_64 (MAX_PHYSMEM_BITS 46
// with 4-level paging, 52 with 5-level), arm64 intersects it with the linear map (given by caller).
AddrRange pluggable_range(unsigned physmem_bits);

}  // namespace gm
