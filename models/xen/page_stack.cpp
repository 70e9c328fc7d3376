#include "models/xen/page_stack.h"

namespace gm {

Pfn PageStack::Run::at(std::uint64_t i) const { return dir >= 0 ? top + i * static_cast<std::uint64_t>(dir) : top - i; }

void PageStack::push(Pfn p) {
  ++size_;
  if (!runs_.empty()) {
    Run& r = runs_.back();
    // p becomes the new top when the old top is the next frame in one direction.
    if ((r.dir >= 0) && p.value + 1 == r.top.value) {
      r.top = p, r.dir = +1, ++r.count;
      return;
    }
    if ((r.dir <= 0) && p.value == r.top.value + 1) {
      r.top = p, r.dir = -1, ++r.count;
      return;
    }
  }
  runs_.push_back({p, 1, 0});
}

void PageStack::push_ascending(PfnExtent e) {
  if (e.count == 0) return;
  if (e.count == 1) return push(e.first);
  size_ += e.count;
  Pfn last = e.first + (e.count - 1);
  if (!runs_.empty()) {
    Run& r = runs_.back();
    if (r.dir <= 0 && e.first.value == r.top.value + 1) {
      r.top = last, r.dir = -1, r.count += e.count;
      return;
    }
  }
  runs_.push_back({last, e.count, -1});
}

void PageStack::push_tail(Pfn p) {
  ++size_;
  if (!runs_.empty()) {
    Run& r = runs_.front();
    Pfn bottom = r.at(r.count - 1);
    if (r.dir >= 0 && p.value == bottom.value + 1) {
      r.dir = +1, ++r.count;
      return;
    }
    if (r.dir <= 0 && p.value + 1 == bottom.value) {
      r.dir = -1, ++r.count;
      return;
    }
  }
  runs_.push_front({p, 1, 0});
}

std::optional<Pfn> PageStack::pop() {
  if (runs_.empty()) return std::nullopt;
  Run& r = runs_.back();
  Pfn p = r.top;
  --size_;
  if (--r.count == 0) {
    runs_.pop_back();
  } else {
    r.top = r.at(1);
    if (r.count == 1) r.dir = 0;
  }
  return p;
}

std::optional<Pfn> PageStack::peek() const {
  if (runs_.empty()) return std::nullopt;
  return runs_.back().top;
}

std::vector<Pfn> PageStack::peek_n(std::uint64_t n) const {
  std::vector<Pfn> out;
  out.reserve(static_cast<std::size_t>(n < size_ ? n : size_));
  for (auto it = runs_.rbegin(); it != runs_.rend() && out.size() < n; ++it)
    for (std::uint64_t i = 0; i < it->count && out.size() < n; ++i) out.push_back(it->at(i));
  return out;
}

std::vector<PfnExtent> PageStack::extents() const {
  std::vector<PfnExtent> out;
  out.reserve(runs_.size());
  for (const Run& r : runs_) {
    Pfn a = r.at(0), b = r.at(r.count - 1);
    out.push_back({a < b ? a : b, r.count});
  }
  return out;
}

bool PageStack::contains(Pfn p) const {
  for (const Run& r : runs_) {
    Pfn a = r.at(0), b = r.at(r.count - 1);
    Pfn lo = a < b ? a : b, hi = a < b ? b : a;
    if (lo <= p && p <= hi) return true;
  }
  return false;
}

}  // namespace gm
