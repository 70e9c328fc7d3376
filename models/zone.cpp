// One zone's buddy allocator: see zone.h. Block state is three bitmaps (head, free, movable); a
// block's order is the distance to the next head bit, since every block and every hole starts with one.
#include "models/zone.h"

#include <algorithm>
#include <bit>
#include <cassert>
#include <stdexcept>

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

Zone::Zone(ZoneType type, Pfn first, Pfn end, BuddyGeometry geo, FreeListPolicy policy)
    : type_(type), geo_(geo), policy_(policy), rng_state_(policy.shuffle_seed), lists_((geo.max_order + 1) * kMigratetypes) {
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
  if (span >= FreeLists::kNone) throw std::length_error("zone spans more than 2^32 - 1 frames");
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
    free_coalesce(i, o, policy_.boot_free_to_tail);
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

void Zone::add_free(std::uint64_t i, unsigned o, bool to_tail) {
  head_.set(i);
  free_.set(i);
  std::uint64_t pb = i >> pbo();
  Migratetype mt = pb_.get(pb);
  lists_.push(list_id(o, mt), static_cast<std::uint32_t>(i), to_tail);
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
  lists_.remove(list_id(o, mt), static_cast<std::uint32_t>(i));
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

// order_of(i) == o without scanning past the block: the next head lies in [i + 2^o, i + 2^(o+1)), or
// there is none before the scan's limit and that limit does (order_of() counts the limit as the end).
bool Zone::has_order(std::uint64_t i, unsigned o) const {
  const std::uint64_t limit = std::min(span_, i + (std::uint64_t{1} << geo_.max_order));
  const std::uint64_t lo = i + (std::uint64_t{1} << o), hi = i + (std::uint64_t{2} << o);
  if (lo > limit || head_.any_in(i + 1, lo)) return false;  // the block ends before 2^o frames
  if (limit < hi) return true;                              // next head in [lo, limit], or limit itself
  return head_.next_set(lo, hi) < hi;
}

bool Zone::is_free_block(std::uint64_t i, unsigned o) const {
  return i < span_ && head_.test(i) && free_.test(i) && has_order(i, o);
}

// buddy_merge_likely() (mm/page_alloc.c@v6.1, 5.1+ commit 97500a4a54876): after merging up to order o,
// if the buddy of the next-larger block is already free, freeing our own buddy later would merge two
// levels at once; keep this block at the tail so it is not handed out before that happens. Never for
// the two highest orders (MAX_ORDER - 2 in v6.1's exclusive MAX_ORDER, MAX_PAGE_ORDER - 1 in 6.8+).
bool Zone::buddy_merge_likely(std::uint64_t i, unsigned o) const {
  if (o + 1 >= geo_.max_order) return false;
  const std::uint64_t buddy = i ^ (std::uint64_t{1} << o);
  const std::uint64_t higher = i & buddy;
  return is_free_block(higher ^ (std::uint64_t{1} << (o + 1)), o + 1);
}

std::uint64_t Zone::random_u64() {  // splitmix64
  std::uint64_t z = (rng_state_ += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// __free_one_page(): merge with the buddy while it is a free block of the same order. A merge that
// reaches pageblock_order re-types the covered pageblocks to the freed page's type, as 6.10+ does
// for buddies of another type ("Match buddy type", mm/page_alloc.c@v6.12). Then head or tail
// (mm/page_alloc.c@v6.1): FPI_TO_TAIL, else shuffle_pick_tail() at the shuffle order when shuffling
// is on, else buddy_merge_likely().
void Zone::free_coalesce(std::uint64_t i, unsigned o, bool fpi_to_tail) {
  Migratetype mt = pb_.get(i >> pbo());
  while (o < geo_.max_order) {
    std::uint64_t b = i ^ (std::uint64_t{1} << o);
    if (!is_free_block(b, o)) break;
    del_free(b, o);
    std::uint64_t hi = std::max(i, b);
    head_.clear(hi);
    i = std::min(i, b);
    ++o;
  }
  if (o >= pbo()) set_block_migratetype(i, o, mt);
  bool to_tail;
  if (fpi_to_tail) {
    to_tail = true;
  } else if (policy_.shuffle && o >= geo_.max_order) {  // is_shuffle_order(): SHUFFLE_ORDER = max order
    if (tail_bits_left_ == 0) {
      tail_bits_ = random_u64();
      tail_bits_left_ = 64;
    }
    to_tail = tail_bits_ & 1;
    tail_bits_ >>= 1;
    --tail_bits_left_;
  } else {
    to_tail = buddy_merge_likely(i, o);
  }
  add_free(i, o, to_tail);
}

// move_freepages_block(): every free block of the pageblock moves to the tail of the new type's list
// (move_to_free_list() is list_move_tail since 5.10), lowest frame first; then the type changes.
void Zone::claim_pageblock(std::uint64_t pb, Migratetype mt) {
  Migratetype old = pb_.get(pb);
  if (old == mt) return;
  const std::uint64_t first = pb << pbo(), end = first + (std::uint64_t{1} << pbo());
  for (std::uint64_t w = first >> 6; w < end >> 6; ++w) {
    for (std::uint64_t bits = head_.word(w) & free_.word(w); bits; bits &= bits - 1) {
      std::uint64_t i = (w << 6) + static_cast<std::uint64_t>(std::countr_zero(bits));
      unsigned o = order_of(i);
      lists_.move_to_tail(list_id(o, old), list_id(o, mt), static_cast<std::uint32_t>(i));
    }
  }
  for (unsigned o = 0; o < pbo(); ++o) {
    if (count(pb, o) == 0) continue;
    summary(o, old).clear(pb);
    summary(o, mt).set(pb);
    nr_free_mt_[o * kMigratetypes + static_cast<unsigned>(old)] -= count(pb, o);
    nr_free_mt_[o * kMigratetypes + static_cast<unsigned>(mt)] += count(pb, o);
  }
  pb_.set(pb, mt);
}

// prep_move_freepages_block(): walks the pageblock block by block. Holes count as neither free nor
// movable (their struct pages are reserved), like any other allocated page that is not movable.
PageblockUsage Zone::pageblock_usage(std::uint64_t pb) const {
  PageblockUsage u;
  const std::uint64_t first = pb << pbo(), end = first + (std::uint64_t{1} << pbo());
  for (std::uint64_t i = head_.next_set(first, end); i < end;) {
    const std::uint64_t next = head_.next_set(i + 1, end);
    if (free_.test(i))
      u.free_pages += next - i;
    else if (movable_.test(i))
      u.movable_pages += next - i;
    i = next;
  }
  return u;
}

bool Zone::pageblock_inside_zone(std::uint64_t pb) const {
  if (present_.empty()) return false;
  const Pfn first = base_ + (pb << pbo()), last = first + ((std::uint64_t{1} << pbo()) - 1);
  return first >= present_.front().first && last < present_.back().end();
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

// expand(): keep the low half, give the upper halves back to the free lists.
std::uint64_t Zone::take(std::uint64_t i, unsigned have, unsigned want, bool movable_page) {
  while (have > want) {
    --have;
    add_free(i + (std::uint64_t{1} << have), have);
  }
  movable_.assign(i, movable_page);
  return i;
}

// One step of alloc_bulk_order0(): B, the head of the smallest order o with a block of type mt. Taking
// pages one at a time, alloc() would split B (upper halves to the lists of orders o-1..0, each then
// empty but for them, since o was the smallest), take B, then always the smallest remainder: B, B+1,
// B+2, ... in order, every later split again leaving only B's pieces on the lower lists. After m of
// its pages, what is left of B is [B+m, B+2^o) cut into its largest aligned blocks, one per order,
// alone on its list (so head or tail is the same). That state is built here directly.
Zone::PageRun Zone::take_run(Migratetype mt, std::uint64_t n) {
  for (unsigned o = 0; o <= geo_.max_order; ++o) {
    auto h = lists_.head(list_id(o, mt));
    if (!h) continue;
    const std::uint64_t b = *h, size = std::uint64_t{1} << o;
    const std::uint64_t m = std::min(n, size);
    del_free(b, o);
    head_.fill(b, b + m, true);  // each page its own allocated order-0 block
    free_.fill(b, b + m, false);
    movable_.fill(b, b + m, false);
    // The remainder's blocks: at each step the largest aligned block that fits.
    for (std::uint64_t i = b + m; i < b + size;) {
      unsigned k = static_cast<unsigned>(std::countr_zero(i - b));
      while (i + (std::uint64_t{1} << k) > b + size) --k;
      add_free(i, k);
      i += std::uint64_t{1} << k;
    }
    return {b, m};
  }
  return {};
}

std::optional<Pfn> Zone::alloc(unsigned order, Migratetype mt, bool movable_page) {
  if (order > geo_.max_order) return std::nullopt;
  // __rmqueue_smallest(): the head of the list of the smallest order with a block of our own type.
  auto rmqueue_smallest = [&]() -> std::optional<Pfn> {
    for (unsigned o = order; o <= geo_.max_order; ++o) {
      if (auto h = lists_.head(list_id(o, mt))) {
        del_free(*h, o);
        return base_ + take(*h, o, order, movable_page);
      }
    }
    return std::nullopt;
  };
  if (auto p = rmqueue_smallest()) return p;
  // __rmqueue_fallback() (mm/page_alloc.c@v6.12): from the largest order down, the head of the first
  // fallback type's list (find_suitable_fallback()). A movable request that may not steal takes the
  // smallest fallback block instead ("find_smallest": a movable page in a foreign pageblock does no
  // permanent harm).
  auto find_fallback = [&](unsigned o) -> std::optional<std::uint64_t> {
    for (Migratetype fmt : fallbacks(mt))
      if (auto h = lists_.head(list_id(o, fmt))) return *h;
    return std::nullopt;
  };
  for (unsigned o = geo_.max_order + 1; o-- > order;) {
    auto i = find_fallback(o);
    if (!i) continue;
    if (mt == Migratetype::movable && o > order && !can_steal_fallback(o, mt, pbo())) {
      o = order;
      while (!(i = find_fallback(o))) ++o;  // terminates: the larger block found above is still free
    }
    // steal_suitable_fallback() (v6.12): a block of pageblock order or more changes type whole.
    if (o >= pbo()) {
      del_free(*i, o);
      set_block_migratetype(*i, o, mt);
      return base_ + take(*i, o, order, movable_page);
    }
    // Claiming the pageblock moves all its free blocks to our lists, then __rmqueue_smallest() takes
    // the head of the smallest order; otherwise this block alone is split (remainders keep the
    // pageblock's type). A pageblock not wholly inside the zone is never claimed
    // (prep_move_freepages_block() fails at the zone's boundary).
    std::uint64_t pb = *i >> pbo();
    const bool can_steal = can_steal_fallback(o, mt, pbo());
    const bool inside = pageblock_inside_zone(pb);
    if (inside && steal_claims_pageblock(mt, pb_.get(pb), can_steal, pageblock_usage(pb), pbo())) {
      claim_pageblock(pb, mt);
      return rmqueue_smallest();
    }
    del_free(*i, o);
    return base_ + take(*i, o, order, movable_page);
  }
  return std::nullopt;
}

bool Zone::is_allocated_block(Pfn p, unsigned order) const {
  if (!spans(p) || order > geo_.max_order) return false;
  std::uint64_t i = idx(p);
  if (i & ((std::uint64_t{1} << order) - 1)) return false;
  return is_managed(p) && head_.test(i) && !free_.test(i) && has_order(i, order);
}

Errno Zone::free(Pfn p, unsigned order) {
  if (!is_allocated_block(p, order)) return Errno::einval;
  free_checked(p, order);
  return Errno::ok;
}

void Zone::free_checked(Pfn p, unsigned order) {
  const std::uint64_t i = idx(p);
  assert(head_.test(i) && !free_.test(i) && has_order(i, order));
  movable_.clear(i);
  free_coalesce(i, order, false);
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

void Zone::shuffle_free_lists() {
  if (!policy_.shuffle) return;
  const unsigned o = geo_.max_order;
  const std::uint64_t step = std::uint64_t{1} << o;
  constexpr int kShuffleRetry = 10;  // SHUFFLE_RETRY
  for (std::uint64_t i = 0; i < span_; i += step) {
    if (!is_free_block(i, o)) continue;
    std::uint64_t j = 0;
    int retry = 0;
    for (; retry < kShuffleRetry; ++retry) {
      j = random_u64() % span_ / step * step;
      if (j != i && is_free_block(j, o)) break;
    }
    if (retry >= kShuffleRetry) continue;
    const Migratetype mt = pb_.get(i >> pbo());
    if (pb_.get(j >> pbo()) != mt) continue;  // each migratetype has its own list
    lists_.swap(list_id(o, mt), static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(j));
  }
}

std::vector<Pfn> Zone::free_list(unsigned order, Migratetype mt) const {
  std::vector<Pfn> out;
  for (auto h = lists_.head(list_id(order, mt)); h; ) {
    out.push_back(base_ + *h);
    std::uint32_t n = lists_.next(*h);
    h = n == FreeLists::kNone ? std::nullopt : std::optional<std::uint32_t>(n);
  }
  return out;
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
  // Every free block is on the list of its order and pageblock type, once.
  std::uint64_t listed = 0;
  for (unsigned o = 0; o <= geo_.max_order; ++o)
    for (unsigned t = 0; t < kMigratetypes; ++t) {
      const auto mt = static_cast<Migratetype>(t);
      std::uint64_t n = 0;
      for (auto h = lists_.head(list_id(o, mt)); h; ++n) {
        if (n > nr_free_mt_[o * kMigratetypes + t]) return "free list longer than nr_free (a cycle?)";
        if (!is_free_block(*h, o) || pb_.get(*h >> pbo()) != mt)
          return "free list of order " + std::to_string(o) + " holds frame " + std::to_string((base_ + *h).value) +
                 ", not a free block of that order and type";
        std::uint32_t next = lists_.next(*h);
        h = next == FreeLists::kNone ? std::nullopt : std::optional<std::uint32_t>(next);
      }
      if (n != nr_free_mt_[o * kMigratetypes + t]) return "free list length != nr_free";
      listed += n;
    }
  if (listed != lists_.size()) return "free lists hold blocks that are on no list";
  for (std::uint64_t pb = 0; pb < pb_.size(); ++pb)
    for (unsigned o = 0; o < pbo(); ++o)
      for (unsigned t = 0; t < kMigratetypes; ++t) {
        bool want = cnt[pb * pbo() + o] > 0 && static_cast<unsigned>(pb_.get(pb)) == t;
        if (summary_[o * kMigratetypes + t].test(pb) != want) return "summary bit mismatch";
      }
  return {};
}

}  // namespace gm
