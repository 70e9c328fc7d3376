// Compaction steps over one zone: see compaction.h.
#include "models/compaction.h"

#include <algorithm>

#include "models/buddy.h"

namespace gm {

const char* compact_result_name(CompactResult r) {
  switch (r) {
    case CompactResult::success:
      return "success";
    case CompactResult::partial:
      return "partial";
    case CompactResult::complete:
      return "complete";
    case CompactResult::skipped:
      return "skipped";
    case CompactResult::not_suitable:
      return "not_suitable";
  }
  return "?";
}

CompactResult compaction_suitable(const Zone& z, unsigned order, int extfrag_threshold, ZoneType highest) {
  const Watermarks& w = z.watermarks;
  if (zone_watermark_ok(z, order, w.min, highest)) return CompactResult::success;
  std::uint64_t mark = (order > kPageAllocCostlyOrder ? w.low : w.min) + (std::uint64_t{2} << order);
  if (!zone_watermark_ok(z, 0, mark, highest)) return CompactResult::skipped;
  if (order > kPageAllocCostlyOrder) {
    int fragindex =
        fragmentation_index(order, fill_contig_page_info(z.nr_free_per_order(), order), z.geometry().max_order);
    if (fragindex >= 0 && fragindex <= extfrag_threshold) return CompactResult::not_suitable;
  }
  return CompactResult::partial;
}

unsigned fragmentation_score_zone(const Zone& z) {
  return extfrag_for_order(z.nr_free_per_order(), z.geometry().pageblock_order);
}

unsigned fragmentation_score_wmark(bool low, unsigned proactiveness) {
  unsigned wmark_low = std::max(100u - std::min(proactiveness, 100u), 5u);
  return low ? wmark_low : std::min(wmark_low + 10, 100u);
}

CompactionStep Compactor::step(Zone& zone, unsigned order, std::uint64_t scan_budget) {
  CompactionStep out;
  const BuddyGeometry& geo = zone.geometry();
  if (order > geo.max_order) {
    out.result = CompactResult::skipped;
    return out;
  }
  for (unsigned o = order; o <= geo.max_order; ++o)
    if (zone.nr_free(o)) {
      out.result = CompactResult::success;  // compact_finished(): a suitable free block exists
      return out;
    }

  const std::uint64_t size = std::uint64_t{1} << order;
  std::optional<Pfn>& cursor = cursor_[static_cast<unsigned>(zone.type())];
  Pfn c = cursor.value_or(zone.span_start());
  c = Pfn{(c.value + size - 1) / size * size};
  std::vector<BlockInfo> movable;
  while (true) {
    if (c + size > zone.span_end()) break;  // migrate scanner reached the end: complete
    if (out.migrate_scanned >= scan_budget) {
      cursor = c;
      out.result = CompactResult::partial;
      return out;
    }
    const Pfn next = c + size;
    if (!zone.is_managed(PfnExtent{c, size})) {
      c = next;  // holes are skipped without scanning (pfn_valid / pageblock_pfn_to_page)
      continue;
    }
    // isolate_migratepages_block(): walk the candidate; an unmovable block ends it.
    movable.clear();
    bool usable = true;
    for (Pfn q = c; q < next;) {
      auto b = zone.block_at(q);
      ++out.migrate_scanned;
      if (!b) {  // inside an allocated block larger than the candidate
        usable = false;
        break;
      }
      if (!b->free) {
        if (!b->movable) {
          usable = false;
          break;
        }
        movable.push_back(*b);
      }
      q = q + (std::uint64_t{1} << b->order);
    }
    if (!usable) {
      c = next;
      continue;
    }
    // migrate_pages(): each movable allocation moves to a target from the free scanner, which takes
    // free blocks in MOVABLE pageblocks from the top of the zone and never below the candidate.
    for (const BlockInfo& b : movable) {
      unsigned hi = std::max(b.order, geo.pageblock_order - 1);
      auto target = zone.highest_free_block(b.order, hi, Migratetype::movable);
      if (!target || target->head < next) {
        cursor.reset();
        out.result = CompactResult::complete;
        return out;
      }
      ++out.free_scanned;
      Pfn to = zone.alloc_from_free_block(*target, b.order, true);
      zone.free(b.head, b.order);
      out.moves.push_back(PageMove{b.head, to, b.order});
      out.pages_migrated += std::uint64_t{1} << b.order;
    }
    cursor = next;
    out.result = CompactResult::success;
    out.block = c;
    return out;
  }
  cursor.reset();
  out.result = CompactResult::complete;
  return out;
}

CompactionStep Compactor::compact_zone(Zone& zone, unsigned order, unsigned max_steps) {
  CompactionStep total;
  for (unsigned i = 0; i < max_steps; ++i) {
    CompactionStep s = step(zone, order);
    total.result = s.result;
    total.pages_migrated += s.pages_migrated;
    total.migrate_scanned += s.migrate_scanned;
    total.free_scanned += s.free_scanned;
    total.moves.insert(total.moves.end(), s.moves.begin(), s.moves.end());
    total.block = s.block;
    if (s.result != CompactResult::partial) break;
  }
  return total;
}

}  // namespace gm
