// Reads /proc/buddyinfo text: "Node N, zone NAME c0 c1 ... cK" lines, any number of nodes and zones,
// one count per order. Other lines (headers, blank lines, pagetypeinfo noise) are skipped.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace gm {

struct BuddyinfoZone {
  int node = 0;
  std::string zone;                 // as printed, without the padding ("DMA32", "Normal")
  std::vector<std::uint64_t> free;  // nr_free per order
  int line = 0;                     // 1-based line number in the input
};

// Contract: returns the zone lines in input order; an empty result means none was found (the caller
// decides whether that is an error). A line is a zone line when it reads "Node <int>, zone <name>"
// followed by at least one unsigned count and nothing else.
std::vector<BuddyinfoZone> parse_buddyinfo(std::string_view text);

}  // namespace gm
