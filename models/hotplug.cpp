// mm/memory_hotplug.c@v6.12: check_hotplug_memory_range(), mhp_range_allowed(), online_pages_range()
// (chunks of order min(MAX_PAGE_ORDER, __ffs(pfn))), memory notifier events.
#include "models/hotplug.h"

#include <algorithm>
#include <bit>

namespace gm {

MemoryHotplug::MemoryHotplug(SectionGeometry geo, Bytes block_size, AddrRange pluggable, unsigned max_page_order)
    : geo_(geo), block_size_(block_size), pluggable_(pluggable), max_order_(max_page_order) {}

Errno MemoryHotplug::check(AddrRange range) const {
  if (range.end < range.start) return Errno::einval;
  std::uint64_t size = range.size().value;
  std::uint64_t bs = block_size_.value;
  // "Block size [%#lx] unaligned hotplug range: start %#llx, size %#llx"
  if (size == 0 || range.start.value % bs != 0 || size % bs != 0) return Errno::einval;
  // "Hotplug memory [%#llx-%#llx] exceeds maximum addressable range"
  if (range.start < pluggable_.start || range.end > pluggable_.end) return Errno::erange;
  std::uint64_t first = range.start.value >> geo_.page_shift;
  std::uint64_t last = (range.end.value >> geo_.page_shift) + 1;
  if (!pfns_.runs(first, last).empty()) return Errno::ebusy;
  return Errno::ok;
}

Errno MemoryHotplug::add(AddrRange range) {
  if (Errno e = check(range); e != Errno::ok) return e;
  std::uint64_t first = range.start.value >> geo_.page_shift;
  std::uint64_t last = (range.end.value >> geo_.page_shift) + 1;
  pfns_.assign(first, last, BlockState::offline);
  added_pages_ += last - first;
  return Errno::ok;
}

void MemoryHotplug::notify(MemEvent e) {
  for (auto& n : notifiers_) n(e);
}

std::uint64_t MemoryHotplug::online(AddrRange range) {
  std::uint64_t first = range.start.value >> geo_.page_shift;
  std::uint64_t last = (range.end.value >> geo_.page_shift) + 1;
  const std::uint64_t block_pages = std::max<std::uint64_t>(1, block_size_.value >> geo_.page_shift);
  std::uint64_t done = 0;
  for (const auto& run : pfns_.runs(first, last)) {
    if (run.value != BlockState::offline) continue;
    // online_memory_block() per memory block: MEM_GOING_ONLINE, online_pages(), MEM_ONLINE.
    for (std::uint64_t b = run.first; b < run.last;) {
      std::uint64_t e = std::min(run.last, (b / block_pages + 1) * block_pages);
      notify(MemEvent::going_online);
      for (std::uint64_t pfn = b; pfn < e;) {
        unsigned order =
            pfn ? std::min<unsigned>(max_order_, static_cast<unsigned>(std::countr_zero(pfn))) : max_order_;
        while (pfn + (std::uint64_t{1} << order) > e) --order;  // never past the block
        if (online_page_) online_page_(Pfn{pfn}, order);
        pfn += std::uint64_t{1} << order;
      }
      pfns_.assign(b, e, BlockState::online);
      done += e - b;
      notify(MemEvent::online);
      b = e;
    }
  }
  return done;
}

std::uint64_t MemoryHotplug::offline(AddrRange range) {
  std::uint64_t first = range.start.value >> geo_.page_shift;
  std::uint64_t last = (range.end.value >> geo_.page_shift) + 1;
  std::uint64_t done = 0;
  for (const auto& run : pfns_.runs(first, last)) {
    if (run.value != BlockState::online) continue;
    notify(MemEvent::going_offline);
    pfns_.assign(run.first, run.last, BlockState::offline);
    done += run.last - run.first;
    notify(MemEvent::offline);
  }
  return done;
}

std::uint64_t MemoryHotplug::online_pages() const {
  return pfns_.count(0, ~std::uint64_t{0}, BlockState::online);
}

std::vector<AddrRange> MemoryHotplug::added_ranges() const {
  std::vector<AddrRange> out;
  for (const auto& r : pfns_.runs(0, ~std::uint64_t{0})) {
    AddrRange a{PhysAddr{r.first << geo_.page_shift}, PhysAddr{(r.last << geo_.page_shift) - 1}};
    if (!out.empty() && out.back().end.value + 1 == a.start.value)
      out.back().end = a.end;
    else
      out.push_back(a);
  }
  return out;
}

}  // namespace gm
