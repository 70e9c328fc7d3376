// Fragmentation metrics exactly as mm/vmstat.c@v6.12 computes and prints them: see vmstat.h.
#include "models/vmstat.h"

#include <cstdio>

namespace gm {

ContigPageInfo fill_contig_page_info(std::span<const std::uint64_t> nr_free, unsigned order) {
  ContigPageInfo info;
  for (unsigned o = 0; o < nr_free.size(); ++o) {
    std::uint64_t blocks = nr_free[o];
    info.free_blocks_total += blocks;
    info.free_pages += blocks << o;
    if (o >= order) info.free_blocks_suitable += blocks << (o - order);
  }
  return info;
}

int unusable_free_index(unsigned order, const ContigPageInfo& info) {
  if (info.free_pages == 0) return 1000;
  // div_u64((free_pages - (suitable << order)) * 1000ULL, free_pages)
  return static_cast<int>((info.free_pages - (info.free_blocks_suitable << order)) * 1000ull / info.free_pages);
}

int fragmentation_index(unsigned order, const ContigPageInfo& info, unsigned max_order) {
  if (order > max_order) return 0;
  if (info.free_blocks_total == 0) return 0;
  if (info.free_blocks_suitable) return -1000;
  const std::uint64_t requested = std::uint64_t{1} << order;
  // 1000 - div_u64(1000 + div_u64(free_pages * 1000ULL, requested), free_blocks_total): unsigned
  // arithmetic, truncated to int on return, as the kernel does.
  std::uint64_t v = 1000ull - (1000ull + info.free_pages * 1000ull / requested) / info.free_blocks_total;
  return static_cast<int>(static_cast<std::uint32_t>(v));
}

unsigned extfrag_for_order(std::span<const std::uint64_t> nr_free, unsigned order) {
  ContigPageInfo info = fill_contig_page_info(nr_free, order);
  if (info.free_pages == 0) return 0;
  return static_cast<unsigned>((info.free_pages - (info.free_blocks_suitable << order)) * 100 / info.free_pages);
}

int largest_free_order(std::span<const std::uint64_t> nr_free) {
  for (auto o = nr_free.size(); o-- > 0;)
    if (nr_free[o]) return static_cast<int>(o);
  return -1;
}

std::vector<int> unusable_indexes(std::span<const std::uint64_t> nr_free) {
  std::vector<int> out;
  for (unsigned o = 0; o < nr_free.size(); ++o)
    out.push_back(unusable_free_index(o, fill_contig_page_info(nr_free, o)));
  return out;
}

std::vector<int> extfrag_indexes(std::span<const std::uint64_t> nr_free) {
  std::vector<int> out;
  const unsigned max_order = nr_free.empty() ? 0 : static_cast<unsigned>(nr_free.size() - 1);
  for (unsigned o = 0; o < nr_free.size(); ++o)
    out.push_back(fragmentation_index(o, fill_contig_page_info(nr_free, o), max_order));
  return out;
}

namespace {

// "Node %d, zone %8s ": the name whole, right-aligned in 8 bytes. Not through a fixed buffer: a name
// read from a user's file can be long, and cutting it could split a UTF-8 character.
std::string zone_prefix(int node, std::string_view zone) {
  std::string s = "Node " + std::to_string(node) + ", zone ";
  if (zone.size() < 8) s.append(8 - zone.size(), ' ');
  s += zone;
  s += ' ';
  return s;
}

std::string index_line(int node, std::string_view zone, std::span<const int> indexes, const char* fmt) {
  std::string s = zone_prefix(node, zone);
  char buf[32];
  for (int index : indexes) {
    std::snprintf(buf, sizeof buf, fmt, index / 1000, index % 1000);
    s += buf;
  }
  s += '\n';
  return s;
}

}  // namespace

std::string buddyinfo_line(int node, std::string_view zone, std::span<const std::uint64_t> nr_free) {
  std::string s = zone_prefix(node, zone);
  char buf[32];
  for (std::uint64_t n : nr_free) {
    std::snprintf(buf, sizeof buf, "%6llu ", static_cast<unsigned long long>(n));
    s += buf;
  }
  s += '\n';
  return s;
}

std::string unusable_index_line(int node, std::string_view zone, std::span<const int> indexes) {
  return index_line(node, zone, indexes, "%d.%03d ");
}

std::string extfrag_index_line(int node, std::string_view zone, std::span<const int> indexes, bool padded) {
  return index_line(node, zone, indexes, padded ? "%2d.%03d " : "%d.%03d ");
}

}  // namespace gm
