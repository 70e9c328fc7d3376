// The guest's page allocator over zones: see buddy.h.
#include "models/buddy.h"

#include <algorithm>
#include <cmath>
#include <limits>

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

bool zone_watermark_ok(const Zone& z, unsigned order, std::uint64_t mark, ZoneType highest) {
  auto free = static_cast<std::int64_t>(z.free_pages()) - ((std::int64_t{1} << order) - 1);
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
        std::make_unique<Zone>(static_cast<ZoneType>(z), parts[z].front().first, parts[z].back().end(), cfg_.geometry);
    for (const PfnExtent& part : parts[z]) zones_[z]->add_free_range(part);
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

std::optional<Pfn> BuddyAllocator::alloc_pages(unsigned order, Gfp gfp) {
  if (order > cfg_.geometry.max_order) return std::nullopt;
  const ZoneType highest = highest_zone(gfp);
  for (unsigned zi = static_cast<unsigned>(highest) + 1; zi-- > 0;) {
    Zone* z = zones_[zi].get();
    if (!z || !zone_watermark_ok(*z, order, z->watermarks.min, highest)) continue;
    if (auto p = z->alloc(order, gfp.migratetype(), gfp.movable)) return p;
  }
  return std::nullopt;
}

Errno BuddyAllocator::try_free_pages(Pfn first, unsigned order) {
  Zone* z = zone_of(first);
  return z ? z->free(first, order) : Errno::einval;
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
    if (!zp) zp = std::make_unique<Zone>(z, part.first, part.end(), cfg_.geometry);
    zp->add_reserved_range(part);
  });
  setup_watermarks();
  return Errno::ok;
}

void BuddyAllocator::add_reserved_range(PfnExtent range) {
  if (try_add_reserved_range(range) != Errno::ok) ++rejected_ranges_;
}

void BuddyAllocator::free_reserved_page(Pfn pfn) {
  Zone* z = zone_of(pfn);
  if (!z || z->free(pfn, 0) != Errno::ok) {
    ++bad_frees_;
    return;
  }
  z->adjust_managed(+1);  // free_reserved_page() -> adjust_managed_page_count(page, 1)
}

void BuddyAllocator::adjust_managed_page_count(Pfn pfn, std::int64_t delta) {
  if (Zone* z = zone_of(pfn)) z->adjust_managed(delta);
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
  available += static_cast<std::int64_t>(pagecache_pages_ - std::min(pagecache_pages_ / 2, wmark_low));
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

  // calculate_totalreserve_pages(): per zone the largest lowmem_reserve plus the high watermark,
  // at most the zone's managed pages.
  totalreserve_pages_ = 0;
  for (const Zone* z : zones()) {
    std::uint64_t max = *std::max_element(z->lowmem_reserve.begin(), z->lowmem_reserve.end()) + z->watermarks.high;
    totalreserve_pages_ += std::min(max, z->managed_pages());
  }
}

std::uint64_t BuddyAllocator::state_bytes() const {
  std::uint64_t b = sizeof(*this);
  for (const Zone* z : zones()) b += z->state_bytes();
  return b;
}

}  // namespace gm
