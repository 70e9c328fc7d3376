// The guest's page allocator over zones: see buddy.h.
#include "models/buddy.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <unordered_map>

namespace gm {

namespace {

constexpr Pfn kNoEnd{std::numeric_limits<std::uint64_t>::max()};

std::uint64_t int_sqrt(std::uint64_t x) {
  auto r = static_cast<std::uint64_t>(std::sqrt(static_cast<double>(x)));
  while (r * r > x) --r;
  while ((r + 1) * (r + 1) <= x) ++r;
  return r;
}

// gfp_zone(): __GFP_MOVABLE together with __GFP_HIGHMEM may use ZONE_MOVABLE (include/linux/gfp.h@v6.12).
ZoneType highest_zone(Gfp gfp) { return gfp.movable && gfp.highmem ? ZoneType::movable : ZoneType::normal; }

}  // namespace

ZoneType ZoneLayout::zone_for(Pfn p) const {
  if (movable_start && p >= *movable_start) return ZoneType::movable;
  if (dma_end && p < *dma_end) return ZoneType::dma;
  if (dma32_end && p < *dma32_end) return ZoneType::dma32;
  return ZoneType::normal;
}

Pfn ZoneLayout::zone_end(ZoneType z) const {
  switch (z) {
    case ZoneType::dma:
      return dma_end.value_or(Pfn{0});
    case ZoneType::dma32:
      return dma32_end.value_or(Pfn{0});
    case ZoneType::normal:
      return movable_start.value_or(kNoEnd);
    case ZoneType::movable:
      return kNoEnd;
  }
  return kNoEnd;
}

BuddyConfig buddy_config_for(Arch arch) {
  BuddyConfig cfg;
  const Pfn k16m{(std::uint64_t{16} << 20) >> kPageShift}, k4g{(std::uint64_t{4} << 30) >> kPageShift};
  switch (arch) {
    case Arch::x86_64:
      break;
    case Arch::i386:
      cfg.layout.dma_end = k16m;
      cfg.layout.dma32_end.reset();
      break;
    case Arch::arm64:
      cfg.layout.dma_end = k4g;
      cfg.layout.dma32_end.reset();
      break;
    case Arch::riscv64:
      cfg.layout.dma_end.reset();
      cfg.layout.dma32_end = k4g;
      break;
    case Arch::arm:
      cfg.layout.dma_end.reset();
      cfg.layout.dma32_end.reset();
      cfg.geometry.pageblock_order = 10;
      break;
  }
  return cfg;
}

bool zone_watermark_ok(const Zone& z, unsigned order, std::uint64_t mark, ZoneType highest, std::uint64_t extra_free) {
  auto free = static_cast<std::int64_t>(z.free_pages() + extra_free) - ((std::int64_t{1} << order) - 1);
  auto need = static_cast<std::int64_t>(mark + z.lowmem_reserve[static_cast<unsigned>(highest)]);
  if (free <= need) return false;
  if (order == 0) return true;
  for (unsigned o = order; o <= z.geometry().max_order; ++o)
    if (z.nr_free(o)) return true;
  return false;
}

template <class F>
void BuddyAllocator::for_each_zone_part(PfnExtent r, F&& f) const {
  const ZoneLayout& l = cfg_.layout;
  Pfn p = r.first;
  while (p < r.end()) {
    Pfn next = r.end();
    for (const auto& b : {l.dma_end, l.dma32_end, l.movable_start})
      if (b && *b > p && *b < next) next = *b;
    f(l.zone_for(p), PfnExtent{p, next - p});
    p = next;
  }
}

BuddyAllocator::BuddyAllocator(std::span<const PfnExtent> usable_ram, BuddyConfig cfg) : cfg_(cfg) {
  std::vector<PfnExtent> sorted(usable_ram.begin(), usable_ram.end());
  std::sort(sorted.begin(), sorted.end());
  std::vector<PfnExtent> ram;  // overlapping or touching ranges merged
  for (const PfnExtent& r : sorted) {
    if (!ram.empty() && r.first <= ram.back().end()) {
      if (r.end() > ram.back().end()) ram.back().count = r.end() - ram.back().first;
    } else if (r.count) {
      ram.push_back(r);
    }
  }
  std::array<std::vector<PfnExtent>, kZoneTypes> parts;
  for (const PfnExtent& r : ram)
    if (r.count)
      for_each_zone_part(r, [&](ZoneType z, PfnExtent part) { parts[static_cast<unsigned>(z)].push_back(part); });
  for (unsigned z = 0; z < kZoneTypes; ++z) {
    if (parts[z].empty()) continue;
    zones_[z] =
        std::make_unique<Zone>(static_cast<ZoneType>(z), parts[z].front().first, parts[z].back().end(), cfg_.geometry,
                               zone_policy(static_cast<ZoneType>(z)));
    for (const PfnExtent& part : parts[z]) zones_[z]->add_free_range(part);
    zones_[z]->shuffle_free_lists();  // page_alloc_init_late() -> shuffle_free_memory()
    if (cfg_.pcp)
      pcp_[z] = std::make_unique<PerCpuPages>(*cfg_.pcp, cfg_.geometry.pageblock_order, zones_[z]->span_start());
    totalram_pages_ += zones_[z]->managed_pages();  // memblock_free_all() -> totalram_pages_add()
  }
  setup_watermarks();
}

Zone* BuddyAllocator::zone_of(Pfn p) {
  Zone* z = zones_[static_cast<unsigned>(cfg_.layout.zone_for(p))].get();
  return z && z->spans(p) ? z : nullptr;
}

std::vector<Zone*> BuddyAllocator::zones() {
  std::vector<Zone*> out;
  for (auto& z : zones_)
    if (z) out.push_back(z.get());
  return out;
}

std::vector<const Zone*> BuddyAllocator::zones() const {
  std::vector<const Zone*> out;
  for (const auto& z : zones_)
    if (z) out.push_back(z.get());
  return out;
}

unsigned BuddyAllocator::current_cpu() const {
  if (!cpu_source_) return 0;
  unsigned c = cpu_source_();
  return cfg_.pcp && c < std::max(1u, cfg_.pcp->nr_cpus) ? c : 0;
}

// rmqueue() (mm/page_alloc.c@v6.1): orders the pcp lists cache come from this CPU's list, refilled
// with `batch` blocks (batch >> order for high orders, at least 2) taken one by one from the buddy
// lists and appended at the tail (rmqueue_bulk()); the head is handed out.
std::optional<Pfn> BuddyAllocator::rmqueue(unsigned zi, unsigned order, Gfp gfp) {
  Zone* z = zones_[zi].get();
  PerCpuPages* pc = pcp_[zi].get();
  const Migratetype mt = gfp.migratetype();
  if (!pc || !pc->allowed_order(order)) return z->alloc(order, mt, gfp.movable);
  const unsigned cpu = current_cpu();
  PerCpuPages::Cpu& c = pc->cpu(cpu);
  c.free_factor >>= 1;
  const unsigned idx = pc->pindex(mt, order);
  if (c.lists[idx].empty()) {
    std::uint32_t batch = pc->batch();
    if (batch > 1) batch = std::max<std::uint32_t>(batch >> order, 2);
    std::uint32_t k = 0;
    if (order == 0)  // the same pages in the same order as the loop below, faster (Zone::alloc_bulk_order0)
      k = static_cast<std::uint32_t>(
          z->alloc_bulk_order0(mt, batch, [&](Pfn p) { pc->push(cpu, idx, p, /*to_tail=*/true); }));
    for (; k < batch; ++k) {
      auto p = z->alloc(order, mt, false);  // on a pcp list: not migratable
      if (!p) break;
      pc->push(cpu, idx, *p, /*to_tail=*/true);
    }
    if (c.lists[idx].empty()) return std::nullopt;
  }
  Pfn p = pc->pop_head(cpu, idx);
  z->set_movable(p, gfp.movable);
  return p;
}

std::optional<Pfn> BuddyAllocator::get_page_from_freelist(unsigned order, Gfp gfp, Wmark mark) {
  const ZoneType highest = highest_zone(gfp);
  for (unsigned zi = static_cast<unsigned>(highest) + 1; zi-- > 0;) {
    Zone* z = zones_[zi].get();
    if (!z) continue;
    const std::uint64_t m = mark == Wmark::low ? z->watermarks.low : z->watermarks.min;
    if (!zone_watermark_ok(*z, order, m, highest)) continue;
    if (auto p = rmqueue(zi, order, gfp)) return p;
  }
  return std::nullopt;
}

std::optional<Pfn> BuddyAllocator::alloc_pages(unsigned order, Gfp gfp) {
  if (order > cfg_.geometry.max_order) return std::nullopt;
  // __alloc_pages() (mm/page_alloc.c@v6.1): the fast path asks every zone for the LOW watermark
  // (ALLOC_WMARK_LOW); only when none has it does the slow path start.
  if (auto p = get_page_from_freelist(order, gfp, Wmark::low)) return p;
  return alloc_pages_slowpath(order, gfp);
}

// should_reclaim_retry() (mm/page_alloc.c@v6.1): progress resets the count of rounds without it;
// after MAX_RECLAIM_RETRIES such rounds, or when not even reclaiming everything reclaimable would
// bring a zone above its MIN watermark for this order, retrying is pointless.
bool BuddyAllocator::should_reclaim_retry(unsigned order, ZoneType highest, std::uint64_t progress,
                                          unsigned& no_progress) const {
  if (progress)
    no_progress = 0;
  else
    ++no_progress;
  if (no_progress > kMaxReclaimRetries) return false;
  const std::uint64_t reclaimable = hooks_ ? hooks_->reclaimable_pages() : 0;
  for (const Zone* z : zones())
    if (z->type() <= highest && zone_watermark_ok(*z, order, z->watermarks.min, highest, reclaimable)) return true;
  return false;
}

// __alloc_pages_slowpath() (mm/page_alloc.c@v6.1), the steps whose outcome the model can tell apart:
//  1. wake_all_kswapds() if __GFP_KSWAPD_RECLAIM; retry every zone at the MIN watermark.
//  2. With __GFP_DIRECT_RECLAIM, costly orders (> PAGE_ALLOC_COSTLY_ORDER) and high-order unmovable
//     requests try direct compaction first.
//  3. The retry loop: kswapd woken again, MIN retried, then without __GFP_DIRECT_RECLAIM give up;
//     else direct reclaim of SWAP_CLUSTER_MAX pages (try_to_free_pages), a retry that on failure
//     drains every pcp list once and retries again (__alloc_pages_direct_reclaim), then direct
//     compaction for order > 0. __GFP_NORETRY stops after that one round; a costly order stops too
//     unless __GFP_RETRY_MAYFAIL; else should_reclaim_retry() decides.
// Not modelled: compaction priorities and should_compact_retry() (one compaction per round), the
// OOM killer (an order <= 3 request without __GFP_NORETRY/__GFP_RETRY_MAYFAIL that fails here would
// invoke it in the kernel; the model returns failure and counts it), ALLOC_NOFRAGMENT, reserves.
std::optional<Pfn> BuddyAllocator::alloc_pages_slowpath(unsigned order, Gfp gfp) {
  const ZoneType highest = highest_zone(gfp);
  const bool costly = order > kPageAllocCostlyOrder;
  ++slow_.slow_path;
  auto wake = [&] {
    if (!gfp.kswapd_reclaim) return;
    ++slow_.kswapd_wakeups;
    if (hooks_) hooks_->wake_kswapd(order, highest);
  };
  auto compact = [&]() -> std::optional<Pfn> {
    if (!hooks_ || order == 0) return std::nullopt;  // __alloc_pages_direct_compact(): order 0 never
    ++slow_.compact_stall;
    hooks_->direct_compact(order, highest);
    auto p = get_page_from_freelist(order, gfp, Wmark::min);
    ++(p ? slow_.compact_success : slow_.compact_fail);
    return p;
  };
  wake();
  if (auto p = get_page_from_freelist(order, gfp, Wmark::min)) return p;
  if (gfp.direct_reclaim && (costly || (order > 0 && gfp.migratetype() != Migratetype::movable)))
    if (auto p = compact()) return p;
  unsigned no_progress = 0;
  bool drained = false;
  for (;;) {
    wake();
    if (auto p = get_page_from_freelist(order, gfp, Wmark::min)) return p;
    if (!gfp.direct_reclaim) break;
    ++slow_.allocstall;
    const std::uint64_t progress = hooks_ ? hooks_->direct_reclaim(kSwapClusterMax, order, highest) : 0;
    slow_.direct_reclaimed += progress;
    auto p = get_page_from_freelist(order, gfp, Wmark::min);
    if (!p && !drained && pcp_pages() > 0) {
      drain_all_pages();
      drained = true;
      p = get_page_from_freelist(order, gfp, Wmark::min);
    }
    if (p) return p;
    if (auto q = compact()) return q;
    if (gfp.noretry) break;
    if (costly && !gfp.retry_mayfail) break;
    if (!should_reclaim_retry(order, highest, progress, no_progress)) break;
  }
  ++slow_.failures;
  return std::nullopt;
}

// free_unref_page() (v6.1): to the head of this CPU's list for the page's pageblock type; above
// `high` (0 when high-order pages keep being freed without allocations: free_high) a bulk free.
Errno BuddyAllocator::free_unref_page(unsigned zi, Pfn first, unsigned order) {
  Zone* z = zones_[zi].get();
  PerCpuPages* pc = pcp_[zi].get();
  if (!z->is_allocated_block(first, order) || pc->holds(first)) return Errno::einval;
  const unsigned cpu = current_cpu();
  PerCpuPages::Cpu& c = pc->cpu(cpu);
  const unsigned idx = pc->pindex(z->pageblock_migratetype(first), order);
  z->set_movable(first, false);
  pc->push(cpu, idx, first, /*to_tail=*/false);
  const bool free_high = c.free_factor && order && order <= kPageAllocCostlyOrder;
  const std::int64_t high = free_high ? 0 : pc->high();  // nr_pcp_high()
  if (c.count >= high) free_pcppages_bulk(zi, cpu, pc->nr_to_free(c, free_high), idx);
  return Errno::ok;
}

// free_pcppages_bulk() (v6.1): the list just freed to first, then round-robin over the lists, each
// time from the tail (the coldest pages), until `count` pages are back on the buddy lists.
void BuddyAllocator::free_pcppages_bulk(unsigned zi, unsigned cpu, std::int64_t count, unsigned pindex) {
  PerCpuPages& pc = *pcp_[zi];
  PerCpuPages::Cpu& c = pc.cpu(cpu);
  count = std::min(count, c.count);
  int idx = static_cast<int>(pindex) - 1;
  const int n = static_cast<int>(pc.nr_lists());
  while (count > 0) {
    do {
      if (++idx > n - 1) idx = 0;
    } while (c.lists[static_cast<unsigned>(idx)].empty());
    const unsigned order = pc.order_of(static_cast<unsigned>(idx));
    do {
      Pfn p = pc.pop_tail(cpu, static_cast<unsigned>(idx));
      count -= std::int64_t{1} << order;
      zones_[zi]->free_checked(p, order);  // checked by free_unref_page(), or fresh from rmqueue()
    } while (count > 0 && !c.lists[static_cast<unsigned>(idx)].empty());
  }
}

void BuddyAllocator::drain_local_pages(unsigned cpu) {
  for (unsigned zi = 0; zi < kZoneTypes; ++zi)
    if (pcp_[zi] && cpu < pcp_[zi]->nr_cpus() && pcp_[zi]->cpu(cpu).count > 0)
      free_pcppages_bulk(zi, cpu, pcp_[zi]->cpu(cpu).count, 0);
}

void BuddyAllocator::drain_all_pages() {
  if (!cfg_.pcp) return;
  for (unsigned cpu = 0; cpu < std::max(1u, cfg_.pcp->nr_cpus); ++cpu) drain_local_pages(cpu);
}

std::uint64_t BuddyAllocator::pcp_pages() const {
  std::uint64_t n = 0;
  for (const auto& pc : pcp_)
    if (pc) n += pc->pages();
  return n;
}

Errno BuddyAllocator::try_free_pages(Pfn first, unsigned order) {
  Zone* z = zone_of(first);
  if (!z) return Errno::einval;
  const auto zi = static_cast<unsigned>(z->type());
  if (pcp_[zi] && pcp_[zi]->allowed_order(order)) return free_unref_page(zi, first, order);
  return z->free(first, order);
}

void BuddyAllocator::free_pages(Pfn first, unsigned order) {
  if (try_free_pages(first, order) != Errno::ok) ++bad_frees_;
}

Errno BuddyAllocator::try_add_reserved_range(PfnExtent range) {
  bool ok = true;
  for_each_zone_part(range, [&](ZoneType z, PfnExtent part) {
    const Zone* zp = zones_[static_cast<unsigned>(z)].get();
    if (zp && (part.first < zp->span_start() || zp->overlaps_managed(part))) ok = false;
  });
  if (!ok) return Errno::einval;
  for_each_zone_part(range, [&](ZoneType z, PfnExtent part) {
    auto& zp = zones_[static_cast<unsigned>(z)];
    if (!zp) zp = std::make_unique<Zone>(z, part.first, part.end(), cfg_.geometry, zone_policy(z));
    auto& pc = pcp_[static_cast<unsigned>(z)];
    if (cfg_.pcp && !pc) pc = std::make_unique<PerCpuPages>(*cfg_.pcp, cfg_.geometry.pageblock_order, zp->span_start());
    zp->add_reserved_range(part);
  });
  setup_watermarks();
  return Errno::ok;
}

void BuddyAllocator::add_reserved_range(PfnExtent range) {
  if (try_add_reserved_range(range) != Errno::ok) ++rejected_ranges_;
}

// free_reserved_page() (mm/page_alloc.c@v6.1): __free_page(), so through this CPU's pcp list when
// there is one, then adjust_managed_page_count(page, 1).
void BuddyAllocator::free_reserved_page(Pfn pfn) {
  if (try_free_pages(pfn, 0) != Errno::ok) {
    ++bad_frees_;
    ++refused_reserved_frees_;
    return;
  }
  adjust_managed_page_count(pfn, +1);  // free_reserved_page() -> adjust_managed_page_count(page, 1)
}

void BuddyAllocator::adjust_managed_page_count(Pfn pfn, std::int64_t delta) {
  Zone* z = zone_of(pfn);
  if (!z) return;
  z->adjust_managed(delta);
  totalram_pages_ = static_cast<std::uint64_t>(static_cast<std::int64_t>(totalram_pages_) + delta);
}

std::string BuddyAllocator::check_accounting() const {
  std::uint64_t sum = 0;
  for (const Zone* z : zones()) {
    sum += z->managed_pages();
    if (z->managed_pages() > z->present_pages())
      return std::string(z->name()) + ": managed " + std::to_string(z->managed_pages()) + " > present " +
             std::to_string(z->present_pages());
    if (z->free_pages() > z->managed_pages())
      return std::string(z->name()) + ": free " + std::to_string(z->free_pages()) + " > managed " +
             std::to_string(z->managed_pages());
  }
  if (sum != totalram_pages_)
    return "totalram_pages " + std::to_string(totalram_pages_) + " != sum of managed_pages " + std::to_string(sum);
  return {};
}

void BuddyAllocator::set_reclaimable_estimate(std::uint64_t pagecache_pages, std::uint64_t reclaimable_slab_pages) {
  pagecache_pages_ = pagecache_pages;
  reclaimable_slab_pages_ = reclaimable_slab_pages;
}

std::uint64_t BuddyAllocator::free_pages_count() const {
  std::uint64_t n = 0;
  for (const Zone* z : zones()) n += z->free_pages();
  return n;
}

std::uint64_t BuddyAllocator::managed_pages() const {
  std::uint64_t n = 0;
  for (const Zone* z : zones()) n += z->managed_pages();
  return n;
}

// si_mem_available() (mm/show_mem.c@v6.12): free minus totalreserve, plus the part of the page cache
// and reclaimable slab above min(half, low watermarks).
std::uint64_t BuddyAllocator::si_mem_available() const {
  std::uint64_t wmark_low = 0;
  for (const Zone* z : zones()) wmark_low += z->watermarks.low;
  auto available = static_cast<std::int64_t>(free_pages_count()) - static_cast<std::int64_t>(totalreserve_pages_);
  // The file LRU: the declared estimate plus the page cache the reclaim hooks hold.
  const std::uint64_t pagecache = pagecache_pages_ + (hooks_ ? hooks_->reclaimable_pages() : 0);
  available += static_cast<std::int64_t>(pagecache - std::min(pagecache / 2, wmark_low));
  available += static_cast<std::int64_t>(reclaimable_slab_pages_ - std::min(reclaimable_slab_pages_ / 2, wmark_low));
  return available < 0 ? 0 : static_cast<std::uint64_t>(available);
}

void BuddyAllocator::setup_watermarks() {
  // init_per_zone_wmark_min() (mm/page_alloc.c@v6.12): min_free_kbytes = sqrt(lowmem_kbytes * 16),
  // clamped to [128, 262144]; lowmem is nr_free_buffer_pages() (zones up to NORMAL, managed - high).
  std::uint64_t lowmem_pages_buffer = 0;
  for (const Zone* z : zones())
    if (z->type() != ZoneType::movable)
      lowmem_pages_buffer += z->managed_pages() > z->watermarks.high ? z->managed_pages() - z->watermarks.high : 0;
  const std::uint64_t lowmem_kbytes = lowmem_pages_buffer * (kPageSize >> 10);
  min_free_kbytes_ =
      cfg_.min_free_kbytes.value_or(std::clamp<std::uint64_t>(int_sqrt(lowmem_kbytes * 16), 128, 262144));
  // set_recommended_min_free_kbytes() (mm/khugepaged.c@v6.1, run from init_per_zone_wmark_min() and
  // when khugepaged starts): per populated zone up to gfp_zone(GFP_USER) = NORMAL, 2 free pageblocks
  // plus MIGRATE_PCPTYPES^2 = 9 more "almost free of another type"; at most 5 % of
  // nr_free_buffer_pages(); only ever raises the value.
  if (cfg_.thp_enabled && !cfg_.min_free_kbytes) {
    std::uint64_t nr_zones = 0;
    for (const Zone* z : zones())
      if (z->type() <= ZoneType::normal && z->present_pages() > 0) ++nr_zones;
    const std::uint64_t pageblock_pages = std::uint64_t{1} << cfg_.geometry.pageblock_order;
    std::uint64_t recommended = pageblock_pages * nr_zones * 2 + pageblock_pages * nr_zones * kMigratetypes * kMigratetypes;
    recommended = std::min(recommended, lowmem_pages_buffer / 20);
    min_free_kbytes_ = std::max(min_free_kbytes_, recommended << (kPageShift - 10));
  }

  // __setup_per_zone_wmarks(): pages_min shared in proportion to managed pages of lowmem zones.
  const std::uint64_t pages_min = min_free_kbytes_ >> (kPageShift - 10);
  std::uint64_t lowmem_pages = 0;
  for (const Zone* z : zones())
    if (z->type() != ZoneType::movable) lowmem_pages += z->managed_pages();
  for (Zone* z : zones()) {
    std::uint64_t managed = z->managed_pages();
    std::uint64_t tmp = lowmem_pages ? pages_min * managed / lowmem_pages : 0;
    if (z->type() == ZoneType::movable)
      z->watermarks.min = std::clamp<std::uint64_t>(managed / 1024, 32, 128);  // SWAP_CLUSTER_MAX .. 128
    else
      z->watermarks.min = tmp;
    tmp = std::max<std::uint64_t>(tmp >> 2, managed * cfg_.watermark_scale_factor / 10000);
    z->watermarks.low = z->watermarks.min + tmp;
    z->watermarks.high = z->watermarks.min + 2 * tmp;
  }

  // setup_per_zone_lowmem_reserve(): zone i keeps (managed pages of zones i+1..j) / ratio[i] back
  // from allocations that could have used zone j.
  for (unsigned i = 0; i < kZoneTypes; ++i) {
    Zone* z = zones_[i].get();
    if (!z) continue;
    std::uint64_t upper = 0;
    bool clear = cfg_.lowmem_reserve_ratio[i] == 0 || z->managed_pages() == 0;
    z->lowmem_reserve.fill(0);
    for (unsigned j = i + 1; j < kZoneTypes; ++j) {
      if (zones_[j]) upper += zones_[j]->managed_pages();
      z->lowmem_reserve[j] = clear ? 0 : upper / cfg_.lowmem_reserve_ratio[i];
    }
  }

  // zone_pcp_update(): pcp batch and high follow the zone's size and low watermark.
  for (unsigned i = 0; i < kZoneTypes; ++i) {
    if (!pcp_[i] || !zones_[i]) continue;
    const std::uint32_t batch = std::max<std::uint32_t>(1, pcp_batch(zones_[i]->managed_pages()));
    pcp_[i]->set_high_batch(pcp_high(zones_[i]->watermarks.low, batch, std::max(1u, cfg_.pcp->nr_cpus),
                                     cfg_.pcp->high_from_low_watermark),
                            batch);
  }

  // calculate_totalreserve_pages(): per zone the largest lowmem_reserve plus the high watermark,
  // at most the zone's managed pages.
  totalreserve_pages_ = 0;
  for (const Zone* z : zones()) {
    std::uint64_t max = *std::max_element(z->lowmem_reserve.begin(), z->lowmem_reserve.end()) + z->watermarks.high;
    totalreserve_pages_ += std::min(max, z->managed_pages());
  }
}

PageblockCensus BuddyAllocator::pageblock_census(ZoneType zt) const {
  PageblockCensus c;
  const Zone* z = zone(zt);
  if (!z) return c;
  const unsigned pbo = cfg_.geometry.pageblock_order;
  std::unordered_map<std::uint64_t, std::uint64_t> on_pcp;  // pageblock -> pages on pcp lists
  if (const PerCpuPages* pc = pcp(zt))
    for (unsigned cpu = 0; cpu < pc->nr_cpus(); ++cpu)
      for (unsigned li = 0; li < pc->nr_lists(); ++li)
        for (Pfn p : pc->cpu(cpu).lists[li]) on_pcp[(p - z->span_start()) >> pbo] += std::uint64_t{1} << pc->order_of(li);
  const std::uint64_t blocks = (z->span_end() - z->span_start()) >> pbo, size = std::uint64_t{1} << pbo;
  for (std::uint64_t pb = 0; pb < blocks; ++pb) {
    const Pfn first = z->span_start() + (pb << pbo);
    if (!z->is_managed(PfnExtent{first, size})) continue;
    const PageblockUsage u = z->pageblock_usage_at(first);
    auto it = on_pcp.find(pb);
    const std::uint64_t pcp_pages = it == on_pcp.end() ? 0 : it->second;
    const Migratetype mt = z->pageblock_migratetype(first);
    ++c.total;
    ++c.by_type[static_cast<unsigned>(mt)];
    if (u.free_pages + u.movable_pages + pcp_pages < size) {
      ++c.pinned;
      if (mt == Migratetype::movable) ++c.mixed;
    }
  }
  return c;
}

FreeListPolicy BuddyAllocator::zone_policy(ZoneType z) const {
  FreeListPolicy p = cfg_.free_lists;
  p.shuffle_seed += static_cast<std::uint64_t>(z) * 0x9E3779B97F4A7C15ull;  // one stream per zone
  return p;
}

std::uint64_t BuddyAllocator::free_list_bytes() const {
  std::uint64_t b = 0;
  for (const Zone* z : zones()) b += z->free_list_bytes();
  return b;
}

std::uint64_t BuddyAllocator::state_bytes() const {
  std::uint64_t b = sizeof(*this);
  for (const Zone* z : zones()) b += z->state_bytes();
  return b;
}

}  // namespace gm
