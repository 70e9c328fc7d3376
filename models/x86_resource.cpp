// arch/x86/kernel/resource.c@v6.12 (resource_clip, remove_e820_regions, arch_remove_reservations) and
// arch/x86/kernel/e820.c@v6.12 (e820__reserve_resources, do_mark_busy, e820__reserve_resources_late,
// ram_alignment).
#include "models/x86_resource.h"

namespace gm {

void x86_resource_clip(AddrRange& avail, AddrRange conflict) {
  if (avail.end < conflict.start || avail.start > conflict.end) return;  // no conflict
  std::uint64_t low = avail.start < conflict.start ? conflict.start.value - avail.start.value : 0;
  std::uint64_t high = avail.end > conflict.end ? avail.end.value - conflict.end.value : 0;
  // "Keep the area above or below the conflict, whichever is larger" (the upper one on a tie).
  if (low > high)
    avail.end = PhysAddr{conflict.start.value - 1};
  else
    avail.start = PhysAddr{conflict.end.value + 1};
}

ResourceTree::ClipHook x86_remove_reservations_hook(const E820Table& e820, bool pci_use_e820) {
  return [&e820, pci_use_e820](AddrRange& avail) {
    x86_resource_clip(avail, {kBiosRomBase, kBiosRomEnd});
    if (!pci_use_e820) return;  // 5.19+: remove_e820_regions() returns early
    for (const auto& e : e820.entries()) x86_resource_clip(avail, e.range);
  };
}

namespace {

// do_mark_busy(): below 1 MiB everything; above, RESERVED/SOFT_RESERVED/PRAM/PMEM wait for the late
// pass so PCI BARs can claim them first.
bool mark_busy_early(const E820Entry& e) {
  if (e.range.start.value < (std::uint64_t{1} << 20)) return true;
  switch (e.type) {
    case E820Type::reserved:
    case E820Type::soft_reserved:
    case E820Type::pram:
    case E820Type::pmem: return false;
    default: return true;
  }
}

unsigned flags_for(E820Type t) {
  return t == E820Type::ram || t == E820Type::reserved_kern ? (kResBusy | kResSystemRam) : kResBusy;
}

}  // namespace

void e820_reserve_resources(ResourceTree& iomem, const E820Table& e820) {
  for (const auto& e : e820.entries())
    if (mark_busy_early(e)) iomem.insert_conflict(ResourceTree::kRoot, e820_resource_name(e.type), e.range, flags_for(e.type));
}

Bytes e820_ram_alignment(PhysAddr pos) {
  std::uint64_t mb = pos.value >> 20;
  if (mb == 0) return KiB(64);
  if (mb < 16) return MiB(1);
  return MiB(64);
}

void e820_reserve_resources_late(ResourceTree& iomem, const E820Table& e820) {
  for (const auto& e : e820.entries())
    if (!mark_busy_early(e))  // the kernel inserts them without IORESOURCE_BUSY
      iomem.insert_expand_to_fit(ResourceTree::kRoot, e820_resource_name(e.type), e.range, 0);
  for (const auto& e : e820.entries()) {
    if (e.type != E820Type::ram) continue;
    std::uint64_t start = e.range.end.value + 1;
    std::uint64_t a = e820_ram_alignment(PhysAddr{start}).value;
    std::uint64_t end = ((start + a - 1) & ~(a - 1)) - 1;
    if (start >= end) continue;
    // "e820: reserve RAM buffer [mem %#010llx-%#010llx]"
    iomem.reserve_with_split(ResourceTree::kRoot, "RAM buffer", {PhysAddr{start}, PhysAddr{end}}, kResBusy);
  }
}

}  // namespace gm
