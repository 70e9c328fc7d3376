// Rendering sensitivity.json (text, markdown, CSV) and its tornado plots.
#include "analysis/sensitivity_output.h"

#include <algorithm>
#include <cmath>

#include "analysis/compare_table.h"
#include "analysis/sensitivity.h"
#include "analysis/time_series.h"

namespace gm {
namespace {

std::string sens_unit_of(const nlohmann::json& doc, const std::string& metric) {
  nlohmann::json::json_pointer p("/metrics/" + metric + "/unit");
  return doc.contains(p) && doc.at(p).is_string() ? doc.at(p).get<std::string>() : "";
}

std::string sens_signed_human(double v, const std::string& unit) { return (v > 0 ? "+" : "") + human_value(v, unit); }

// "+783 ns [110 ns, 1.46 us] *", or "-" when there is no delta.
std::string sens_delta_text(const nlohmann::json& d, const std::string& unit) {
  if (!d.is_object() || !d["mean"].is_number()) return "-";
  std::string s = sens_signed_human(d["mean"].get<double>(), unit);
  if (d["ci95"].is_array() && d["ci95"].size() == 2)
    s += " [" + human_value(d["ci95"][0].get<double>(), unit) + ", " + human_value(d["ci95"][1].get<double>(), unit) +
         "]";
  if (d.value("significant", false)) s += " *";
  return s;
}

std::string sens_flip_text(const nlohmann::json& m) {
  std::string s;
  if (m.value("sign_flip", false)) s += "sign";
  if (m.value("significance_flip", false)) s += std::string(s.empty() ? "" : ", ") + "significance";
  if (m.value("claim_changes", false)) s += " (claim changes)";
  return s.empty() ? "-" : s;
}

std::string sens_range_text(const nlohmann::json& p) {
  return human_value(p.value("low_ns", 0.0), "ns") + " .. " + human_value(p.value("high_ns", 0.0), "ns");
}

// Left-aligned in `w` columns, and at least two spaces before the next column.
std::string sens_pad(std::string s, std::size_t w) {
  s.append(s.size() + 2 < w ? w - s.size() : 2, ' ');
  return s;
}

std::string sens_verdict_text(const nlohmann::json& v) {
  if (v.value("survives", false)) {
    std::string s = "survives every range";
    if (!v["sign_flipped_by"].empty()) {
      s += " (the insignificant mean changes sign with ";
      bool first = true;
      for (const auto& n : v["sign_flipped_by"]) s += (first ? "" : ", ") + n.get<std::string>(), first = false;
      s += ")";
    }
    return s;
  }
  std::string s = "changes:";
  bool first = true;
  for (const auto& c : v["changed_by"]) {
    s += std::string(first ? " " : "; ") + c.value("claim", "") + " at " + c.value("parameter", "") + " " +
         c.value("end", "");
    first = false;
  }
  return s;
}

// Parameters not varied, grouped by reason: "not charged by this scenario: a, b".
std::vector<std::string> sens_not_varied(const nlohmann::json& doc) {
  std::vector<std::string> out;
  for (const char* status : {kNotCharged, kNoRange}) {
    std::string names;
    for (const auto& p : doc["parameters"])
      if (p.value("status", "") == status) names += (names.empty() ? "" : ", ") + p.value("name", "");
    if (!names.empty()) out.push_back(std::string(status) + " (not varied): " + names);
  }
  return out;
}

std::string sens_header_line(const nlohmann::json& doc) {
  std::string name = doc["scenario"].is_object() ? doc["scenario"].value("name", "?") : "?";
  return "scenario \"" + name + "\", " + std::to_string(doc["seeds"].size()) + " seeds, cost file " +
         doc.value("cost_file", "?");
}

std::string sens_format_text(const nlohmann::json& doc) {
  std::string out =
      "Sensitivity of delta = unpopulated - ballooned to the cost model (" + sens_header_line(doc) + ").\n" +
      "Each cost parameter at the low and at the high end of its range, all others at their default, the\n"
      "same seeds everywhere (paired); [95% interval of the delta] (t), * = the interval excludes zero.\n";
  for (const auto& metric : sensitivity_headline_metrics()) {
    const std::string unit = sens_unit_of(doc, metric);
    const auto& v = doc["verdict"][metric];
    out += "\n" + metric + ": default " + sens_delta_text(doc["baseline"]["deltas"][metric], unit) + " (" +
           v.value("claim", "") + ") -> " + sens_verdict_text(v) + "\n";
    auto order = tornado_order(doc, metric);
    if (order.empty()) continue;
    out += "  " + sens_pad("parameter (low .. high)", 38) + sens_pad("delta at low", 32) +
           sens_pad("delta at high", 32) + "flip\n";
    for (std::size_t i : order) {
      const auto& p = doc["parameters"][i];
      const auto& m = p["metrics"][metric];
      out += "  " + sens_pad(p.value("name", "") + " (" + sens_range_text(p) + ")", 38) +
             sens_pad(sens_delta_text(m["low"], unit), 32) + sens_pad(sens_delta_text(m["high"], unit), 32) +
             sens_flip_text(m) + "\n";
    }
  }
  out += "\nVerdict: the claim each delta makes at the default costs, over every varied parameter's range\n";
  for (const auto& metric : sensitivity_headline_metrics()) {
    const auto& v = doc["verdict"][metric];
    out += "  " + sens_pad(metric, 24) + sens_pad(v.value("claim", ""), 28) + sens_verdict_text(v) + "\n";
  }
  for (const auto& line : sens_not_varied(doc)) out += line + "\n";
  return out;
}

std::string sens_md_cell(std::string s) {
  std::string out;
  for (char c : s) out += c == '|' ? std::string("\\|") : std::string(1, c);
  return out;
}

std::string sens_format_markdown(const nlohmann::json& doc) {
  std::string out = "Sensitivity of delta = unpopulated - ballooned to the cost model (" +
                    sens_md_cell(sens_header_line(doc)) +
                    "). Each cost parameter at the low and at the high end of its range, all others at their "
                    "default, same seeds (paired); [95% interval] (t), * = it excludes zero.\n\n";
  out += "| metric | claim at default costs | default delta | verdict |\n|---|---|---|---|\n";
  for (const auto& metric : sensitivity_headline_metrics()) {
    const auto& v = doc["verdict"][metric];
    out += "| " + metric + " | " + sens_md_cell(v.value("claim", "")) + " | " +
           sens_md_cell(sens_delta_text(doc["baseline"]["deltas"][metric], sens_unit_of(doc, metric))) + " | " +
           sens_md_cell(sens_verdict_text(v)) + " |\n";
  }
  for (const auto& line : sens_not_varied(doc)) out += "\n- " + sens_md_cell(line) + "\n";
  for (const auto& metric : sensitivity_headline_metrics()) {
    auto order = tornado_order(doc, metric);
    if (order.empty()) continue;
    const std::string unit = sens_unit_of(doc, metric);
    out += "\n### " + metric +
           "\n\n| parameter | low .. high | delta at low | delta at high | flip |\n|---|---|---:|---:|---|\n";
    for (std::size_t i : order) {
      const auto& p = doc["parameters"][i];
      const auto& m = p["metrics"][metric];
      out += "| " + sens_md_cell(p.value("name", "")) + " | " + sens_md_cell(sens_range_text(p)) + " | " +
             sens_md_cell(sens_delta_text(m["low"], unit)) + " | " + sens_md_cell(sens_delta_text(m["high"], unit)) +
             " | " + sens_md_cell(sens_flip_text(m)) + " |\n";
    }
  }
  return out;
}

std::string sens_csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

std::string sens_csv_delta(const nlohmann::json& d) {
  if (!d.is_object()) return ",,,";
  auto n = [](const nlohmann::json& x) { return x.is_number() ? format_number(x.get<double>()) : std::string(); };
  std::string lo, hi;
  if (d["ci95"].is_array() && d["ci95"].size() == 2) lo = n(d["ci95"][0]), hi = n(d["ci95"][1]);
  return n(d["mean"]) + "," + lo + "," + hi + "," + (d.value("significant", false) ? "true" : "false");
}

std::string sens_format_csv(const nlohmann::json& doc) {
  std::string out = std::string(sensitivity_csv_header()) + "\n";
  for (const auto& metric : sensitivity_headline_metrics())
    for (const auto& p : doc["parameters"]) {
      out += metric + "," + sens_unit_of(doc, metric) + "," + sens_csv_field(p.value("name", "")) + "," +
             sens_csv_field(p.value("status", "")) + "," + std::to_string(p.value("low_ns", std::int64_t{0})) + "," +
             std::to_string(p.value("default_ns", std::int64_t{0})) + "," +
             std::to_string(p.value("high_ns", std::int64_t{0})) + ",";
      nlohmann::json::json_pointer mp("/metrics/" + metric);
      if (!p.contains(mp)) {
        out += ",,,," + sens_csv_delta(doc["baseline"]["deltas"][metric]) + ",,,,,,,\n";
        continue;
      }
      const auto& m = p.at(mp);
      auto b = [&](const char* k) { return m.value(k, false) ? "true" : "false"; };
      out += sens_csv_delta(m["low"]) + "," + sens_csv_delta(m["default"]) + "," + sens_csv_delta(m["high"]) + "," +
             b("sign_flip") + "," + b("significance_flip") + "," + b("claim_changes") + "\n";
    }
  return out;
}

// Divisor and label for a metric's axis: ns -> us/ms, bytes -> KiB/MiB/GiB, others as they are.
std::pair<double, std::string> sens_axis_scale(const std::string& unit, double max_abs) {
  if (unit == "ns") {
    if (max_abs >= 1e6) return {1e6, "ms"};
    if (max_abs >= 1e3) return {1e3, "us"};
    return {1, "ns"};
  }
  if (unit == "bytes") {
    if (max_abs >= 1024.0 * 1024 * 1024) return {1024.0 * 1024 * 1024, "GiB"};
    if (max_abs >= 1024.0 * 1024) return {1024.0 * 1024, "MiB"};
    if (max_abs >= 1024.0) return {1024.0, "KiB"};
    return {1, "bytes"};
  }
  return {1, unit};
}

}  // namespace

const char* sensitivity_csv_header() {
  return "metric,unit,parameter,status,low_ns,default_ns,high_ns,"
         "delta_low_mean,delta_low_ci_lo,delta_low_ci_hi,delta_low_significant,"
         "delta_default_mean,delta_default_ci_lo,delta_default_ci_hi,delta_default_significant,"
         "delta_high_mean,delta_high_ci_lo,delta_high_ci_hi,delta_high_significant,"
         "sign_flip,significance_flip,claim_changes";
}

std::string format_sensitivity(const nlohmann::json& doc, CompareFormat f) {
  switch (f) {
    case CompareFormat::text:
      return sens_format_text(doc);
    case CompareFormat::md:
      return sens_format_markdown(doc);
    case CompareFormat::csv:
      return sens_format_csv(doc);
    case CompareFormat::json:
      break;
  }
  return doc.dump(2) + "\n";
}

PlotResult write_tornado_plots(const std::filesystem::path& dir, const nlohmann::json& doc, const PlotOptions& o) {
  PlotResult all;
  for (const auto& metric : sensitivity_headline_metrics()) {
    const auto& base = doc["baseline"]["deltas"][metric];
    if (!base["mean"].is_number()) continue;
    const double center = base["mean"].get<double>();
    std::vector<TornadoBar> bars;
    double max_abs = std::fabs(center);
    for (std::size_t i : tornado_order(doc, metric)) {
      const auto& p = doc["parameters"][i];
      const auto& m = p["metrics"][metric];
      TornadoBar b;
      b.name = p.value("name", "") + (m.value("claim_changes", false) ? " (claim changes)" : "");
      b.low = m["low"]["mean"].is_number() ? m["low"]["mean"].get<double>() : center;
      b.high = m["high"]["mean"].is_number() ? m["high"]["mean"].get<double>() : center;
      max_abs = std::max({max_abs, std::fabs(b.low), std::fabs(b.high)});
      bars.push_back(std::move(b));
    }
    const std::string unit = sens_unit_of(doc, metric);
    auto [scale, label] = sens_axis_scale(unit, max_abs);
    const auto& v = doc["verdict"][metric];
    std::string title = metric + ": default delta " + sens_delta_text(base, unit) + " (" +
                        (v.value("survives", false) ? "claim survives" : "claim changes") + ")";
    all.merge(plot_tornado(dir, "tornado-" + metric, title,
                           "delta unpopulated - ballooned with one cost at its low / high value (" + label + ")",
                           center, bars, scale, o));
  }
  return all;
}

}  // namespace gm
