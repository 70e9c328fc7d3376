// Guest memory pressure as a workload (issues 4, 15): one actor allocating and freeing movable (anon)
// and unmovable (slab) memory at given rates and lifetimes, reading files into the page cache (clean,
// reclaimable, never freed by the workload), with THP (order-9) fault attempts; a kswapd actor
// (kswapd.h) reclaiming page cache between the low and high watermarks; a kcompactd actor. The
// workload is also the allocator's ReclaimHooks: direct reclaim takes its page cache, direct
// compaction moves its movable pages.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <queue>
#include <vector>

#include "models/buddy.h"
#include "models/compaction.h"
#include "models/page_cache.h"
#include "models/reclaim.h"
#include "models/xen/env.h"
#include "sim/actors/kswapd.h"
#include "sim/engine/rng.h"
#include "sim/scenario/scenario.h"

namespace gm {

struct PressureStats {
  std::uint64_t anon_allocs = 0, anon_failures = 0;
  std::uint64_t slab_allocs = 0, slab_failures = 0;
  std::uint64_t thp_attempts = 0, thp_successes = 0;
  std::uint64_t skipped_at_target = 0;  // allocations not made because target_used was reached
  std::uint64_t kcompactd_runs = 0, compaction_successes = 0;
  std::uint64_t pages_migrated = 0, pages_scanned = 0;
  std::uint64_t file_reads = 0, file_failures = 0;  // page cache pages added / not allocatable
  std::uint64_t page_cache_pages = 0;               // page cache at the end
  std::uint64_t direct_compactions = 0, direct_compaction_successes = 0;
  KswapdStats kswapd;
  SlowPathStats slow_path;  // the allocator's counters over the whole run (every caller)
};

// Contract: run_workload() and run_kcompactd() are the bodies of two long-lived actors; both stop when
// `stop()` turns true or at `end`. Movable allocations may be moved by compaction; the workload
// follows the moves (the kernel rewrites the owner's page tables), so frees stay correct.
class MemoryPressure : public ReclaimHooks {
 public:
  // Registers itself as the allocator's reclaim hooks for its lifetime.
  MemoryPressure(const MemoryPressureSpec& spec, BuddyAllocator& buddy, KernelEnv& env, std::uint64_t seed);
  ~MemoryPressure() override { buddy_.set_reclaim_hooks(nullptr); }
  MemoryPressure(const MemoryPressure&) = delete;
  MemoryPressure& operator=(const MemoryPressure&) = delete;

  void run_workload(SimTime end, const std::function<bool()>& stop);
  void run_kcompactd(SimTime end, const std::function<bool()>& stop);
  void run_kswapd(SimTime end, const std::function<bool()>& stop);

  const PressureStats& stats();

  // ReclaimHooks (models/reclaim.h), called from whichever actor is allocating.
  void wake_kswapd(unsigned order, ZoneType highest) override { kswapd_.wake(order, highest); }
  std::uint64_t direct_reclaim(std::uint64_t nr, unsigned order, ZoneType highest) override;
  bool direct_compact(unsigned order, ZoneType highest) override;
  std::uint64_t reclaimable_pages() const override { return cache_.pages(); }

  // Called with every run of frames the workload writes for the first time in an allocation: the
  // anon fault's zero-fill or the slab's init, and a migration's copy into its target. A PoD guest
  // demand-populates them (sim/run/runner.cpp); the hook may throw KernelBug (the domain died).
  void set_touch_hook(std::function<void(Pfn first, std::uint64_t pages)> f) { touch_ = std::move(f); }

 private:
  struct Alloc {
    Pfn head;
    unsigned order = 0;
    bool live = false;
  };
  struct Release {
    SimTime at;
    std::uint64_t id;
    bool operator>(const Release& o) const { return at != o.at ? at > o.at : id > o.id; }
  };
  void allocate(unsigned order, Gfp gfp, bool thp, SimTime now);
  void release(std::uint64_t id);
  void apply_moves(const std::vector<PageMove>& moves);
  void compact(unsigned order);  // one kcompactd pass over every zone
  bool compact_zones(unsigned order, ZoneType highest, bool stop_at_success);  // compact_zone() on each suitable zone
  void read_file_page();
  std::uint64_t used_pages() const { return used_pages_; }

  MemoryPressureSpec spec_;
  BuddyAllocator& buddy_;
  KernelEnv& env_;
  Rng rng_;
  Compactor compactor_;
  std::vector<Alloc> allocs_;
  std::map<std::uint64_t, std::uint64_t> id_of_head_;  // movable heads only: pfn -> alloc id
  std::priority_queue<Release, std::vector<Release>, std::greater<>> releases_;
  std::uint64_t used_pages_ = 0;
  PageCache cache_;
  KswapdActor kswapd_;
  unsigned kcompactd_order_ = 0;  // wakeup_kcompactd() from kswapd going to sleep (0: none pending)
  PressureStats stats_;
  std::function<void(Pfn, std::uint64_t)> touch_;
};

}  // namespace gm
