// Fragmentation report of buddy free counts: the kernel's debugfs text (mm/vmstat.c) and the
// `{"zones":[{"node","zone","free","unusable_index","extfrag_index"}]}` JSON of design §6, shared by
// `guestmem buddyinfo` and the run report's "fragmentation" section.
#pragma once

#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <string_view>
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

// What `guestmem buddyinfo` prints for a file's text, in both forms (the JSON document and the text).
// Contract: throws gm::InputError (exit 2) for bytes that are not UTF-8 ("NAME:LINE:COL: ..."), for a
// text without a zone line and for a zone line with more than kMaxPageOrders counts; otherwise both strings are complete, the JSON one valid JSON.
struct BuddyinfoCommandOutput {
  std::string json;  // buddyinfo_json(...).dump(2) and a newline
  std::string text;  // buddyinfo_text(...)
};
BuddyinfoCommandOutput buddyinfo_command(std::string_view text, const std::string& name);

// The model's zones as /proc/buddyinfo would list them (node 0, lowest zone first).
std::vector<BuddyinfoZone> buddyinfo_of(const BuddyAllocator& alloc, int node = 0);

}  // namespace gm
