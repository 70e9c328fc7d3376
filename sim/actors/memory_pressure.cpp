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
    : spec_(spec), buddy_(buddy), env_(env), rng_(seed) {}

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
    // THP faults use GFP_TRANSHUGE_LIGHT under the default defrag=madvise: no direct compaction, they
    // wake kcompactd instead (mm/huge_memory.c@v6.12 vma_thp_gfp_mask, mm/page_alloc.c).
    if (thp) thp_failed_since_compaction_ = true;
    else if (gfp.movable) ++stats_.anon_failures;
    else ++stats_.slab_failures;
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
    if (it == id_of_head_.end()) continue;  // not ours (another movable owner would follow likewise)
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
  SimTime next_thp = gap(spec_.thp_attempts_per_s);
  const auto order = static_cast<unsigned>(spec_.order);
  while (!stop()) {
    SimTime next_release = releases_.empty() ? kNever : releases_.top().at;
    SimTime next = std::min({next_anon, next_slab, next_thp, next_release});
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
    } else {
      allocate(std::min(kThpOrder, buddy_.max_order()), kGfpHighuserMovable, true, next);
      next_thp = gap(spec_.thp_attempts_per_s);
    }
  }
}

void MemoryPressure::compact(unsigned order) {
  ++stats_.kcompactd_runs;
  for (Zone* z : buddy_.zones()) {
    if (compaction_suitable(*z, order) != CompactResult::partial) continue;
    // compact_zone() -> lru_add_drain_cpu_zone() -> drain_local_pages(zone) (mm/compaction.c@v6.1):
    // pages cached on kcompactd's CPU go back to the buddy lists so their blocks can be compacted.
    buddy_.drain_local_pages(buddy_.current_cpu());
    CompactionStep s = compactor_.compact_zone(*z, order, /*max_steps=*/64);
    apply_moves(s.moves);
    stats_.pages_migrated += s.pages_migrated;
    stats_.pages_scanned += s.pages_scanned();
    if (s.result == CompactResult::success) ++stats_.compaction_successes;
    // The work is charged after the model step: the actor is busy that long, as kcompactd would be.
    env_.charge(Work::compaction_scan, s.pages_scanned());
    env_.charge(Work::migrate_page, s.pages_migrated);
  }
}

void MemoryPressure::run_kcompactd(SimTime end, const std::function<bool()>& stop) {
  // kcompactd(): woken by a failed high-order allocation (wakeup_kcompactd) or every HZ/2 for
  // proactive compaction when fragmentation_score_zone() is above the high watermark. Simplification:
  // a wakeup is served at the next HZ/2 tick (at most 500 ms late), not at once.
  const unsigned thp = std::min(kThpOrder, buddy_.max_order());
  for (SimTime t = now() + kKcompactdInterval; t < end && !stop(); t = t + kKcompactdInterval) {
    sleep_until(t);
    if (stop()) break;
    bool proactive = false;
    for (const Zone* z : buddy_.zones())
      proactive = proactive || fragmentation_score_zone(*z) > fragmentation_score_wmark(/*low=*/false);
    if (thp_failed_since_compaction_ || proactive) {
      thp_failed_since_compaction_ = false;
      compact(thp);
    }
  }
}

}  // namespace gm
