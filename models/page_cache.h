// Clean file pages on the LRU (mm/filemap.c, mm/vmscan.c@v6.1) as the one thing reclaim can take in
// a guest without swap: anonymous memory has nowhere to go (no swap device), slab here is not
// shrinkable, so kswapd and direct reclaim free the oldest page cache pages and nothing else.
#pragma once

#include <cstdint>
#include <list>
#include <unordered_map>

#include "models/page_allocator.h"

namespace gm {

// Contract: every page added was allocated (order 0) from `alloc` by the caller and is owned by the
// cache from then on. shrink() frees the least recently added pages first (the inactive file list's
// tail; clean pages need no writeback, so every isolated page is freed). Compaction may move a page:
// move() follows it. O(1) per page.
class PageCache {
 public:
  explicit PageCache(PageAllocator& alloc) : alloc_(alloc) {}

  void add(Pfn p);
  // Frees up to nr pages, oldest first; returns how many were freed.
  std::uint64_t shrink(std::uint64_t nr);
  // A page at `from` now lives at `to`; false when `from` is not a page cache page.
  bool move(Pfn from, Pfn to);
  bool holds(Pfn p) const { return where_.count(p.value) != 0; }
  std::uint64_t pages() const { return lru_.size(); }
  std::uint64_t reclaimed() const { return reclaimed_; }

 private:
  PageAllocator& alloc_;
  std::list<std::uint64_t> lru_;  // front = most recently added
  std::unordered_map<std::uint64_t, std::list<std::uint64_t>::iterator> where_;
  std::uint64_t reclaimed_ = 0;
};

}  // namespace gm
