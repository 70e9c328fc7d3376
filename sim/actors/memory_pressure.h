// Guest memory pressure as a workload (issue 4): one actor allocating and freeing movable (anon) and
// unmovable (slab) memory at given rates and lifetimes, with THP (order-9) fault attempts, and a
// kcompactd actor that compacts when THP faults fail or the fragmentation score is high.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <queue>
#include <vector>

#include "models/buddy.h"
#include "models/compaction.h"
#include "models/xen/env.h"
#include "sim/rng.h"
#include "sim/scenario/scenario.h"

namespace gm {

struct PressureStats {
  std::uint64_t anon_allocs = 0, anon_failures = 0;
  std::uint64_t slab_allocs = 0, slab_failures = 0;
  std::uint64_t thp_attempts = 0, thp_successes = 0;
  std::uint64_t skipped_at_target = 0;  // allocations not made because target_used was reached
  std::uint64_t kcompactd_runs = 0, compaction_successes = 0;
  std::uint64_t pages_migrated = 0, pages_scanned = 0;
};

// Contract: run_workload() and run_kcompactd() are the bodies of two long-lived actors; both stop when
// `stop()` turns true or at `end`. Movable allocations may be moved by compaction; the workload
// follows the moves (the kernel rewrites the owner's page tables), so frees stay correct.
class MemoryPressure {
 public:
  MemoryPressure(const MemoryPressureSpec& spec, BuddyAllocator& buddy, KernelEnv& env, std::uint64_t seed);

  void run_workload(SimTime end, const std::function<bool()>& stop);
  void run_kcompactd(SimTime end, const std::function<bool()>& stop);

  const PressureStats& stats() const { return stats_; }

  // Called with every run of frames the workload writes for the first time in an allocation: the
  // anon fault's zero-fill or the slab's init, and a migration's copy into its target. A PoD guest
  // demand-populates them (sim/runner.cpp); the hook may throw KernelBug (the domain died).
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
  bool thp_failed_since_compaction_ = false;  // wakeup_kcompactd() after a failed THP fault
  PressureStats stats_;
  std::function<void(Pfn, std::uint64_t)> touch_;
};

}  // namespace gm
