// Per-CPU page lists (struct per_cpu_pages, mm/page_alloc.c@v6.1): each CPU keeps a few free pages
// per zone so that most order-0 (and, from 5.14, small high-order) allocations and frees never touch
// the buddy free lists. Pages on a pcp list are free for their owner but allocated for the buddy
// allocator: they are not in NR_FREE_PAGES, not in buddyinfo, and they do not merge.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <vector>

#include "models/frame_bitmap.h"
#include "models/gfp.h"
#include "models/pageblock.h"
#include "models/units.h"

namespace gm {

struct PcpConfig {
  unsigned nr_cpus = 1;
  // 5.14+ ("mm/page_alloc: allow high-order pages to be stored on the per-cpu lists"): orders
  // 1..PAGE_ALLOC_COSTLY_ORDER and pageblock_order are cached too; before, order-0 only.
  bool high_order = true;
  // 5.14+ ("mm/page_alloc: calculate pcp->high based on zone sizes and active CPUs"): high is the
  // zone's low watermark split over the node's CPUs, at least 4 * batch; before, high = 6 * batch.
  // (6.7+ tunes high between high_min and high_max at run time; not modelled.)
  bool high_from_low_watermark = true;
};

// zone_batchsize(): about 0.1 % of the zone or 1 MiB, whichever is smaller, /4, then 2^n - 1 (0 for a
// zone below 6 MiB; zone_set_pageset_high_and_batch() then uses max(1, batch)).
std::uint32_t pcp_batch(std::uint64_t managed_pages);
// zone_highsize() (5.14-6.6, percpu_pagelist_high_fraction = 0) or 6 * batch before 5.14.
std::uint32_t pcp_high(std::uint64_t low_wmark, std::uint32_t batch, unsigned nr_cpus, bool from_low_watermark);

// One zone's pcp lists for every CPU. Contract: the allocator moves pages in and out (refill from
// __rmqueue, bulk free to __free_one_page); this class keeps the lists, counts and the free_factor.
class PerCpuPages {
 public:
  // `base`: the zone's first frame (its span only grows upwards, Zone::grow_to).
  PerCpuPages(PcpConfig cfg, unsigned pageblock_order, Pfn base = Pfn{0});

  const PcpConfig& config() const { return cfg_; }
  // pcp_allowed_order().
  bool allowed_order(unsigned order) const;
  unsigned nr_lists() const { return kMigratetypes * (kPageAllocCostlyOrder + 2); }  // NR_PCP_LISTS
  // order_to_pindex() / pindex_to_order().
  unsigned pindex(Migratetype mt, unsigned order) const;
  unsigned order_of(unsigned pindex) const;

  void set_high_batch(std::uint32_t high, std::uint32_t batch) { high_ = high, batch_ = batch; }
  std::uint32_t high() const { return high_; }
  std::uint32_t batch() const { return batch_; }

  struct Cpu {
    std::vector<std::deque<Pfn>> lists;  // front = head
    std::int64_t count = 0;              // pages (2^order per entry)
    unsigned free_factor = 0;
  };
  Cpu& cpu(unsigned c) { return cpus_[c]; }
  const Cpu& cpu(unsigned c) const { return cpus_[c]; }
  unsigned nr_cpus() const { return static_cast<unsigned>(cpus_.size()); }

  // A block on some list (double-free detection; compaction must not treat it as in use).
  bool holds(Pfn p) const { return p >= base_ && p - base_ < held_.size() && held_.test(p - base_); }
  void push(unsigned c, unsigned pindex, Pfn p, bool to_tail);
  Pfn pop_head(unsigned c, unsigned pindex);
  Pfn pop_tail(unsigned c, unsigned pindex);
  std::uint64_t pages() const;  // on every CPU's lists

  // nr_pcp_free() (v6.1): how many pages a free above `high` gives back.
  std::int64_t nr_to_free(Cpu& c, bool free_high) const;

 private:
  PcpConfig cfg_;
  unsigned pageblock_order_;
  std::uint32_t high_ = 0, batch_ = 1;
  std::vector<Cpu> cpus_;
  // One bit per frame from base_ (grown on demand up to the highest frame ever held): membership
  // costs one bit test however the pages were freed, and a run of pages refilled or freed together
  // shares a cache line. 32 MiB for a 1 TiB zone (docs/metrics.md); an open-addressing hash set
  // before, whose erase of pages freed long ago was 12 % of the 1 TiB round trip.
  Pfn base_;
  FrameBitmap held_;
};

}  // namespace gm
