// Memory compaction (mm/compaction.c) as steps the simulator can charge: a migrate scanner walks
// candidate 2^order blocks from the bottom of a zone, a free scanner supplies target blocks from the
// top, and movable allocations are moved until the candidate block is entirely free.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "models/vmstat.h"
#include "models/zone.h"

namespace gm {

inline constexpr unsigned kCompactionProactivenessDefault = 20;  // vm.compaction_proactiveness

// enum compact_result, the values the model produces.
enum class CompactResult {
  success,       // a free block of the requested order exists (COMPACT_SUCCESS)
  partial,       // the step's scan budget ran out; call again (COMPACT_CONTINUE)
  complete,      // the scanners met without forming the block; scanners reset (COMPACT_COMPLETE)
  skipped,       // not enough free memory to migrate into (COMPACT_SKIPPED)
  not_suitable,  // failure would be due to low memory, not fragmentation (COMPACT_NOT_SUITABLE_ZONE)
};
const char* compact_result_name(CompactResult r);

// One migration: the movable allocation at `from` now lives at `to`. Whoever holds the old frame
// number must use the new one (the kernel rewrites the owner's page tables).
struct PageMove {
  Pfn from;
  Pfn to;
  unsigned order = 0;
};

// Work done by one call, for the cost model. Scanner steps count like nr_scanned in
// isolate_migratepages_block()/isolate_freepages_block(): one per block visited (a free buddy or a
// compound allocation is skipped in one step), one per free block isolated as a target.
struct CompactionStep {
  CompactResult result = CompactResult::partial;
  std::uint64_t pages_migrated = 0;
  std::uint64_t migrate_scanned = 0;
  std::uint64_t free_scanned = 0;
  std::vector<PageMove> moves;
  std::optional<Pfn> block;  // on success by migration: the candidate block that is now free
  std::uint64_t pages_scanned() const { return migrate_scanned + free_scanned; }
};

// compaction_suitable() (mm/compaction.c@v6.12): skipped when the zone lacks order-0 headroom of
// (order > PAGE_ALLOC_COSTLY_ORDER ? low : min) watermark + compact_gap(order) = 2 << order; for
// costly orders not_suitable when 0 <= fragmentation_index <= extfrag_threshold; success when the
// allocation would already pass the watermark; else partial ("go ahead").
CompactResult compaction_suitable(const Zone& z, unsigned order, int extfrag_threshold = kExtfragThresholdDefault,
                                  ZoneType highest = ZoneType::normal);

// fragmentation_score_zone(): extfrag_for_order(zone, COMPACTION_HPAGE_ORDER = pageblock order), the
// score kcompactd's proactive compaction compares with its watermarks.
unsigned fragmentation_score_zone(const Zone& z);
// fragmentation_score_wmark(): low = max(100 - proactiveness, 5), high = min(low + 10, 100).
unsigned fragmentation_score_wmark(bool low, unsigned proactiveness = kCompactionProactivenessDefault);

// Contract: step() never moves a non-movable allocation (ballooned pages, slab, vmemmap, reserved
// frames): a candidate block holding one is abandoned. Each call examines candidates from the
// zone's cached migrate position until one block is freed (success), the budget of scanner steps is
// spent (partial) or the free scanner has no target above the candidate (complete: positions reset).
class Compactor {
 public:
  CompactionStep step(Zone& zone, unsigned order, std::uint64_t scan_budget = 4096);
  // Calls step() until it returns anything but partial, at most max_steps times; sums the work.
  CompactionStep compact_zone(Zone& zone, unsigned order, unsigned max_steps = 1024);
  void reset(const Zone& zone) { cursor_[static_cast<unsigned>(zone.type())].reset(); }

 private:
  std::array<std::optional<Pfn>, kZoneTypes> cursor_{};  // compact_cached_migrate_pfn
};

}  // namespace gm
