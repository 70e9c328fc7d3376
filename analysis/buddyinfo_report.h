// Fragmentation report of buddy free counts: the kernel's debugfs text (mm/vmstat.c) and the
// `{"zones":[{"node","zone","free","unusable_index","extfrag_index"}]}` JSON of design §6, shared by
// `guestmem buddyinfo` and the run report's "fragmentation" section.
#pragma once

#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <vector>

#include "models/buddy.h"
#include "models/buddyinfo_parse.h"

namespace gm {

// One zone's entry; index values are JSON numbers with the printed value (0.227, -1.0).
nlohmann::ordered_json buddyinfo_zone_json(const BuddyinfoZone& z);
nlohmann::ordered_json buddyinfo_json(std::span<const BuddyinfoZone> zones);

// Three blocks, each headed by the kernel file it mimics: /proc/buddyinfo,
// /sys/kernel/debug/extfrag/unusable_index and .../extfrag_index, lines exactly as the kernel prints.
std::string buddyinfo_text(std::span<const BuddyinfoZone> zones);

// The model's zones as /proc/buddyinfo would list them (node 0, lowest zone first).
std::vector<BuddyinfoZone> buddyinfo_of(const BuddyAllocator& alloc, int node = 0);

}  // namespace gm
