// The memory budget of one simulation: estimates what the guest model will hold before it is built, so a
// scenario too large for this machine is refused as bad input (exit 2) instead of meeting the OOM killer.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "models/buddy.h"
#include "models/guest_layout.h"
#include "models/units.h"

namespace gm {

struct Scenario;

inline constexpr Bytes kDefaultMaxModelMemory = GiB(8);  // `guestmem run --max-model-memory` default

// Everything the estimate is made of, for the refusal message and the tests.
struct ModelMemoryEstimate {
  std::uint64_t span_frames = 0;  // frames the buddy zones span (holes and buddy alignment included)
  Bytes buddy_state;              // the zones' per-frame bitmaps and per-pageblock tables
  // The pcp lists' membership bitmaps (PerCpuPages, a bit per frame from the zone's start, grown on
  // demand in steps of half again): at most 1.5 bits per spanned frame, when the pcp lists are on.
  Bytes pcp_state;
  Bytes fixed;                    // engine, actors, drivers, report: measured, independent of size
  Bytes total() const { return buddy_state + pcp_state + fixed; }
};

// Contract: the bytes Zone::state_bytes() reports for a zone spanning [first, end) once built (the same
// alignment to 2^max_order and the same containers, see models/zone.cpp Zone::grow_to()). Per frame:
// 3 bits (head_, free_, movable_ FrameBitmaps), per pageblock: 1 byte (PageblockTable), pageblock_order
// uint16 counts, and (max_order + 1) * kMigratetypes summary bits (plus their upper levels, 1/63 more).
// For x86_64 (orders 0..10, pageblock order 9) that is ~0.42 bytes per 4 KiB frame, about 1/9000 of
// the guest's memory.
Bytes zone_state_bytes(Pfn first, Pfn end, BuddyGeometry geo);

// Contract: an upper bound of the model's memory for a guest whose buddy manages `managed_ram` and may
// later grow by `growth_pages` above its highest frame (memory hotplug: balloon above `memory`, up
// to `maxmem`). Zones are split as `cfg.layout` splits them, each counted like zone_state_bytes().
ModelMemoryEstimate estimate_model_memory(std::span<const PfnExtent> managed_ram, std::uint64_t growth_pages,
                                          const BuddyConfig& cfg = {});

// Throws gm::InputError naming the estimate, its parts and the limit when estimate.total() > limit.
void check_model_budget(const ModelMemoryEstimate& estimate, Bytes limit, std::string_view source);

// What the runner calls between building the layout and building the buddy allocator: estimates for the
// scenario (growth = maxmem - memory) and the runner's buddy configuration, checks, and hands the layout
// back unchanged.
GuestLayout within_model_budget(GuestLayout layout, const Scenario& sc, Bytes limit, const BuddyConfig& cfg = {});

}  // namespace gm
