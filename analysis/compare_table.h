// The side-by-side table of compare.json as text (fits a width), GitHub markdown, or CSV (round-trips).
#pragma once

#include <cstddef>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/stats.h"

namespace gm {

// One metric of the table: both strategies (a = ballooned, b = unpopulated) and the delta b - a.
struct CompareRow {
  std::string metric, unit;
  std::optional<double> a_mean, b_mean, delta_mean;
  std::optional<Interval> a_ci, b_ci, delta_ci;
  bool significant = false;  // delta_ci exists and excludes zero
  std::string delta_method;  // what made delta_ci: "t", "bootstrap", or empty when there is none
  bool operator==(const CompareRow&) const = default;
};

// The table: rows in the declared metric order, plus the strategies that could not run and why.
struct CompareTable {
  std::string a_name = "ballooned", b_name = "unpopulated";
  std::size_t seeds = 0;
  std::vector<CompareRow> rows;
  std::map<std::string, std::string> unavailable;
};

enum class CompareFormat { text, md, csv, json };

// Contract: rows for every metric present in either strategy of a build_compare() document.
CompareTable compare_table(const nlohmann::json& compare);

// Aligned columns (metric, both means, delta, its 95 % interval followed by the method that made it,
// "(t)" or "(bootstrap)", `*` when the interval excludes zero),
// values with scaled units (us, MiB, ...). Every line is at most `width` characters: the metric column
// is shortened first (to 10 characters at least); when the value columns alone do not fit, each metric
// becomes a block of "  label: value" lines.
std::string format_compare_text(const CompareTable& t, std::size_t width = 100);
// A GitHub table with the same columns (and each strategy's interval), notes as a list below it.
std::string format_compare_markdown(const CompareTable& t);
// Header "metric,unit,A_mean,A_ci_lo,A_ci_hi,B_mean,B_ci_lo,B_ci_hi,delta_mean,delta_ci_lo,delta_ci_hi,
// significant,delta_ci_method", raw numbers (shortest round-trip form), empty = none. Unavailable strategies are not in
// the CSV. parse_compare_csv(format_compare_csv(t)) gives t's names and rows back exactly.
std::string format_compare_csv(const CompareTable& t);
CompareTable parse_compare_csv(std::string_view csv);  // throws std::invalid_argument naming LINE:COL

// "text" | "md" | "csv" | "json" (gm::InputError otherwise, listing the choices).
CompareFormat parse_compare_format(std::string_view s);
// The table of `compare` in the given format; json is compare.dump(2) with a final newline.
std::string format_compare(const nlohmann::json& compare, CompareFormat f, std::size_t width = 100);

// A value with its unit scaled for people: 1234567 ns -> "1.23 ms", 3145728 bytes -> "3 MiB".
std::string human_value(double v, std::string_view unit);

}  // namespace gm
