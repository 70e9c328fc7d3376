// mm/memremap.c@v6.12 pagemap_range() checks and the vmemmap it populates: arch/x86/mm/init_64.c@v6.12
// vmemmap_populate() -> vmemmap_populate_hugepages() (PSE: one PMD_SIZE block per 2 MiB of struct
// pages, vmemmap_alloc_block_buf() = order-9, "falling back to regular page backing" on failure) or
// vmemmap_populate_basepages() (no PSE, as in a Xen PV guest).
#include "models/memremap.h"

#include <utility>

namespace gm {
namespace {

constexpr std::uint64_t kPmdPages = 512;  // 2 MiB of vmemmap in 4 KiB pages

class Taken {
 public:
  explicit Taken(PageAllocator& a) : alloc_(a) {}
  bool take(unsigned order) {
    auto p = alloc_.alloc_pages(order, kGfpVmemmap);  // vmemmap_alloc_block()
    if (!p) return false;
    taken_.emplace_back(*p, order);
    return true;
  }
  void give_back() {
    for (auto& [p, o] : taken_) alloc_.free_pages(p, o);
    taken_.clear();
  }

 private:
  PageAllocator& alloc_;
  std::vector<std::pair<Pfn, unsigned>> taken_;
};

}  // namespace

KResult<MemremapCost> populate_vmemmap(std::uint64_t pages, bool pse, PageAllocator& alloc,
                                       std::uint64_t direct_map_pte_pages) {
  MemremapCost c;
  c.vmemmap_pages = (pages * kStructPageBytes + kPageSize - 1) / kPageSize;
  Taken taken(alloc);
  if (pse) {
    for (std::uint64_t done = 0; done < c.vmemmap_pages; done += kPmdPages) {
      std::uint64_t chunk = std::min(kPmdPages, c.vmemmap_pages - done);
      if (chunk == kPmdPages && taken.take(9)) {
        ++c.order9_blocks;
        continue;
      }
      for (std::uint64_t i = 0; i < chunk; ++i) {
        if (!taken.take(0)) {
          taken.give_back();
          return Errno::enomem;
        }
      }
      c.order0_pages += chunk;
      if (!taken.take(0)) {  // the PTE page mapping the base pages
        taken.give_back();
        return Errno::enomem;
      }
      ++c.pte_pages;
    }
  } else {
    for (std::uint64_t i = 0; i < c.vmemmap_pages; ++i) {
      if (!taken.take(0)) {
        taken.give_back();
        return Errno::enomem;
      }
    }
    c.order0_pages = c.vmemmap_pages;
    c.pte_pages = (c.vmemmap_pages + kPmdPages - 1) / kPmdPages;
    for (std::uint64_t i = 0; i < c.pte_pages; ++i) {
      if (!taken.take(0)) {
        taken.give_back();
        return Errno::enomem;
      }
    }
  }
  for (std::uint64_t i = 0; i < direct_map_pte_pages; ++i) {
    if (!taken.take(0)) {
      taken.give_back();
      return Errno::enomem;
    }
  }
  c.pte_pages += direct_map_pte_pages;
  return c;
}

KResult<MemremapCost> DeviceMemory::memremap_pages(AddrRange range, PageAllocator& alloc) {
  if (range.end < range.start) return Errno::einval;
  // "Conflicting mapping in same section": a pgmap already covers the start or the end.
  for (const auto& p : pgmaps_)
    if (p.contains(range.start) || p.contains(range.end)) return Errno::enomem;
  // region_intersects(IORESOURCE_SYSTEM_RAM) != REGION_DISJOINT -> "requested region intersects System RAM"
  if (intersects_ram_ && intersects_ram_(range)) return Errno::enxio;
  // mhp_range_allowed(start, size, need_mapping = true)
  if (range.start < pluggable_.start || range.end > pluggable_.end) return Errno::einval;
  if (fail_next_ > 0) {  // injected: arch_add_memory() -ENOMEM, pagemap_range() unwinds
    --fail_next_;
    return Errno::enomem;
  }
  std::uint64_t pages = range.size().value >> kPageShift;
  // arch_add_memory(): PV builds the direct map with 4 KiB PTEs; PSE guests use large pages.
  auto cost = populate_vmemmap(pages, !pv_, alloc, pv_ ? pv_direct_map_pte_pages(pages) : 0);
  if (!cost) return cost.error();
  MemremapCost c = cost.value();
  c.pages_initialised = pages;  // memmap_init_zone_device()
  pgmaps_.push_back(range);
  total_.vmemmap_pages += c.vmemmap_pages;
  total_.order9_blocks += c.order9_blocks;
  total_.order0_pages += c.order0_pages;
  total_.pte_pages += c.pte_pages;
  total_.pages_initialised += c.pages_initialised;
  return c;
}

}  // namespace gm
