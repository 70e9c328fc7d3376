// Model memory estimate and budget check: see model_budget.h.
#include "sim/engine/model_budget.h"

#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <vector>

#include "models/pageblock.h"
#include "models/errors.h"
#include "sim/scenario/scenario.h"
#include "sim/engine/units_text.h"

namespace gm {
namespace {

// Measured: `guestmem run` of scenarios/default.json (4 GiB guest, whose buddy state is ~0.4 MiB) peaks
// at 38 MiB RSS in a Debug build; ASan's shadow and redzones add about as much again. 96 MiB covers
// SimGrid, the actors, the drivers' page lists and the report with margin.
constexpr Bytes kFixedModelBytes = MiB(96);

// Per zone: nr_free_, nr_free_mt_, the present_ vector's spare capacity and the Zone object itself.
constexpr std::uint64_t kZoneSmallBytes = 1024;

constexpr std::uint64_t words64(std::uint64_t bits) { return (bits + 63) / 64; }

// SummaryBitmap::resize(): a leaf level of ceil(n/64) words (at least one), then levels of ceil(below/64)
// words until one word; bytes() also counts the offset of every level.
std::uint64_t summary_bitmap_bytes(std::uint64_t nbits) {
  std::uint64_t words = nbits == 0 ? 1 : words64(nbits);
  std::uint64_t total = words, levels = 1;
  while (words > 1) {
    words = words64(words);
    total += words;
    ++levels;
  }
  return (total + levels) * sizeof(std::uint64_t);
}

// An estimate reads best rounded up to a whole MiB (or KiB below one MiB); the limit is shown as given.
std::string rounded_up(Bytes b) {
  if (b.value < MiB(1).value) return std::to_string((b.value + 1023) >> 10) + " KiB";
  return std::to_string((b.value + MiB(1).value - 1) >> 20) + " MiB";
}

}  // namespace

Bytes zone_state_bytes(Pfn first, Pfn end, BuddyGeometry geo) {
  // Zone::Zone()/grow_to(): the base is aligned down and the span rounded up to 2^max_order frames.
  const std::uint64_t align = std::uint64_t{1} << geo.max_order;
  const Pfn base{first.value / align * align};
  const std::uint64_t span_raw = end > base ? end - base : 1;
  const std::uint64_t span = (span_raw + align - 1) / align * align;
  const std::uint64_t pageblocks = span >> geo.pageblock_order;
  std::uint64_t b = 3 * words64(span) * sizeof(std::uint64_t);        // head_, free_, movable_
  b += pageblocks;                                                     // PageblockTable: a byte each
  b += pageblocks * geo.pageblock_order * sizeof(std::uint16_t);       // counts_
  b += (geo.max_order + 1) * kMigratetypes * summary_bitmap_bytes(pageblocks);  // summary_
  return Bytes{b};
}

ModelMemoryEstimate estimate_model_memory(std::span<const PfnExtent> managed_ram, std::uint64_t growth_pages,
                                          const BuddyConfig& cfg) {
  // [first, end) of the managed frames in each zone, as BuddyAllocator splits them (zone_for / zone_end).
  std::array<std::optional<std::pair<Pfn, Pfn>>, kZoneTypes> zones{};
  std::array<std::uint64_t, kZoneTypes> parts{};  // managed extents per zone (Zone::present_)
  Pfn highest{0};
  std::optional<ZoneType> highest_zone;
  for (const PfnExtent& e : managed_ram) {
    for (Pfn p = e.first; p < e.end();) {
      const ZoneType z = cfg.layout.zone_for(p);
      const Pfn stop = std::min(e.end(), std::max(cfg.layout.zone_end(z), p + 1));
      auto& slot = zones[static_cast<unsigned>(z)];
      if (!slot) slot = std::pair{p, stop};
      slot->first = std::min(slot->first, p);
      slot->second = std::max(slot->second, stop);
      ++parts[static_cast<unsigned>(z)];
      if (stop >= highest) {
        highest = stop;
        highest_zone = z;
      }
      p = stop;
    }
  }
  // Hot-added memory lands above the highest frame and grows the highest zone (Zone::grow_to()).
  if (highest_zone && growth_pages) {
    auto& slot = zones[static_cast<unsigned>(*highest_zone)];
    slot->second = slot->second + growth_pages;
  }
  ModelMemoryEstimate est;
  const std::uint64_t align = std::uint64_t{1} << cfg.geometry.max_order;
  for (unsigned i = 0; i < kZoneTypes; ++i) {
    const auto& z = zones[i];
    if (!z) continue;
    const std::uint64_t base = z->first.value / align * align;
    const std::uint64_t span = (z->second.value - base + align - 1) / align * align;
    est.span_frames += span;
    if (cfg.pcp) est.pcp_state += Bytes{words64(span) * sizeof(std::uint64_t) * 3 / 2 + KiB(32).value};
    est.buddy_state += zone_state_bytes(z->first, z->second, cfg.geometry);
    // Zone::present_ (one PfnExtent per managed part) and the growth slack of the small vectors.
    est.buddy_state += Bytes{parts[i] * sizeof(PfnExtent) + kZoneSmallBytes};
  }
  est.fixed = kFixedModelBytes;
  return est;
}

void check_model_budget(const ModelMemoryEstimate& estimate, Bytes limit, std::string_view source) {
  if (estimate.total() <= limit) return;
  throw InputError(std::string(source) + ": the guest model needs an estimated " + rounded_up(estimate.total()) +
                   " (buddy state " + rounded_up(estimate.buddy_state) + " for " +
                   std::to_string(estimate.span_frames) + " frames + pcp lists " + rounded_up(estimate.pcp_state) +
                   " + " + rounded_up(estimate.fixed) +
                   " fixed), above --max-model-memory " + format_size(limit) +
                   "; raise the limit or shrink the guest");
}

GuestLayout within_model_budget(GuestLayout layout, const Scenario& sc, Bytes limit, const BuddyConfig& cfg) {
  const std::uint64_t growth = sc.guest.maxmem > sc.guest.memory ? bytes_to_pages(sc.guest.maxmem - sc.guest.memory) : 0;
  const std::vector<PfnExtent> ram = layout.managed_ram();
  check_model_budget(estimate_model_memory(ram, growth, cfg), limit, sc.source);
  return layout;
}

}  // namespace gm
