// A LIFO stack of page frames stored as runs, so that a 128 MiB section pushed in one go is one entry
// and not 32768 objects (design §5). Pops and pushes keep per-page LIFO semantics exactly.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <span>
#include <vector>

#include "models/units.h"

namespace gm {

// Contract: push(p) then pop() returns p; pop order is exactly the reverse of push order, as with a
// singly linked list threaded through struct page (unpopulated-alloc.c page_list, balloon.c
// ballooned_pages). The bottom end ("tail") supports push_tail for the balloon's highmem rule.
class PageStack {
 public:
  void push(Pfn p);
  // Pushes first, first+1, ..., first+count-1 in that order (the last frame ends on top).
  void push_ascending(PfnExtent e);
  void push_tail(Pfn p);  // list_add_tail: becomes the last page popped
  std::optional<Pfn> pop();
  std::optional<Pfn> peek() const;
  // The first `n` frames in pop order (or fewer when the stack is shorter), without popping.
  std::vector<Pfn> peek_n(std::uint64_t n) const;
  std::uint64_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  std::size_t runs() const { return runs_.size(); }  // storage actually used
  // The stack's frames as ascending extents, one per stored run (for range-based invariant scans).
  std::vector<PfnExtent> extents() const;
  // True when `p` is on the stack (linear in the number of runs; for tests and invariant checks).
  bool contains(Pfn p) const;

 private:
  // Pops yield top, top+dir, top+2*dir, ... count frames in all.
  struct Run {
    Pfn top;
    std::uint64_t count = 0;
    int dir = 0;  // +1, -1, or 0 when count == 1
    Pfn at(std::uint64_t i) const;
  };
  std::deque<Run> runs_;  // back() is the top of the stack, front() the tail
  std::uint64_t size_ = 0;
};

}  // namespace gm
