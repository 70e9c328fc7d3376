// The Xen PV guest's p2m (arch/x86/xen/p2m.c): per-pfn state kept as runs, leaf pages of 512 pfns
// allocated on demand, and the p2m size the boot code fixes (XEN_MEMORY_HOTPLUG_LIMIT, XSA-369).
#pragma once

#include <cstdint>

#include "models/kerrno.h"
#include "models/kernel_version.h"
#include "models/page_allocator.h"
#include "models/range_map.h"
#include "models/units.h"

namespace gm {

inline constexpr std::uint64_t kP2mPerPage = 512;  // P2M_PER_PAGE = PAGE_SIZE / sizeof(unsigned long)

enum class P2mState : std::uint8_t { invalid, identity, mapped };

// xen_p2m_size, xen_vmalloc_p2m_tree() arch/x86/xen/p2m.c@v6.12: ALIGN(max(max_p2m_pfn, limit), 512)
// where limit = XEN_MEMORY_HOTPLUG_LIMIT GiB in pages when MEMORY_HOTPLUG is set (2b514ec72706,
// 5.12-rc5; before that only with XEN_BALLOON_MEMORY_HOTPLUG, which is `balloon_hotplug`).
std::uint64_t p2m_size_pages(Pfn max_p2m_pfn, const KernelVersion& kernel, bool memory_hotplug, bool balloon_hotplug,
                             std::uint64_t hotplug_limit_gib = 512);

// Contract: a leaf (512 pfns) is either shared — the read-only p2m_missing (all invalid) or
// p2m_identity page — or allocated. Writing a value the shared page does not hold allocates the leaf
// (one page from the allocator, -ENOMEM if none). Beyond size() only INVALID can be written
// (__set_phys_to_machine returns mfn == INVALID_P2M_ENTRY) and nothing is allocated.
class P2m {
 public:
  explicit P2m(std::uint64_t size_pages);

  // Boot-time setup (xen_build_dynamic_phys_to_machine, set_phys_range_identity): free of charge;
  // leaves holding mixed values count as allocated from boot memory.
  void boot_set(PfnExtent range, P2mState s);
  // set_phys_to_machine(pfn, INVALID_P2M_ENTRY) for each pfn of the range. -ENOMEM on the first pfn
  // that cannot be written; earlier writes stay (fill_list does not restore them).
  Errno set_invalid(PfnExtent range, PageAllocator& alloc);
  // xen_alloc_p2m_entry(): makes the leaf of pfn writable. Beyond size() it succeeds without effect
  // (a later foreign mapping there fails: covers() tells).
  Errno alloc_entry(Pfn pfn, PageAllocator& alloc);
  // Marks pfn mapped (a foreign or populated frame); false when the p2m cannot hold it.
  bool set_mapped(Pfn pfn, PageAllocator& alloc);
  // Fault injection (xen.faults p2m_alloc): the next `n` leaf-page allocations fail as alloc_p2m()
  // does when it gets no page, so xen_alloc_p2m_entry() / set_phys_to_machine() return -ENOMEM.
  void fail_next_leaf_allocs(std::uint64_t n) { fail_leaf_allocs_ += n; }

  P2mState state(Pfn pfn) const;
  bool covers(Pfn pfn) const { return pfn.value < size_; }
  std::uint64_t size() const { return size_; }
  std::uint64_t leaf_pages_allocated() const { return leaves_charged_; }  // at run time, from the allocator
  std::uint64_t boot_leaf_pages() const;

 private:
  enum class Leaf : std::uint8_t { missing, identity, allocated };
  Errno make_writable(std::uint64_t leaf, P2mState want, PageAllocator& alloc);
  bool take_leaf_page(PageAllocator& alloc);
  std::uint64_t size_;
  RangeMap<P2mState> state_;
  RangeMap<Leaf> leaves_;  // keyed by leaf index; absent = missing
  std::uint64_t leaves_charged_ = 0;
  std::uint64_t fail_leaf_allocs_ = 0;
};

}  // namespace gm
