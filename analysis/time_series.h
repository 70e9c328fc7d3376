// Columnar time series of run metrics (report.json `time_series`, out/time_series.csv).
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "models/units.h"

namespace gm {

// Metric names the plots look for; the simulation should use them for these quantities.
namespace series {
inline constexpr std::string_view kGuestRamBytes = "guest_ram_bytes";          // populated guest RAM
inline constexpr std::string_view kBalloonedPages = "ballooned_pages";         // pages on the balloon list
inline constexpr std::string_view kScratchBytes = "scratch_bytes";             // unpopulated (ZONE_DEVICE) ranges
inline constexpr std::string_view kAddressSpaceBytes = "address_space_bytes";  // highest address in use
inline constexpr std::string_view kFreeBytes = "free_bytes";                   // buddy allocator free memory
// Fragmentation columns start with these prefixes followed by the order, e.g. unusable_index_order9.
inline constexpr std::string_view kUnusableIndexPrefix = "unusable_index_order";
inline constexpr std::string_view kExtfragIndexPrefix = "extfrag_index_order";
}  // namespace series

// One declared metric: name (unit-suffixed, e.g. "guest_ram_bytes"), unit and description.
struct SeriesMetric {
  std::string name, unit, description;
  bool operator==(const SeriesMetric&) const = default;
};

// A table with a time column and one column per declared metric; a missing value is NaN.
// Contract: metrics are declared before the first row; row times never decrease (std::logic_error
// otherwise, a programming error); names are identifiers [A-Za-z_][A-Za-z0-9_]* other than "t_ns",
// "metrics". JSON and CSV print integral values as integers and others in shortest round-trip form,
// so from_json(to_json()) gives back an equal series and from_csv(to_csv()) one with the same_data
// (units and descriptions travel only in JSON).
class TimeSeries {
 public:
  using MetricId = std::size_t;

  MetricId add_metric(std::string name, std::string unit, std::string description);
  std::optional<MetricId> find(std::string_view name) const;
  // Appends a row at time t with every value missing; then set() fills it.
  void add_row(SimTime t);
  void set(MetricId id, double value);                         // on the last row
  void add_row(SimTime t, const std::vector<double>& values);  // one value per metric, in order

  std::size_t rows() const { return t_ns_.size(); }
  const std::vector<SeriesMetric>& metrics() const { return metrics_; }
  const std::vector<std::int64_t>& t_ns() const { return t_ns_; }
  const std::vector<double>& column(MetricId id) const { return columns_.at(id); }

  // {"t_ns":[...], NAME:[...], ..., "metrics":{NAME:{"unit","description","column"}}}: every array-valued
  // key is a column as long as t_ns; missing values are null; "column" is the metric's 1-based position
  // after t_ns (as in the CSV), since JSON objects have no order.
  nlohmann::json to_json() const;
  static TimeSeries from_json(const nlohmann::json& j);  // throws std::invalid_argument naming the key
  // Header "t_ns,NAME,...", one line per row, "\n" line ends, empty field = missing.
  std::string to_csv() const;
  static TimeSeries from_csv(std::string_view text);  // throws std::invalid_argument naming LINE:COL

  bool operator==(const TimeSeries& o) const;  // everything, units and descriptions included
  bool same_data(const TimeSeries& o) const;   // names, times and values (NaN equals NaN)

 private:
  std::vector<SeriesMetric> metrics_;
  std::vector<std::int64_t> t_ns_;
  std::vector<std::vector<double>> columns_;
};

// Number formatting shared by the analysis outputs: integers when the value is integral and exactly
// representable (|v| < 2^53), otherwise the shortest text that parses back to the same double.
std::string format_number(double v);
// Parses what format_number writes (and any decimal/scientific number); nullopt when `s` is not one.
std::optional<double> parse_number(std::string_view s);
// A JSON number for v (an integer when integral), or null for NaN/infinity.
nlohmann::json json_number(double v);

}  // namespace gm
