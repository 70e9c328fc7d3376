// Fragmentation report: see buddyinfo_report.h.
#include "analysis/buddyinfo_report.h"

#include "models/errors.h"
#include "models/utf8.h"
#include "models/vmstat.h"

namespace gm {

nlohmann::ordered_json buddyinfo_zone_json(const BuddyinfoZone& z) {
  nlohmann::ordered_json j;
  j["node"] = z.node;
  j["zone"] = z.zone;
  j["free"] = z.free;
  auto unusable = nlohmann::ordered_json::array();
  for (int v : unusable_indexes(z.free)) unusable.push_back(index_to_double(v));
  auto extfrag = nlohmann::ordered_json::array();
  for (int v : extfrag_indexes(z.free)) extfrag.push_back(index_to_double(v));
  j["unusable_index"] = std::move(unusable);
  j["extfrag_index"] = std::move(extfrag);
  return j;
}

nlohmann::ordered_json buddyinfo_json(std::span<const BuddyinfoZone> zones) {
  nlohmann::ordered_json j;
  j["zones"] = nlohmann::ordered_json::array();
  for (const BuddyinfoZone& z : zones) j["zones"].push_back(buddyinfo_zone_json(z));
  return j;
}

std::string buddyinfo_text(std::span<const BuddyinfoZone> zones) {
  std::string s = "/proc/buddyinfo\n";
  for (const BuddyinfoZone& z : zones) s += buddyinfo_line(z.node, z.zone, z.free);
  s += "\n/sys/kernel/debug/extfrag/unusable_index\n";
  for (const BuddyinfoZone& z : zones) s += unusable_index_line(z.node, z.zone, unusable_indexes(z.free));
  s += "\n/sys/kernel/debug/extfrag/extfrag_index\n";
  for (const BuddyinfoZone& z : zones) s += extfrag_index_line(z.node, z.zone, extfrag_indexes(z.free));
  return s;
}

BuddyinfoCommandOutput buddyinfo_command(std::string_view text, const std::string& name) {
  require_utf8(text, name, "UTF-8 /proc/buddyinfo text");
  std::vector<BuddyinfoZone> zones = parse_buddyinfo(text);
  if (zones.empty())
    throw InputError(name +
                     ": found no zone line, expected /proc/buddyinfo lines such as "
                     "\"Node 0, zone   Normal   1024    512 ...\"");
  for (const BuddyinfoZone& z : zones)
    if (z.free.size() > kMaxPageOrders)
      throw InputError(name + ":" + std::to_string(z.line) + ": found " + std::to_string(z.free.size()) +
                       " counts in zone \"" + z.zone + "\", expected at most " + std::to_string(kMaxPageOrders) +
                       " (one per order; the kernel shifts each count by its order in 64 bits)");
  return {buddyinfo_json(zones).dump(2) + "\n", buddyinfo_text(zones)};
}

std::vector<BuddyinfoZone> buddyinfo_of(const BuddyAllocator& alloc, int node) {
  std::vector<BuddyinfoZone> out;
  for (const Zone* z : alloc.zones())
    out.push_back(BuddyinfoZone{node, std::string(z->name()), z->nr_free_per_order(), 0});
  return out;
}

}  // namespace gm
