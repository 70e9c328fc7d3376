// Free lists with links in an open-addressing hash table: see free_list.h.
#include "models/free_list.h"

#include <bit>
#include <cassert>
#include <stdexcept>
#include <utility>

namespace gm {

namespace {
constexpr std::uint64_t kMinSlots = 1024;
}

// Fibonacci hashing of the key's 64-frame group, plus the key's offset in that group: blocks close in
// the zone land in the same few cache lines (a split's remainders, a run of order-0 pages), where a
// hash of the whole key would send each new block to a cold line of a table that can reach megabytes.
// Slot positions never change what the lists hold or their order, only the time taken.
std::uint64_t FreeLists::slot_of(std::uint32_t key) const {
  return (((std::uint64_t{key >> 6} * 0x9E3779B97F4A7C15ull) >> shift_) + (key & 63u)) & (slots_.size() - 1);
}

std::uint64_t FreeLists::find(std::uint32_t key) const {
  if (slots_.empty()) return kNone;
  const std::uint64_t mask = slots_.size() - 1;
  for (std::uint64_t i = slot_of(key);; i = (i + 1) & mask) {
    if (slots_[i].key == key) return i;
    if (slots_[i].key == kNone) return kNone;
  }
}

FreeLists::Slot& FreeLists::at(std::uint32_t key) {
  std::uint64_t i = find(key);
  assert(i != kNone);
  return slots_[i];
}

std::uint32_t FreeLists::next(std::uint32_t block) const {
  std::uint64_t i = find(block);
  return i == kNone ? kNone : slots_[i].next;
}

void FreeLists::insert_slot(const Slot& s) {
  const std::uint64_t mask = slots_.size() - 1;
  std::uint64_t i = slot_of(s.key);
  while (slots_[i].key != kNone) i = (i + 1) & mask;
  slots_[i] = s;
}

// Backward-shift deletion keeps linear probing free of tombstones.
void FreeLists::erase_slot(std::uint64_t i) {
  const std::uint64_t mask = slots_.size() - 1;
  std::uint64_t j = i;
  while (true) {
    j = (j + 1) & mask;
    if (slots_[j].key == kNone) break;
    std::uint64_t home = slot_of(slots_[j].key);
    // Move j back to i unless its home lies cyclically in (i, j].
    bool stays = i <= j ? (home > i && home <= j) : (home > i || home <= j);
    if (!stays) {
      slots_[i] = slots_[j];
      i = j;
    }
  }
  slots_[i] = Slot{};
}

void FreeLists::grow() {
  std::vector<Slot> old = std::move(slots_);
  std::uint64_t n = old.empty() ? kMinSlots : old.size() * 2;
  slots_.assign(n, Slot{});
  shift_ = 64 - static_cast<unsigned>(std::countr_zero(n));
  for (const Slot& s : old)
    if (s.key != kNone) insert_slot(s);
}

void FreeLists::push(unsigned list, std::uint32_t block, bool to_tail) {
  if (block == kNone) throw std::length_error("free list: block index out of range");
  assert(!contains(block));
  if ((used_ + 1) * 2 > slots_.size()) grow();
  Slot s{block, kNone, kNone};
  if (heads_[list] == kNone) {
    heads_[list] = tails_[list] = block;
  } else if (to_tail) {
    s.prev = tails_[list];
    at(tails_[list]).next = block;
    tails_[list] = block;
  } else {
    s.next = heads_[list];
    at(heads_[list]).prev = block;
    heads_[list] = block;
  }
  insert_slot(s);
  ++used_;
}

void FreeLists::remove(unsigned list, std::uint32_t block) {
  std::uint64_t i = find(block);
  assert(i != kNone);
  const Slot s = slots_[i];
  erase_slot(i);
  --used_;
  if (s.prev == kNone) {
    assert(heads_[list] == block);
    heads_[list] = s.next;
  } else {
    at(s.prev).next = s.next;
  }
  if (s.next == kNone) {
    assert(tails_[list] == block);
    tails_[list] = s.prev;
  } else {
    at(s.next).prev = s.prev;
  }
}

void FreeLists::swap(unsigned list, std::uint32_t a, std::uint32_t b) {
  if (a == b) return;
  Slot& sa = at(a);
  Slot& sb = at(b);
  // Rewrite the neighbours' links, then exchange the blocks' own links (adjacent entries included).
  auto relink = [&](std::uint32_t neighbour, bool is_prev_of, std::uint32_t to) {
    if (neighbour == kNone) {
      (is_prev_of ? heads_[list] : tails_[list]) = to;
      return;
    }
    Slot& n = at(neighbour);
    (is_prev_of ? n.next : n.prev) = to;
  };
  std::uint32_t ap = sa.prev, an = sa.next, bp = sb.prev, bn = sb.next;
  if (an == b) {  // ... ap a b bn ... -> ... ap b a bn ...
    relink(ap, true, b);
    relink(bn, false, a);
    at(a).prev = b, at(a).next = bn;
    at(b).prev = ap, at(b).next = a;
    return;
  }
  if (bn == a) {
    swap(list, b, a);
    return;
  }
  relink(ap, true, b);
  relink(an, false, b);
  relink(bp, true, a);
  relink(bn, false, a);
  at(a).prev = bp, at(a).next = bn;
  at(b).prev = ap, at(b).next = an;
}

std::uint64_t FreeLists::bytes() const {
  return slots_.capacity() * sizeof(Slot) + (heads_.capacity() + tails_.capacity()) * sizeof(std::uint32_t);
}

}  // namespace gm
