#include "sim/actors/memory_pressure.h"

#include <simgrid/s4u.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

namespace sg4 = simgrid::s4u;

namespace gm {
namespace {

constexpr unsigned kThpOrder = 9;                // HPAGE_PMD_ORDER (x86_64, 4 KiB pages)
constexpr SimTime kKcompactdInterval{500000000};  // HZ/2: proactive compaction period (mm/compaction.c@v6.12)
constexpr SimTime kNever{std::numeric_limits<std::int64_t>::max()};

SimTime now() { return SimTime::from_seconds(sg4::Engine::get_clock()); }
void sleep_until(SimTime t) {
  SimTime n = now();
  if (t > n) sg4::this_actor::sleep_for((t - n).seconds());
}

}  // namespace

MemoryPressure::MemoryPressure(const MemoryPressureSpec& spec, BuddyAllocator& buddy, KernelEnv& env,
                               std::uint64_t seed)
    : spec_(spec), buddy_(buddy), env_(env), rng_(seed), cache_(buddy), kswapd_(buddy, cache_, env) {
  buddy_.set_reclaim_hooks(this);
}

const PressureStats& MemoryPressure::stats() {
  stats_.page_cache_pages = cache_.pages();
  stats_.kswapd = kswapd_.stats();
  stats_.slow_path = buddy_.slow_path_stats();
  return stats_;
}

// try_to_free_pages() in the allocating actor: the oldest page cache pages, charged to that actor
// (the allocation stalls that long) at the cost of freeing each page.
std::uint64_t MemoryPressure::direct_reclaim(std::uint64_t nr, unsigned, ZoneType) {
  const std::uint64_t freed = cache_.shrink(nr);
  if (freed) {
    kswapd_.reclaim_progress();
    env_.charge(Work::page_alloc, freed);
  }
  return freed;
}

// try_to_compact_pages() (mm/compaction.c@v6.1): compact_zone() on each zone the request may use.
bool MemoryPressure::direct_compact(unsigned order, ZoneType highest) {
  ++stats_.direct_compactions;
  const bool ok = compact_zones(order, highest, /*stop_at_success=*/true);
  if (ok) ++stats_.direct_compaction_successes;
  return ok;
}

// A file read fault: one page into the page cache (filemap_fault -> page_cache_alloc with the
// mapping's GFP_HIGHUSER_MOVABLE). Clean and on the LRU until reclaim takes it.
void MemoryPressure::read_file_page() {
  env_.charge(Work::page_alloc, 1);
  std::optional<Pfn> p = buddy_.alloc_pages(0, kGfpPageCache);
  if (!p) {
    ++stats_.file_failures;
    return;
  }
  ++stats_.file_reads;
  cache_.add(*p);
}

void MemoryPressure::allocate(unsigned order, Gfp gfp, bool thp, SimTime t) {
  const std::uint64_t pages = std::uint64_t{1} << order;
  // The workload keeps its working set at target_used: a THP fault is anon memory too, so it is only
  // attempted when the working set has room (failures then mean fragmentation, not exhaustion).
  if (spec_.target_used.value > 0 && pages_to_bytes(used_pages_ + pages) > spec_.target_used) {
    ++stats_.skipped_at_target;
    return;
  }
  env_.charge(Work::page_alloc, 1);
  std::optional<Pfn> p = buddy_.alloc_pages(order, gfp);
  if (thp) ++stats_.thp_attempts;
  if (!p) {
    // THP faults use GFP_TRANSHUGE_LIGHT under the default defrag=madvise: no kswapd, no direct
    // reclaim or compaction, and so no kcompactd wakeup either (mm/huge_memory.c@v6.1
    // vma_thp_gfp_mask; __alloc_pages_slowpath wakes kswapd only with __GFP_KSWAPD_RECLAIM). The page
    // fault falls back to 4 KiB pages; khugepaged's later collapse is not modelled.
    if (!thp) ++(gfp.movable ? stats_.anon_failures : stats_.slab_failures);
    return;
  }
  if (thp) ++stats_.thp_successes;
  else if (gfp.movable) ++stats_.anon_allocs;
  else ++stats_.slab_allocs;
  std::uint64_t id = allocs_.size();
  allocs_.push_back({*p, order, true});
  if (gfp.movable) id_of_head_[p->value] = id;
  used_pages_ += pages;
  if (touch_) touch_(*p, pages);
  // Lifetimes are exponential with mean `lifetime` (memoryless): frees then come in random order,
  // not in allocation order, which is what scatters holes through a zone.
  const double life_s = -std::log1p(-rng_.uniform()) * spec_.lifetime.seconds();
  releases_.push({t + SimTime::from_seconds(life_s), id});
}

void MemoryPressure::release(std::uint64_t id) {
  Alloc& a = allocs_[id];
  if (!a.live) return;
  id_of_head_.erase(a.head.value);
  buddy_.free_pages(a.head, a.order);
  used_pages_ -= std::uint64_t{1} << a.order;
  a.live = false;
  env_.charge(Work::page_alloc, 1);
}

void MemoryPressure::apply_moves(const std::vector<PageMove>& moves) {
  for (const auto& m : moves) {
    if (touch_) touch_(m.to, std::uint64_t{1} << m.order);  // migrate_pages() copies into the target
    auto it = id_of_head_.find(m.from.value);
    if (it == id_of_head_.end()) {
      cache_.move(m.from, m.to);  // a page cache page, or not ours (another owner would follow likewise)
      continue;
    }
    std::uint64_t id = it->second;
    id_of_head_.erase(it);
    allocs_[id].head = m.to;
    id_of_head_[m.to.value] = id;
  }
}

void MemoryPressure::run_workload(SimTime end, const std::function<bool()>& stop) {
  // Three Poisson streams share one actor: anon (movable), slab (unmovable), THP faults (order 9).
  auto gap = [this](double rate) {
    return rate > 0 ? now() + SimTime::from_seconds(-std::log1p(-rng_.uniform()) / rate) : kNever;
  };
  SimTime next_anon = gap(spec_.anon_rate_per_s), next_slab = gap(spec_.slab_rate_per_s);
  SimTime next_thp = gap(spec_.thp_attempts_per_s), next_file = gap(spec_.file_rate_per_s);
  const auto order = static_cast<unsigned>(spec_.order);
  while (!stop()) {
    SimTime next_release = releases_.empty() ? kNever : releases_.top().at;
    SimTime next = std::min({next_anon, next_slab, next_thp, next_file, next_release});
    if (next >= end) break;
    sleep_until(next);
    if (stop()) break;
    if (next == next_release) {
      std::uint64_t id = releases_.top().id;
      releases_.pop();
      release(id);
    } else if (next == next_anon) {
      allocate(order, kGfpHighuserMovable, false, next);
      next_anon = gap(spec_.anon_rate_per_s);
    } else if (next == next_slab) {
      allocate(order, kGfpKernel, false, next);
      next_slab = gap(spec_.slab_rate_per_s);
    } else if (next == next_file) {
      read_file_page();
      next_file = gap(spec_.file_rate_per_s);
    } else {
      allocate(std::min(kThpOrder, buddy_.max_order()), kGfpTranshugeLight, true, next);
      next_thp = gap(spec_.thp_attempts_per_s);
    }
  }
}

bool MemoryPressure::compact_zones(unsigned order, ZoneType highest, bool stop_at_success) {
  bool success = false;
  for (Zone* z : buddy_.zones()) {
    if (z->type() > highest) continue;
    if (compaction_suitable(*z, order, kExtfragThresholdDefault, highest) != CompactResult::partial) continue;
    // compact_zone() -> lru_add_drain_cpu_zone() -> drain_local_pages(zone) (mm/compaction.c@v6.1):
    // pages cached on this CPU go back to the buddy lists so their blocks can be compacted.
    buddy_.drain_local_pages(buddy_.current_cpu());
    CompactionStep s = compactor_.compact_zone(*z, order, /*max_steps=*/64);
    apply_moves(s.moves);
    stats_.pages_migrated += s.pages_migrated;
    stats_.pages_scanned += s.pages_scanned();
    if (s.result == CompactResult::success) {
      ++stats_.compaction_successes;
      success = true;
    }
    // The work is charged after the model step: the actor is busy that long, as the kernel would be.
    env_.charge(Work::compaction_scan, s.pages_scanned());
    env_.charge(Work::migrate_page, s.pages_migrated);
    if (success && stop_at_success) break;  // try_to_compact_pages() stops at the first success
  }
  return success;
}

void MemoryPressure::compact(unsigned order) {
  ++stats_.kcompactd_runs;
  compact_zones(order, ZoneType::movable, /*stop_at_success=*/false);  // kcompactd_do_work(): every zone
}

void MemoryPressure::run_kswapd(SimTime end, const std::function<bool()>& stop) {
  kswapd_.run(end, stop, [this](unsigned order) { kcompactd_order_ = std::max(kcompactd_order_, order); });
}

void MemoryPressure::run_kcompactd(SimTime end, const std::function<bool()>& stop) {
  // kcompactd(): woken when kswapd goes to sleep after a high-order run (kswapd_try_to_sleep() ->
  // wakeup_kcompactd(), mm/vmscan.c@v6.1), or every HZ/2 for proactive compaction when
  // fragmentation_score_zone() is above the high watermark. Simplification: a wakeup is served at the
  // next HZ/2 tick (at most 500 ms late), not at once. Compaction runs for the THP order either way.
  const unsigned thp = std::min(kThpOrder, buddy_.max_order());
  for (SimTime t = now() + kKcompactdInterval; t < end && !stop(); t = t + kKcompactdInterval) {
    sleep_until(t);
    if (stop()) break;
    bool proactive = false;
    for (const Zone* z : buddy_.zones())
      proactive = proactive || fragmentation_score_zone(*z) > fragmentation_score_wmark(/*low=*/false);
    if (kcompactd_order_ > 0 || proactive) {
      kcompactd_order_ = 0;
      compact(thp);
    }
  }
}

}  // namespace gm
