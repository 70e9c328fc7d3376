// guestmem's own GFN-contiguity metric (docs/metrics.md): how much ballooning punched holes into
// the guest's populated RAM, as seen by Xen (guest frames backed by host memory).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "models/units.h"

namespace gm {

struct GfnContiguity {
  std::uint64_t populated_pages = 0;    // RAM frames not ballooned out
  std::uint64_t ballooned_pages = 0;    // RAM frames given back to Xen
  std::uint64_t largest_run_pages = 0;  // longest run of consecutive populated GFNs
  Pfn largest_run_first;                // its first GFN (the lowest such run on ties)
  // Adjacent GFN pairs (g, g+1), both RAM, where one is populated and the other ballooned.
  std::uint64_t transitions = 0;
};

// Contract: `ram` are the guest's RAM frames (any order, may touch or overlap; they are merged);
// `ballooned` are frames given back (any order, may overlap; frames outside RAM are ignored).
// O((r + b) log(r + b)); no per-frame state.
GfnContiguity gfn_contiguity(std::span<const PfnExtent> ram, std::span<const PfnExtent> ballooned);

// Sorts and merges single frames into extents (helper for callers holding a page list).
std::vector<PfnExtent> extents_from_pfns(std::vector<Pfn> pfns);

}  // namespace gm
