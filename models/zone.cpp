// One zone's buddy allocator: see zone.h. Block state is three bitmaps (head, free, movable); a
// block's order is the distance to the next head bit, since every block and every hole starts with one.
#include "models/zone.h"

#include <algorithm>
#include <bit>
#include <cassert>

namespace gm {

namespace {

std::uint64_t round_up(std::uint64_t v, std::uint64_t a) { return (v + a - 1) / a * a; }

// Bits at positions aligned to 2^o inside one 64-bit word (o < 6), or only bit 0.
constexpr std::uint64_t align_mask(unsigned o) {
  constexpr std::array<std::uint64_t, 6> masks = {~std::uint64_t{0},     0x5555555555555555ull, 0x1111111111111111ull,
                                                  0x0101010101010101ull, 0x0001000100010001ull, 0x0000000100000001ull};
  return o < 6 ? masks[o] : 1ull;
}

}  // namespace

Zone::Zone(ZoneType type, Pfn first, Pfn end, BuddyGeometry geo) : type_(type), geo_(geo) {
  assert(geo.pageblock_order >= 6 && geo.pageblock_order <= geo.max_order);
  const std::uint64_t align = std::uint64_t{1} << geo.max_order;
  base_ = Pfn{first.value / align * align};
  span_ = 0;
  summary_.resize((geo.max_order + 1) * kMigratetypes);
  nr_free_.assign(geo.max_order + 1, 0);
  nr_free_mt_.assign((geo.max_order + 1) * kMigratetypes, 0);
  grow_to(end);
}

void Zone::grow_to(Pfn end) {
  const std::uint64_t align = std::uint64_t{1} << geo_.max_order;
  std::uint64_t span = round_up(end > base_ ? end - base_ : 1, align);
  if (span <= span_) return;
  std::uint64_t old = span_;
  span_ = span;
  head_.resize(span_);
  free_.resize(span_);
  movable_.resize(span_);
  std::uint64_t npb = span_ >> pbo();
  pb_.resize(npb);
  counts_.resize(npb * pbo(), 0);
  for (auto& s : summary_) s.resize(npb);
  head_.set(old);  // the new frames are a hole that starts at the old end
}

void Zone::mark_hole_after(std::uint64_t end_idx) {
  if (end_idx < span_ && !is_managed(base_ + end_idx)) head_.set(end_idx);
}

void Zone::add_present(PfnExtent r) {
  auto it = std::lower_bound(present_.begin(), present_.end(), r,
                             [](const PfnExtent& a, const PfnExtent& b) { return a.first < b.first; });
  it = present_.insert(it, r);
  // Merge with neighbours that touch.
  if (it != present_.begin() && std::prev(it)->end() == it->first) {
    std::prev(it)->count += it->count;
    it = std::prev(present_.erase(it));
  }
  if (std::next(it) != present_.end() && it->end() == std::next(it)->first) {
    it->count += std::next(it)->count;
    present_.erase(std::next(it));
  }
  present_pages_ += r.count;
}

bool Zone::is_managed(Pfn p) const {
  auto it =
      std::upper_bound(present_.begin(), present_.end(), p, [](Pfn v, const PfnExtent& e) { return v < e.first; });
  if (it == present_.begin()) return false;
  --it;
  return p < it->end();
}

bool Zone::is_managed(PfnExtent r) const {
  if (r.count == 0) return true;
  auto it = std::upper_bound(present_.begin(), present_.end(), r.first,
                             [](Pfn v, const PfnExtent& e) { return v < e.first; });
  if (it == present_.begin()) return false;
  --it;
  return r.end() <= it->end();
}

bool Zone::overlaps_managed(PfnExtent r) const {
  if (r.count == 0) return false;
  auto it = std::upper_bound(present_.begin(), present_.end(), r.first,
                             [](Pfn v, const PfnExtent& e) { return v < e.end(); });
  return it != present_.end() && it->first < r.end();
}

Errno Zone::add_free_range(PfnExtent r) {
  if (r.count == 0) return Errno::ok;
  if (r.first < base_ || overlaps_managed(r)) return Errno::einval;
  if (r.end() > span_end()) grow_to(r.end());
  add_present(r);
  managed_ += r.count;
  std::uint64_t i = idx(r.first), end = idx(r.end());
  head_.fill(i, end, false);  // drop hole-start marks inside the range
  // Boot frees memory in the largest aligned chunks that fit (memblock_free_all ->
  // __free_pages_memory@v6.12), each coalescing with free neighbours.
  while (i < end) {
    unsigned o = std::min<unsigned>(geo_.max_order, i ? std::countr_zero(i) : geo_.max_order);
    while ((std::uint64_t{1} << o) > end - i) --o;
    head_.set(i);
    free_coalesce(i, o);
    i += std::uint64_t{1} << o;
  }
  mark_hole_after(end);
  return Errno::ok;
}

Errno Zone::add_reserved_range(PfnExtent r) {
  if (r.count == 0) return Errno::ok;
  if (r.first < base_ || overlaps_managed(r)) return Errno::einval;
  if (r.end() > span_end()) grow_to(r.end());
  add_present(r);
  std::uint64_t i = idx(r.first), end = idx(r.end());
  head_.fill(i, end, true);  // order-0 allocated blocks, not movable
  free_.fill(i, end, false);
  movable_.fill(i, end, false);
  mark_hole_after(end);
  return Errno::ok;
}

unsigned Zone::order_of(std::uint64_t i) const {
  std::uint64_t limit = std::min(span_, i + (std::uint64_t{1} << geo_.max_order));
  std::uint64_t next = head_.next_set(i + 1, limit);
  return static_cast<unsigned>(std::bit_width(next - i) - 1);
}

void Zone::add_free(std::uint64_t i, unsigned o) {
  head_.set(i);
  free_.set(i);
  std::uint64_t pb = i >> pbo();
  Migratetype mt = pb_.get(pb);
  ++nr_free_[o];
  ++nr_free_mt_[o * kMigratetypes + static_cast<unsigned>(mt)];
  free_pages_ += std::uint64_t{1} << o;
  if (o < pbo()) {
    if (count(pb, o)++ == 0) summary(o, mt).set(pb);
  } else {
    summary(o, mt).set(pb);
  }
}

void Zone::del_free(std::uint64_t i, unsigned o) {
  free_.clear(i);
  std::uint64_t pb = i >> pbo();
  Migratetype mt = pb_.get(pb);
  --nr_free_[o];
  --nr_free_mt_[o * kMigratetypes + static_cast<unsigned>(mt)];
  free_pages_ -= std::uint64_t{1} << o;
  if (o < pbo()) {
    if (--count(pb, o) == 0) summary(o, mt).clear(pb);
  } else {
    summary(o, mt).clear(pb);
  }
}

void Zone::set_block_migratetype(std::uint64_t i, unsigned o, Migratetype mt) {
  for (std::uint64_t pb = i >> pbo(); pb < (i + (std::uint64_t{1} << o)) >> pbo(); ++pb) pb_.set(pb, mt);
}

// __free_one_page(): merge with the buddy while it is a free block of the same order. A merge that
// reaches pageblock_order re-types the covered pageblocks to the freed page's type, as 6.10+ does
// for buddies of another type ("Match buddy type", mm/page_alloc.c@v6.12).
void Zone::free_coalesce(std::uint64_t i, unsigned o) {
  Migratetype mt = pb_.get(i >> pbo());
  while (o < geo_.max_order) {
    std::uint64_t b = i ^ (std::uint64_t{1} << o);
    if (b >= span_ || !head_.test(b) || !free_.test(b) || order_of(b) != o) break;
    del_free(b, o);
    std::uint64_t hi = std::max(i, b);
    head_.clear(hi);
    i = std::min(i, b);
    ++o;
  }
  if (o >= pbo()) set_block_migratetype(i, o, mt);
  add_free(i, o);
}

void Zone::claim_pageblock(std::uint64_t pb, Migratetype mt) {
  Migratetype old = pb_.get(pb);
  if (old == mt) return;
  for (unsigned o = 0; o < pbo(); ++o) {
    if (count(pb, o) == 0) continue;
    summary(o, old).clear(pb);
    summary(o, mt).set(pb);
    nr_free_mt_[o * kMigratetypes + static_cast<unsigned>(old)] -= count(pb, o);
    nr_free_mt_[o * kMigratetypes + static_cast<unsigned>(mt)] += count(pb, o);
  }
  pb_.set(pb, mt);
}

std::uint64_t Zone::free_in_pageblock(std::uint64_t pb) const {
  std::uint64_t n = 0;
  for (unsigned o = 0; o < pbo(); ++o) n += std::uint64_t{count(pb, o)} << o;
  return n;
}

std::optional<std::uint64_t> Zone::find_in_pageblock(std::uint64_t pb, unsigned o, bool highest) const {
  const std::uint64_t first_word = (pb << pbo()) >> 6, nwords = (std::uint64_t{1} << pbo()) >> 6;
  const std::uint64_t mask = align_mask(o);
  for (std::uint64_t k = 0; k < nwords; ++k) {
    std::uint64_t w = highest ? first_word + nwords - 1 - k : first_word + k;
    if (o >= 6 && ((w << 6) & ((std::uint64_t{1} << o) - 1))) continue;
    std::uint64_t bits = head_.word(w) & free_.word(w) & mask;
    while (bits) {
      unsigned bit = highest ? 63 - std::countl_zero(bits) : std::countr_zero(bits);
      std::uint64_t i = (w << 6) + bit;
      if (order_of(i) == o) return i;
      bits &= ~(std::uint64_t{1} << bit);
    }
  }
  return std::nullopt;
}

std::optional<std::uint64_t> Zone::lowest_free(unsigned o, Migratetype mt) const {
  auto pb = summary(o, mt).find_first();
  if (!pb) return std::nullopt;
  if (o >= pbo()) return *pb << pbo();
  return find_in_pageblock(*pb, o, false);
}

// expand(): keep the low half, give the upper halves back to the free lists.
std::uint64_t Zone::take(std::uint64_t i, unsigned have, unsigned want, bool movable_page) {
  while (have > want) {
    --have;
    add_free(i + (std::uint64_t{1} << have), have);
  }
  movable_.assign(i, movable_page);
  return i;
}

std::optional<Pfn> Zone::alloc(unsigned order, Migratetype mt, bool movable_page) {
  if (order > geo_.max_order) return std::nullopt;
  // __rmqueue_smallest(): the smallest order with a block of our own type.
  for (unsigned o = order; o <= geo_.max_order; ++o) {
    if (auto i = lowest_free(o, mt)) {
      del_free(*i, o);
      return base_ + take(*i, o, order, movable_page);
    }
  }
  // __rmqueue_fallback(): the largest block of a fallback type, stealing its pageblock if allowed.
  // A movable request that may not steal takes the smallest fallback block instead ("find_smallest":
  // a movable page in a foreign pageblock does no permanent harm).
  auto find_fallback = [&](unsigned o) -> std::optional<std::uint64_t> {
    for (Migratetype fmt : fallbacks(mt))
      if (auto i = lowest_free(o, fmt)) return i;
    return std::nullopt;
  };
  for (unsigned o = geo_.max_order + 1; o-- > order;) {
    auto i = find_fallback(o);
    if (!i) continue;
    if (mt == Migratetype::movable && o > order && !can_steal_fallback(o, mt, pbo())) {
      o = order;
      while (!(i = find_fallback(o))) ++o;  // terminates: the larger block found above is still free
    }
    std::uint64_t pb = *i >> pbo();
    bool claim = fallback_claims_pageblock(o, mt, pbo(), o < pbo() ? free_in_pageblock(pb) : 0);
    if (claim && o < pbo()) claim_pageblock(pb, mt);
    del_free(*i, o);
    if (claim && o >= pbo()) set_block_migratetype(*i, o, mt);
    return base_ + take(*i, o, order, movable_page);
  }
  return std::nullopt;
}

Errno Zone::free(Pfn p, unsigned order) {
  if (!spans(p) || order > geo_.max_order) return Errno::einval;
  std::uint64_t i = idx(p);
  if (i & ((std::uint64_t{1} << order) - 1)) return Errno::einval;
  if (!is_managed(p) || !head_.test(i) || free_.test(i)) return Errno::einval;
  if (order_of(i) != order) return Errno::einval;
  movable_.clear(i);
  free_coalesce(i, order);
  return Errno::ok;
}

std::optional<BlockInfo> Zone::block_at(Pfn p) const {
  if (!spans(p) || !is_managed(p)) return std::nullopt;
  std::uint64_t i = idx(p);
  if (!head_.test(i)) return std::nullopt;
  return BlockInfo{p, order_of(i), free_.test(i), movable_.test(i)};
}

std::optional<FreeBlock> Zone::highest_free_block(unsigned min_order, unsigned max_order, Migratetype mt) const {
  std::optional<FreeBlock> best;
  for (unsigned o = min_order; o <= std::min(max_order, geo_.max_order); ++o) {
    auto pb = summary(o, mt).find_last();
    if (!pb) continue;
    std::optional<std::uint64_t> i =
        o >= pbo() ? std::optional<std::uint64_t>(*pb << pbo()) : find_in_pageblock(*pb, o, true);
    if (i && (!best || base_ + *i > best->head)) best = FreeBlock{base_ + *i, o};
  }
  return best;
}

Pfn Zone::alloc_from_free_block(FreeBlock b, unsigned order, bool movable_page) {
  std::uint64_t i = idx(b.head);
  assert(head_.test(i) && free_.test(i) && order_of(i) == b.order && order <= b.order);
  del_free(i, b.order);
  return base_ + take(i, b.order, order, movable_page);
}

std::uint64_t Zone::nr_free_of_type(unsigned order, Migratetype mt) const {
  return nr_free_mt_[order * kMigratetypes + static_cast<unsigned>(mt)];
}

std::uint64_t Zone::state_bytes() const {
  std::uint64_t b = head_.bytes() + free_.bytes() + movable_.bytes() + pb_.size() +
                    counts_.capacity() * sizeof(std::uint16_t) + present_.capacity() * sizeof(PfnExtent);
  for (const auto& s : summary_) b += s.bytes();
  return b;
}

std::string Zone::check_invariants() const {
  std::vector<std::uint64_t> nr(geo_.max_order + 1, 0), nr_mt(nr_free_mt_.size(), 0);
  std::vector<std::uint16_t> cnt(counts_.size(), 0);
  std::uint64_t free_pages = 0, pages = 0;
  for (const PfnExtent& e : present_) {
    pages += e.count;
    for (std::uint64_t i = idx(e.first); i < idx(e.end());) {
      if (!head_.test(i)) return "frame " + std::to_string((base_ + i).value) + " is not a block head";
      unsigned o = order_of(i);
      std::uint64_t size = std::uint64_t{1} << o;
      if (i & (size - 1)) return "block at " + std::to_string((base_ + i).value) + " misaligned";
      if (i + size > idx(e.end())) return "block at " + std::to_string((base_ + i).value) + " leaves managed RAM";
      if (free_.test(i)) {
        std::uint64_t pb = i >> pbo();
        Migratetype mt = pb_.get(pb);
        for (std::uint64_t q = pb; q < (i + size) >> pbo(); ++q)
          if (pb_.get(q) != mt) return "free block spans pageblocks of different types";
        ++nr[o];
        ++nr_mt[o * kMigratetypes + static_cast<unsigned>(mt)];
        free_pages += size;
        if (o < pbo())
          ++cnt[pb * pbo() + o];
        else if (!summary(o, mt).test(pb))
          return "order-" + std::to_string(o) + " block missing from its summary";
        // A free block whose buddy is free at the same order should have merged.
        std::uint64_t b = i ^ size;
        if (o < geo_.max_order && b < span_ && head_.test(b) && free_.test(b) && order_of(b) == o)
          return "unmerged buddies at " + std::to_string((base_ + std::min(i, b)).value);
      }
      i += size;
    }
  }
  if (pages != present_pages_) return "present pages mismatch";
  if (nr != nr_free_ || nr_mt != nr_free_mt_) return "nr_free mismatch";
  if (free_pages != free_pages_) return "free pages mismatch";
  if (cnt != counts_) return "per-pageblock counts mismatch";
  for (std::uint64_t pb = 0; pb < pb_.size(); ++pb)
    for (unsigned o = 0; o < pbo(); ++o)
      for (unsigned t = 0; t < kMigratetypes; ++t) {
        bool want = cnt[pb * pbo() + o] > 0 && static_cast<unsigned>(pb_.get(pb)) == t;
        if (summary_[o * kMigratetypes + t].test(pb) != want) return "summary bit mismatch";
      }
  return {};
}

}  // namespace gm
