// Memory hotplug (mm/memory_hotplug.c, drivers/base/memory.c): add_memory_resource() checks,
// memory blocks, onlining through an online-page callback with MEM_GOING_ONLINE/MEM_ONLINE events.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "models/guest_kernel.h"
#include "models/kerrno.h"
#include "models/range_map.h"
#include "models/sparse.h"
#include "models/units.h"

namespace gm {

// Contract: ranges are tracked as runs of pfns (RangeMap), never per page. add() only registers
// offline blocks; online() walks them and calls the callback per buddy-aligned chunk.
class MemoryHotplug {
 public:
  enum class BlockState : std::uint8_t { offline, online };
  using OnlinePage = std::function<void(Pfn first, unsigned order)>;
  using Notifier = std::function<void(MemEvent)>;

  MemoryHotplug(SectionGeometry geo, Bytes block_size, AddrRange pluggable, unsigned max_page_order = 10);

  // check_hotplug_memory_range(): -EINVAL when start or size is not a multiple of the block size
  // ("Block size [%#lx] unaligned hotplug range"); mhp_range_allowed(): -ERANGE outside the
  // pluggable range [?: errno per reference §6.5]; -EEXIST-like overlap with added memory: -EBUSY.
  Errno check(AddrRange range) const;
  Errno add(AddrRange range);
  // online_pages(): MEM_GOING_ONLINE, the callback per chunk of order min(max_order, __ffs(pfn)),
  // then MEM_ONLINE; returns the number of pages onlined (0 when nothing offline is in range).
  std::uint64_t online(AddrRange range);
  std::uint64_t offline(AddrRange range);

  void set_online_page_callback(OnlinePage cb) { online_page_ = std::move(cb); }
  void register_notifier(Notifier cb) { notifiers_.push_back(std::move(cb)); }

  Bytes block_size() const { return block_size_; }
  Bytes added_bytes() const { return {added_pages_ << geo_.page_shift}; }
  std::uint64_t online_pages() const;
  std::vector<AddrRange> added_ranges() const;

 private:
  void notify(MemEvent e);
  SectionGeometry geo_;
  Bytes block_size_;
  AddrRange pluggable_;
  unsigned max_order_;
  RangeMap<BlockState> pfns_;
  std::uint64_t added_pages_ = 0;
  OnlinePage online_page_;
  std::vector<Notifier> notifiers_;
};

}  // namespace gm
