// The compared metrics: where each lives in report.json, its unit, and its interval method.
#include "analysis/compare_metrics.h"

namespace gm {

std::optional<double> number_at(const nlohmann::json& report, const std::string& pointer) {
  nlohmann::json::json_pointer p(pointer);
  if (!report.contains(p)) return std::nullopt;
  const auto& v = report.at(p);
  if (!v.is_number()) return std::nullopt;
  return v.get<double>();
}

namespace {

CompareMetric at(std::string name, std::string pointer, std::string unit, std::string description,
                 IntervalMethod method = IntervalMethod::t) {
  CompareMetric m{std::move(name), pointer, std::move(unit), std::move(description), method, {}};
  m.extract = [pointer](const nlohmann::json& r) { return number_at(r, pointer); };
  return m;
}

// Size of the array at `pointer`, when the report has one.
CompareMetric array_size(std::string name, std::string pointer, std::string description) {
  CompareMetric m{std::move(name), pointer + " (array length)", "count", std::move(description), IntervalMethod::t, {}};
  m.extract = [pointer](const nlohmann::json& r) -> std::optional<double> {
    nlohmann::json::json_pointer p(pointer);
    if (!r.contains(p) || !r.at(p).is_array()) return std::nullopt;
    return static_cast<double>(r.at(p).size());
  };
  return m;
}

// unusable_index[9] of the Normal zone (the zone that holds most of a 64-bit guest's RAM), or of the
// last zone listed when there is no Normal zone. Order 9 = 2 MiB on x86_64: what a THP needs.
CompareMetric unusable_order9() {
  CompareMetric m{"unusable_index_order9",
                  "/fragmentation/zones[zone=Normal, else last]/unusable_index/9",
                  "index",
                  "fraction of free memory unusable for an order-9 (2 MiB) allocation, at the end of the run",
                  IntervalMethod::t,
                  {}};
  m.extract = [](const nlohmann::json& r) -> std::optional<double> {
    nlohmann::json::json_pointer p("/fragmentation/zones");
    if (!r.contains(p) || !r.at(p).is_array() || r.at(p).empty()) return std::nullopt;
    const auto& zones = r.at(p);
    const nlohmann::json* zone = &zones.back();
    for (const auto& z : zones)
      if (z.is_object() && z.value("zone", "") == "Normal") zone = &z;
    return number_at(*zone, "/unusable_index/9");
  };
  return m;
}

// Mean over the run of a time-series column (/time_series/<column>), counting only samples >= 0
// (extfrag_index is -1 when an allocation of that order would succeed: no fragmentation to measure).
CompareMetric series_mean(std::string name, std::string column, std::string unit, std::string description) {
  CompareMetric m{std::move(name), "/time_series/" + column + " (mean of samples >= 0)", std::move(unit),
                  std::move(description), IntervalMethod::t, {}};
  m.extract = [column](const nlohmann::json& r) -> std::optional<double> {
    nlohmann::json::json_pointer p("/time_series/" + column);
    if (!r.contains(p) || !r.at(p).is_array()) return std::nullopt;
    double sum = 0;
    std::size_t n = 0;
    for (const auto& v : r.at(p))
      if (v.is_number() && v.get<double>() >= 0) sum += v.get<double>(), ++n;
    if (n == 0) return std::nullopt;
    return sum / static_cast<double>(n);
  };
  return m;
}

}  // namespace

const std::vector<CompareMetric>& compare_metrics() {
  using M = IntervalMethod;
  static const std::vector<CompareMetric> list = {
      at("latency_mean_ns", "/latency/overall/mean_ns", "ns", "mean latency of a page request, all callers"),
      at("latency_p50_ns", "/latency/overall/p50_ns", "ns", "median request latency (nearest rank)", M::bootstrap),
      at("latency_p99_ns", "/latency/overall/p99_ns", "ns", "99th percentile request latency (nearest rank)",
         M::bootstrap),
      at("latency_max_ns", "/latency/overall/max_ns", "ns", "longest request latency", M::bootstrap),
      at("alloc_latency_mean_ns", "/alloc_latency/overall/mean_ns", "ns",
         "mean allocation latency (the xen_alloc_*_pages part of a request), all callers"),
      at("alloc_latency_p50_ns", "/alloc_latency/overall/p50_ns", "ns", "median allocation latency (nearest rank)",
         M::bootstrap),
      at("alloc_latency_p99_ns", "/alloc_latency/overall/p99_ns", "ns",
         "99th percentile allocation latency (nearest rank)", M::bootstrap),
      at("alloc_latency_max_ns", "/alloc_latency/overall/max_ns", "ns", "longest allocation latency", M::bootstrap),
      at("requests", "/latency/overall/count", "count", "completed page requests"),
      at("failures", "/latency/overall/failures", "count", "failed page requests (e.g. -ENOMEM)"),
      at("scratch_bytes", "/address_space/scratch_bytes", "bytes", "address space taken for unpopulated pages"),
      at("memmap_bytes", "/address_space/memmap_bytes", "bytes", "struct page (vmemmap) memory for added ranges"),
      at("hotplugged_bytes", "/address_space/hotplugged_bytes", "bytes", "memory hot-added by the balloon"),
      at("balloon_list_pages", "/balloon/ballooned_pages", "pages",
         "pages on the balloon list at the end (hot-added pages never populated included)"),
      at("released_to_xen_pages", "/balloon/pages_released_to_xen", "pages",
         "pages released to Xen and not taken back: decrease_reservation frames - populate_physmap frames"),
      at("populate_calls", "/balloon/hypercalls/populate_physmap/calls", "calls", "XENMEM_populate_physmap calls"),
      at("populate_frames", "/balloon/hypercalls/populate_physmap/frames", "frames", "frames populated"),
      at("decrease_calls", "/balloon/hypercalls/decrease_reservation/calls", "calls",
         "XENMEM_decrease_reservation calls"),
      at("decrease_frames", "/balloon/hypercalls/decrease_reservation/frames", "frames", "frames released to Xen"),
      at("thp_success_rate", "/fragmentation/thp_success_rate", "ratio",
         "share of order-9 (THP) allocations that succeed at the end of the run"),
      at("largest_free_order", "/fragmentation/largest_free_order", "order", "largest order with a free block"),
      unusable_order9(),
      series_mean("unusable_index_order9_mean", "unusable_index_order9", "index",
                  "unusable free index at order 9 over all zones, mean of the samples over the run"),
      series_mean("extfrag_index_order9_mean", "extfrag_index_order9", "index",
                  "fragmentation index at order 9 over all zones, mean of the samples where an order-9 "
                  "allocation would fail"),
      at("pageblocks_pinned_fraction", "/fragmentation/pageblocks_pinned_fraction", "ratio",
         "share of pageblocks holding a page compaction cannot move, at the end (memory_pressure runs)"),
      at("compact_stall", "/fragmentation/memory_pressure/slow_path/compact_stall", "count",
         "direct compactions in the allocation slow path (COMPACTSTALL), all callers"),
      at("allocstall", "/fragmentation/memory_pressure/slow_path/allocstall", "count",
         "direct reclaims in the allocation slow path (ALLOCSTALL), all callers"),
      at("kswapd_reclaimed_pages", "/fragmentation/memory_pressure/kswapd/reclaimed", "pages",
         "page cache pages kswapd reclaimed (PGSTEAL_KSWAPD)"),
      at("alloc_slow_path_failures", "/fragmentation/memory_pressure/slow_path/failures", "count",
         "allocations the slow path gave up on, all callers"),
      array_size("guest_crashes", "/guest_crashes", "simulated guest crashes"),
      array_size("invariant_violations", "/invariants/violations", "model invariant violations"),
  };
  return list;
}

}  // namespace gm
