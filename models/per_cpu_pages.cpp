// Per-CPU page lists: see per_cpu_pages.h.
#include "models/per_cpu_pages.h"

#include <algorithm>
#include <bit>
#include <cassert>
#include <utility>

namespace gm {

// Fibonacci hashing of the key's 8-frame group, plus the key's offset in it: a run of pages refilled
// from the buddy lists shares one cache line of the table. (Larger groups make linear-probing runs so
// long that erase's backward shift dominates.)
std::uint64_t FrameSet::home(std::uint64_t key) const {
  return (((key >> 3) * 0x9E3779B97F4A7C15ull >> shift_) + (key & 7u)) & (slots_.size() - 1);
}

bool FrameSet::contains(std::uint64_t key) const {
  if (slots_.empty()) return false;
  const std::uint64_t mask = slots_.size() - 1;
  for (std::uint64_t i = home(key);; i = (i + 1) & mask) {
    if (slots_[i] == key) return true;
    if (slots_[i] == kEmpty) return false;
  }
}

void FrameSet::grow() {
  std::vector<std::uint64_t> old = std::move(slots_);
  const std::uint64_t n = old.empty() ? 64 : old.size() * 2;
  slots_.assign(n, kEmpty);
  shift_ = 64 - static_cast<unsigned>(std::countr_zero(n));
  const std::uint64_t mask = n - 1;
  for (std::uint64_t k : old) {
    if (k == kEmpty) continue;
    std::uint64_t i = home(k);
    while (slots_[i] != kEmpty) i = (i + 1) & mask;
    slots_[i] = k;
  }
}

void FrameSet::insert(std::uint64_t key) {
  assert(key != kEmpty && !contains(key));
  if ((used_ + 1) * 2 > slots_.size()) grow();
  const std::uint64_t mask = slots_.size() - 1;
  std::uint64_t i = home(key);
  while (slots_[i] != kEmpty) i = (i + 1) & mask;
  slots_[i] = key;
  ++used_;
}

void FrameSet::erase(std::uint64_t key) {
  if (slots_.empty()) return;
  const std::uint64_t mask = slots_.size() - 1;
  std::uint64_t i = home(key);
  while (slots_[i] != key) {
    if (slots_[i] == kEmpty) return;
    i = (i + 1) & mask;
  }
  --used_;
  // Backward shift: move later entries of the probe run back unless their home lies in (i, j].
  for (std::uint64_t j = i;;) {
    j = (j + 1) & mask;
    if (slots_[j] == kEmpty) break;
    const std::uint64_t h = home(slots_[j]);
    const bool stays = i <= j ? (h > i && h <= j) : (h > i || h <= j);
    if (!stays) {
      slots_[i] = slots_[j];
      i = j;
    }
  }
  slots_[i] = kEmpty;
}

std::uint32_t pcp_batch(std::uint64_t managed_pages) {
  // zone_batchsize() (mm/page_alloc.c@v6.1): min(managed / 1024, 1 MiB of pages) / 4, at least 1,
  // then rounddown_pow_of_two(batch * 1.5) - 1 so that batches do not alias in the caches.
  std::uint64_t batch = std::min<std::uint64_t>(managed_pages >> 10, (std::uint64_t{1} << 20) / kPageSize);
  batch /= 4;
  if (batch < 1) batch = 1;
  return static_cast<std::uint32_t>(std::bit_floor(batch + batch / 2) - 1);
}

std::uint32_t pcp_high(std::uint64_t low_wmark, std::uint32_t batch, unsigned nr_cpus, bool from_low_watermark) {
  if (!from_low_watermark) return 6 * batch;  // pageset_set_batch() before 5.14
  // zone_highsize() (v6.1): the low watermark split over the node's CPUs, at least 4 * batch.
  std::uint64_t high = low_wmark / std::max(1u, nr_cpus);
  return static_cast<std::uint32_t>(std::max<std::uint64_t>(high, std::uint64_t{batch} << 2));
}

PerCpuPages::PerCpuPages(PcpConfig cfg, unsigned pageblock_order) : cfg_(cfg), pageblock_order_(pageblock_order) {
  cpus_.resize(std::max(1u, cfg_.nr_cpus));
  for (Cpu& c : cpus_) c.lists.resize(nr_lists());
}

bool PerCpuPages::allowed_order(unsigned order) const {
  if (order == 0) return true;
  if (!cfg_.high_order) return false;
  return order <= kPageAllocCostlyOrder || order == pageblock_order_;
}

unsigned PerCpuPages::pindex(Migratetype mt, unsigned order) const {
  // order_to_pindex(): orders 0..3 in slots 0..3, pageblock_order in slot 4 (THP), per migratetype.
  unsigned base = order > kPageAllocCostlyOrder ? kPageAllocCostlyOrder + 1 : order;
  return base * kMigratetypes + static_cast<unsigned>(mt);
}

unsigned PerCpuPages::order_of(unsigned pindex) const {
  unsigned base = pindex / kMigratetypes;
  return base > kPageAllocCostlyOrder ? pageblock_order_ : base;
}

void PerCpuPages::push(unsigned c, unsigned pindex, Pfn p, bool to_tail) {
  assert(!holds(p));
  auto& l = cpus_[c].lists[pindex];
  to_tail ? l.push_back(p) : l.push_front(p);
  cpus_[c].count += std::int64_t{1} << order_of(pindex);
  held_.insert(p.value);
}

Pfn PerCpuPages::pop_head(unsigned c, unsigned pindex) {
  auto& l = cpus_[c].lists[pindex];
  Pfn p = l.front();
  l.pop_front();
  cpus_[c].count -= std::int64_t{1} << order_of(pindex);
  held_.erase(p.value);
  return p;
}

Pfn PerCpuPages::pop_tail(unsigned c, unsigned pindex) {
  auto& l = cpus_[c].lists[pindex];
  Pfn p = l.back();
  l.pop_back();
  cpus_[c].count -= std::int64_t{1} << order_of(pindex);
  held_.erase(p.value);
  return p;
}

std::uint64_t PerCpuPages::pages() const {
  std::int64_t n = 0;
  for (const Cpu& c : cpus_) n += c.count;
  return static_cast<std::uint64_t>(n);
}

std::int64_t PerCpuPages::nr_to_free(Cpu& c, bool free_high) const {
  // nr_pcp_free() (mm/page_alloc.c@v6.1).
  if (free_high) return c.count;  // batch-freeing high-order pages: everything
  const std::int64_t high = high_, batch0 = batch_;
  if (high < batch0) return 1;  // pcp disabled or boot pageset
  const std::int64_t min_nr_free = batch0, max_nr_free = high - batch0;
  // Double the number freed each time pages are freed again without an allocation in between.
  std::int64_t batch = batch0 << c.free_factor;
  if (batch < max_nr_free) ++c.free_factor;
  return std::min(std::max(batch, min_nr_free), max_nr_free);  // the kernel's clamp()
}

}  // namespace gm
