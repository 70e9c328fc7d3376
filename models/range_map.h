// A map from disjoint half-open integer ranges to values, merging equal neighbours: the storage for
// per-frame state (p2m entries, memory-block states) without per-page objects (design §5).
#pragma once

#include <cstdint>
#include <iterator>
#include <map>
#include <optional>
#include <utility>
#include <vector>

namespace gm {

// Contract: assign() overwrites [first, last) with `v`; ranges never overlap; adjacent ranges with
// equal values are merged, so size() stays proportional to the number of distinct runs.
template <class V>
class RangeMap {
 public:
  struct Run {
    std::uint64_t first = 0;
    std::uint64_t last = 0;  // exclusive
    V value{};
  };

  void assign(std::uint64_t first, std::uint64_t last, const V& v) {
    if (first >= last) return;
    erase(first, last);
    auto it = runs_.emplace(first, Entry{last, v}).first;
    if (it != runs_.begin()) {  // merge with the left neighbour
      auto prev = std::prev(it);
      if (prev->second.last == first && prev->second.value == v) {
        prev->second.last = last;
        runs_.erase(it);
        it = prev;
      }
    }
    auto next = std::next(it);
    if (next != runs_.end() && next->first == it->second.last && next->second.value == v) {
      it->second.last = next->second.last;
      runs_.erase(next);
    }
  }

  // Removes every value in [first, last), splitting runs at the edges.
  void erase(std::uint64_t first, std::uint64_t last) {
    if (first >= last) return;
    auto it = runs_.lower_bound(first);
    if (it != runs_.begin()) {
      auto prev = std::prev(it);
      if (prev->second.last > first) {
        Entry tail = prev->second;
        prev->second.last = first;
        if (tail.last > last) runs_.emplace(last, Entry{tail.last, tail.value});
      }
    }
    it = runs_.lower_bound(first);
    while (it != runs_.end() && it->first < last) {
      if (it->second.last > last) {
        Entry tail = it->second;
        runs_.erase(it);
        runs_.emplace(last, tail);
        break;
      }
      it = runs_.erase(it);
    }
  }

  std::optional<V> at(std::uint64_t key) const {
    auto it = runs_.upper_bound(key);
    if (it == runs_.begin()) return std::nullopt;
    --it;
    if (key < it->second.last) return it->second.value;
    return std::nullopt;
  }

  // The runs intersecting [first, last), clipped to it, in ascending order.
  std::vector<Run> runs(std::uint64_t first, std::uint64_t last) const {
    std::vector<Run> out;
    auto it = runs_.upper_bound(first);
    if (it != runs_.begin()) --it;
    for (; it != runs_.end() && it->first < last; ++it) {
      if (it->second.last <= first) continue;
      out.push_back({std::max(first, it->first), std::min(last, it->second.last), it->second.value});
    }
    return out;
  }

  // Number of keys in [first, last) mapped to `v`.
  std::uint64_t count(std::uint64_t first, std::uint64_t last, const V& v) const {
    std::uint64_t n = 0;
    for (const auto& r : runs(first, last))
      if (r.value == v) n += r.last - r.first;
    return n;
  }

  std::size_t size() const { return runs_.size(); }
  bool empty() const { return runs_.empty(); }

 private:
  struct Entry {
    std::uint64_t last;
    V value;
  };
  std::map<std::uint64_t, Entry> runs_;
};

}  // namespace gm
