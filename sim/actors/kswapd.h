// kswapd as an actor (mm/vmscan.c@v6.1 kswapd()): asleep on its wait queue until an allocation that
// failed at the low watermark wakes it, then balance_pgdat() rounds (models/kswapd.h), each charged
// as the CPU time of the pages it freed, until the node is balanced at the high watermark or hopeless.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>

#include "models/kswapd.h"
#include "models/xen/env.h"

namespace gm {

struct KswapdStats {
  std::uint64_t wakeups = 0;    // PAGEOUTRUN-like: runs started
  std::uint64_t rounds = 0;     // balance_pgdat() passes
  std::uint64_t reclaimed = 0;  // PGSTEAL_KSWAPD
  std::uint64_t hopeless = 0;   // runs that ended with kswapd_failures >= MAX_RECLAIM_RETRIES
};

// Contract: wake() may be called from any actor (it only records the request and notifies); run() is
// the body of one long-lived actor and returns at `end` or when `stop()` turns true at a wakeup.
// `on_sleep(order)` is kswapd_try_to_sleep()'s wakeup_kcompactd() for a run started for order > 0.
class KswapdActor {
 public:
  KswapdActor(BuddyAllocator& buddy, PageCache& cache, KernelEnv& env);

  void wake(unsigned order, ZoneType highest);
  // Direct reclaim made progress: the node is not hopeless any more (shrink_node() clears
  // kswapd_failures whenever reclaim frees pages).
  void reclaim_progress() { rules_.reset_failures(); }
  void run(SimTime end, const std::function<bool()>& stop, const std::function<void(unsigned)>& on_sleep);
  const KswapdStats& stats() const { return stats_; }

 private:
  BuddyAllocator& buddy_;
  PageCache& cache_;
  KernelEnv& env_;
  Kswapd rules_;
  std::unique_ptr<KWaitQueue> wq_;  // pgdat->kswapd_wait
  KswapdStats stats_;
};

}  // namespace gm
