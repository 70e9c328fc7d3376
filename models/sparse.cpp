// Section sizes (arch/*/include/asm/sparsemem.h) and x86_64 probe_memory_block_size()
// (arch/x86/mm/init_64.c@v6.12).
#include "models/sparse.h"

namespace gm {

SectionGeometry section_geometry(Arch arch, unsigned page_shift, const KernelVersion& kernel) {
  switch (arch) {
    case Arch::x86_64: return {27, 12};
    case Arch::i386: return {29, 12};  // X86_PAE (non-PAE: 26); Xen needs PAE
    case Arch::arm64:
      // f0b13ee23241 "arm64/sparsemem: reduce SECTION_SIZE_BITS" (5.12): 27 for 4K/16K, 29 for 64K.
      if (!kernel.at_least("5.12")) return {30, page_shift};
      return {page_shift == 16 ? 29u : 27u, page_shift};
    case Arch::arm: return {28, 12};
    case Arch::riscv64: return {27, 12};
  }
  return {27, 12};
}

Bytes memory_block_size(Arch arch, SectionGeometry geo, PhysAddr boot_mem_end, bool hypervisor,
                        const KernelVersion& kernel) {
  if (arch != Arch::x86_64) return geo.section_size();
  constexpr std::uint64_t kMin = std::uint64_t{128} << 20;          // MIN_MEMORY_BLOCK_SIZE
  constexpr std::uint64_t kMax = std::uint64_t{2} << 30;            // MAX_BLOCK_SIZE
  constexpr std::uint64_t kLargeBlockMem = std::uint64_t{64} << 30;  // MEM_SIZE_FOR_LARGE_BLOCK
  if (boot_mem_end.value < kLargeBlockMem) return {kMin};
  // 5.8 "x86/mm: use max memory block size on bare metal" (no X86_FEATURE_HYPERVISOR).
  if (!hypervisor && kernel.at_least("5.8")) return {kMax};
  std::uint64_t bz = kMax;
  for (; bz > kMin; bz >>= 1)
    if ((boot_mem_end.value & (bz - 1)) == 0) break;
  return {bz};
}

AddrRange pluggable_range(unsigned physmem_bits) {
  return {PhysAddr{0}, PhysAddr{(std::uint64_t{1} << physmem_bits) - 1}};
}

}  // namespace gm
