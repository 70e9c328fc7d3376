// The kernel's fragmentation metrics (mm/vmstat.c): buddyinfo, unusable_free_index,
// __fragmentation_index, extfrag_for_order, with its integer arithmetic and debugfs print formats.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace gm {

inline constexpr int kExtfragThresholdDefault = 500;  // vm.extfrag_threshold (mm/compaction.c@v6.12)

// struct contig_page_info for one requested order (fill_contig_page_info, mm/vmstat.c@v6.12).
struct ContigPageInfo {
  std::uint64_t free_pages = 0;            // sum nr_free[o] << o
  std::uint64_t free_blocks_total = 0;     // sum nr_free[o]
  std::uint64_t free_blocks_suitable = 0;  // sum over o >= order of nr_free[o] << (o - order)
};

// Orders a count list may have: fill_contig_page_info (mm/vmstat.c@v6.12) shifts each count by its order
// in an unsigned long, so an order of 64 or more has no meaning (and is undefined in C++). Real kernels
// have far fewer (MAX_PAGE_ORDER 10 on x86).
inline constexpr std::size_t kMaxPageOrders = 64;

// nr_free has one count per order (0..MAX_PAGE_ORDER), at most kMaxPageOrders of them: every function
// below assumes it (readers of user text check it, analysis/buddyinfo_report.cpp).
ContigPageInfo fill_contig_page_info(std::span<const std::uint64_t> nr_free, unsigned order);

// unusable_free_index(): thousandths of free memory unusable for a 2^order allocation; 1000 when
// nothing is free.
int unusable_free_index(unsigned order, const ContigPageInfo& info);

// __fragmentation_index(): 0 when nothing is free, -1000 when a suitable block exists, otherwise
// 1000 - (1000 + free_pages * 1000 / 2^order) / free_blocks_total in unsigned 64-bit arithmetic
// returned as int (so a single too-small block can give a negative value, e.g. -500). 0 for
// order > max_order (the kernel WARNs).
int fragmentation_index(unsigned order, const ContigPageInfo& info, unsigned max_order);

// extfrag_for_order(): percent (0..100) of free memory unusable for 2^order; 0 when nothing is free.
unsigned extfrag_for_order(std::span<const std::uint64_t> nr_free, unsigned order);

// Highest order with a free block, or -1 when nothing is free (the report's largest_free_order).
int largest_free_order(std::span<const std::uint64_t> nr_free);

// One value per order (0..nr_free.size()-1).
std::vector<int> unusable_indexes(std::span<const std::uint64_t> nr_free);
std::vector<int> extfrag_indexes(std::span<const std::uint64_t> nr_free);

// Lines as the kernel prints them, each ending in " \n" after the last field like seq_printf does:
// /proc/buddyinfo:  "Node %d, zone %8s " then "%6lu " per order;
// unusable_index:   "Node %d, zone %8s " then "%d.%03d " per order;
// extfrag_index:    "Node %d, zone %8s " then "%2d.%03d " per order (the width since 5.16).
std::string buddyinfo_line(int node, std::string_view zone, std::span<const std::uint64_t> nr_free);
std::string unusable_index_line(int node, std::string_view zone, std::span<const int> indexes);
// `padded` false gives the "%d.%03d " of kernels before 5.16 (mm/vmstat.c "make extfrag_index show
// more pretty", 2021).
std::string extfrag_index_line(int node, std::string_view zone, std::span<const int> indexes, bool padded = true);

// An index as a JSON number with the printed value: 226 -> 0.226, -1000 -> -1.0.
inline double index_to_double(int index) { return index / 1000.0; }

}  // namespace gm
