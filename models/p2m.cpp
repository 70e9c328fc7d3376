// arch/x86/xen/p2m.c@v6.12: the linear p2m list (xen_p2m_size entries), shared p2m_missing /
// p2m_identity leaf pages, alloc_p2m() on the first differing write, __set_phys_to_machine() beyond
// xen_p2m_size accepting only INVALID_P2M_ENTRY, xen_alloc_p2m_entry() succeeding beyond it.
#include "models/p2m.h"

#include <algorithm>

namespace gm {

std::uint64_t p2m_size_pages(Pfn max_p2m_pfn, const KernelVersion& kernel, bool memory_hotplug, bool balloon_hotplug,
                             std::uint64_t hotplug_limit_gib) {
  // 2b514ec72706 (5.12-rc5, XSA-369 follow-up): the limit applies whenever MEMORY_HOTPLUG is set;
  // before, only with XEN_BALLOON_MEMORY_HOTPLUG.
  bool limit = kernel.at_least("5.12") ? memory_hotplug : balloon_hotplug;
  std::uint64_t n = max_p2m_pfn.value;
  if (limit) n = std::max(n, (hotplug_limit_gib << 30) >> kPageShift);
  return (n + kP2mPerPage - 1) / kP2mPerPage * kP2mPerPage;
}

P2m::P2m(std::uint64_t size_pages) : size_(size_pages) {}

P2mState P2m::state(Pfn pfn) const {
  if (pfn.value >= size_) return P2mState::identity;  // get_phys_to_machine(): IDENTITY_FRAME beyond the list
  return state_.at(pfn.value).value_or(P2mState::invalid);
}

void P2m::boot_set(PfnExtent range, P2mState s) {
  std::uint64_t first = std::min(range.first.value, size_);
  std::uint64_t last = std::min(range.end().value, size_);
  if (first >= last) return;
  state_.assign(first, last, s);
  // Leaves fully inside take the shared page matching s; the edge leaves are recomputed from content.
  std::uint64_t lf = first / kP2mPerPage, ll = (last + kP2mPerPage - 1) / kP2mPerPage;
  auto shared = [](P2mState v) {
    return v == P2mState::invalid ? Leaf::missing : v == P2mState::identity ? Leaf::identity : Leaf::allocated;
  };
  auto recompute = [&](std::uint64_t leaf) {
    auto runs = state_.runs(leaf * kP2mPerPage, (leaf + 1) * kP2mPerPage);
    std::uint64_t covered = 0;
    for (const auto& r : runs) covered += r.last - r.first;
    bool all_invalid = true;
    for (const auto& r : runs) all_invalid = all_invalid && r.value == P2mState::invalid;
    Leaf l = Leaf::allocated;
    if (all_invalid)
      l = Leaf::missing;  // absent entries are invalid too
    else if (runs.size() == 1 && covered == kP2mPerPage)
      l = shared(runs[0].value);
    if (l == Leaf::missing)
      leaves_.erase(leaf, leaf + 1);
    else
      leaves_.assign(leaf, leaf + 1, l);
  };
  if (ll - lf <= 2) {
    for (std::uint64_t l = lf; l < ll; ++l) recompute(l);
    return;
  }
  if (shared(s) == Leaf::missing)
    leaves_.erase(lf + 1, ll - 1);
  else
    leaves_.assign(lf + 1, ll - 1, shared(s));
  recompute(lf);
  recompute(ll - 1);
}

// alloc_p2m_page(): one page for a new leaf, or an injected failure.
bool P2m::take_leaf_page(PageAllocator& alloc) {
  if (fail_leaf_allocs_ > 0) {
    --fail_leaf_allocs_;
    return false;
  }
  return alloc.alloc_pages(0, kGfpKernel).has_value();
}

Errno P2m::make_writable(std::uint64_t leaf, P2mState want, PageAllocator& alloc) {
  Leaf l = leaves_.at(leaf).value_or(Leaf::missing);
  if (l == Leaf::allocated) return Errno::ok;
  if ((l == Leaf::missing && want == P2mState::invalid) || (l == Leaf::identity && want == P2mState::identity))
    return Errno::ok;  // the shared page already holds that value
  if (!take_leaf_page(alloc)) return Errno::enomem;  // alloc_p2m(): a new leaf page
  leaves_.assign(leaf, leaf + 1, Leaf::allocated);
  ++leaves_charged_;
  return Errno::ok;
}

Errno P2m::set_invalid(PfnExtent range, PageAllocator& alloc) {
  std::uint64_t first = range.first.value;
  std::uint64_t last = std::min(range.end().value, size_);
  for (std::uint64_t pfn = first; pfn < last;) {
    std::uint64_t leaf = pfn / kP2mPerPage;
    std::uint64_t leaf_end = std::min(last, (leaf + 1) * kP2mPerPage);
    if (Errno e = make_writable(leaf, P2mState::invalid, alloc); e != Errno::ok) {
      state_.assign(first, pfn, P2mState::invalid);  // the entries already written stay
      return e;
    }
    pfn = leaf_end;
  }
  if (first < last) state_.assign(first, last, P2mState::invalid);
  return Errno::ok;  // beyond size(): "only invalid entries allowed above the highest p2m covered frame"
}

Errno P2m::alloc_entry(Pfn pfn, PageAllocator& alloc) {
  if (pfn.value >= size_) return Errno::ok;
  Leaf l = leaves_.at(pfn.value / kP2mPerPage).value_or(Leaf::missing);
  if (l == Leaf::allocated) return Errno::ok;
  if (!take_leaf_page(alloc)) return Errno::enomem;
  leaves_.assign(pfn.value / kP2mPerPage, pfn.value / kP2mPerPage + 1, Leaf::allocated);
  ++leaves_charged_;
  return Errno::ok;
}

bool P2m::set_mapped(Pfn pfn, PageAllocator& alloc) {
  if (pfn.value >= size_) return false;
  if (make_writable(pfn.value / kP2mPerPage, P2mState::mapped, alloc) != Errno::ok) return false;
  state_.assign(pfn.value, pfn.value + 1, P2mState::mapped);
  return true;
}

std::uint64_t P2m::boot_leaf_pages() const {
  return leaves_.count(0, ~std::uint64_t{0}, Leaf::allocated) - leaves_charged_;
}

}  // namespace gm
