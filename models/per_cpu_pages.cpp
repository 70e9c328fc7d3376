// Per-CPU page lists: see per_cpu_pages.h.
#include "models/per_cpu_pages.h"

#include <algorithm>
#include <bit>
#include <cassert>
#include <stdexcept>
#include <utility>

namespace gm {

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

PerCpuPages::PerCpuPages(PcpConfig cfg, unsigned pageblock_order, Pfn base)
    : cfg_(cfg), pageblock_order_(pageblock_order), base_(base) {
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
  if (p < base_) throw std::logic_error("PerCpuPages::push: a frame below its zone");
  const std::uint64_t i = p - base_;
  if (i >= held_.size()) {  // 1.5x steps of 2^18 frames (32 KiB): at most half again the highest frame held
    constexpr std::uint64_t kStep = std::uint64_t{1} << 18;
    held_.resize((std::max(i + 1, held_.size() + held_.size() / 2) + kStep - 1) / kStep * kStep);
  }
  held_.set(i);
  auto& l = cpus_[c].lists[pindex];
  to_tail ? l.push_back(p) : l.push_front(p);
  cpus_[c].count += std::int64_t{1} << order_of(pindex);
}

Pfn PerCpuPages::pop_head(unsigned c, unsigned pindex) {
  auto& l = cpus_[c].lists[pindex];
  Pfn p = l.front();
  l.pop_front();
  cpus_[c].count -= std::int64_t{1} << order_of(pindex);
  held_.clear(p - base_);
  return p;
}

Pfn PerCpuPages::pop_tail(unsigned c, unsigned pindex) {
  auto& l = cpus_[c].lists[pindex];
  Pfn p = l.back();
  l.pop_back();
  cpus_[c].count -= std::int64_t{1} << order_of(pindex);
  held_.clear(p - base_);
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
