// Reading the plotted quantities out of report.json and laying out the run and compare plots.
#include "analysis/report_plots.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <tuple>

#include "analysis/time_series.h"

namespace gm {
namespace {

namespace fs = std::filesystem;

std::string strategy_style(const std::string& strategy, int dash = 1) {
  // Colour-blind-safe pair (ColorBrewer Dark2) so the two strategies read apart in every plot.
  std::string colour = strategy == "ballooned" ? "#d95f02" : strategy == "unpopulated" ? "#1b9e77" : "#7570b3";
  return "lc rgb '" + colour + "' dt " + std::to_string(dash);
}

std::pair<double, std::string> byte_scale(double max) {
  if (max >= 4.0 * (1ULL << 30)) return {double(1ULL << 30), "GiB"};
  if (max >= 4.0 * (1ULL << 20)) return {double(1ULL << 20), "MiB"};
  return {1024.0, "KiB"};
}

std::optional<TimeCurve> column_curve(const nlohmann::json& report, std::string_view column, const std::string& name,
                                      double scale = 1.0, std::string style = "") {
  const nlohmann::json::json_pointer ts("/time_series");
  if (!report.contains(ts)) return std::nullopt;
  const auto& j = report.at(ts);
  const std::string col(column);
  if (!j.is_object() || !j.contains("t_ns") || !j.contains(col) || !j[col].is_array()) return std::nullopt;
  TimeCurve c{name, {}, {}, std::move(style)};
  const auto& t = j["t_ns"];
  const auto& y = j[col];
  for (std::size_t i = 0; i < t.size() && i < y.size(); ++i) {
    if (!t[i].is_number() || !y[i].is_number()) continue;
    c.t_ns.push_back(t[i].get<std::int64_t>());
    c.y.push_back(y[i].get<double>() / scale);
  }
  return c;
}

std::vector<std::string> columns_with_prefix(const nlohmann::json& report, std::string_view prefix) {
  std::vector<std::string> out;
  const nlohmann::json::json_pointer ts("/time_series");
  if (!report.contains(ts) || !report.at(ts).is_object()) return out;
  for (auto it = report.at(ts).begin(); it != report.at(ts).end(); ++it)
    if (it.key().rfind(prefix, 0) == 0 && it->is_array()) out.push_back(it.key());
  // Numeric order of the order suffix (order10 after order9).
  std::sort(out.begin(), out.end(), [](const std::string& a, const std::string& b) {
    return std::make_pair(a.size(), a) < std::make_pair(b.size(), b);
  });
  return out;
}

// `which`: "/latency" (request latency) or "/alloc_latency" (allocation latency).
std::optional<CdfCurve> report_cdf(const nlohmann::json& report, const std::string& name,
                                   const std::string& which = "/latency") {
  const nlohmann::json::json_pointer p(which + "/overall/cdf");
  if (!report.contains(p)) return std::nullopt;
  const auto& c = report.at(p);
  if (!c.is_object() || !c.contains("percent") || !c.contains("value_ns") || !c["percent"].is_array() ||
      !c["value_ns"].is_array() || c["percent"].size() != c["value_ns"].size() || c["percent"].empty())
    return std::nullopt;
  return CdfCurve{name, c["percent"].get<std::vector<double>>(), c["value_ns"].get<std::vector<double>>(), ""};
}

// Guest RAM (upper panel) and scratch + ballooned memory (lower panel), in bytes until scale_panels().
void add_memory_curves(std::vector<TimePanel>& panels, const nlohmann::json& r, const std::string& label,
                       const std::string& strategy) {
  const std::string prefix = label.empty() ? "" : label + ": ";
  auto style = [&](int dash) { return strategy.empty() ? std::string() : strategy_style(strategy, dash); };
  if (auto c = column_curve(r, series::kGuestRamBytes, prefix + "guest RAM", 1, style(1)))
    panels[0].curves.push_back(*c);
  if (auto c = column_curve(r, series::kScratchBytes, prefix + "scratch", 1, style(1))) panels[1].curves.push_back(*c);
  if (auto c = column_curve(r, series::kBalloonedPages, prefix + "ballooned", 1.0 / kPageSize, style(2)))
    panels[1].curves.push_back(*c);
}

std::vector<TimePanel> memory_panels() { return {{"guest RAM", {}, "[*:*]"}, {"scratch, ballooned", {}, "[0:*]"}}; }

// Each panel in its own unit (KiB, MiB or GiB), named in its y label.
void scale_panels(std::vector<TimePanel>& panels) {
  for (auto& p : panels) {
    double max = 0;
    for (const auto& c : p.curves)
      for (double v : c.y) max = std::max(max, v);
    auto [div, unit] = byte_scale(max);
    for (auto& c : p.curves)
      for (double& v : c.y) v /= div;
    p.ylabel += " (" + unit + ")";
  }
}

// Hypercall rates (calls/s) from the cumulative populate_calls / decrease_calls columns: the difference
// between consecutive samples over their time step, plotted at the end of the step.
void add_rate_curves(std::vector<TimeCurve>& out, const nlohmann::json& r, const std::string& label,
                     const std::string& strategy) {
  const std::string prefix = label.empty() ? "" : label + ": ";
  int dash = 1;
  for (const auto& [col, name] :
       {std::pair{"populate_calls", "populate_physmap"}, std::pair{"decrease_calls", "decrease_reservation"}}) {
    auto c = column_curve(r, col, prefix + name, 1, strategy.empty() ? "" : strategy_style(strategy, dash));
    ++dash;
    if (!c || c->t_ns.size() < 2) continue;
    TimeCurve rate{c->name, {}, {}, c->style};
    for (std::size_t i = 1; i < c->t_ns.size(); ++i) {
      if (c->t_ns[i] <= c->t_ns[i - 1]) continue;
      rate.t_ns.push_back(c->t_ns[i]);
      rate.y.push_back((c->y[i] - c->y[i - 1]) / (static_cast<double>(c->t_ns[i] - c->t_ns[i - 1]) / 1e9));
    }
    out.push_back(std::move(rate));
  }
}

}  // namespace

std::vector<MapRange> map_ranges_from_report(const nlohmann::json& report) {
  std::vector<MapRange> out;
  const nlohmann::json::json_pointer as("/address_space");
  if (!report.contains(as) || !report.at(as).is_object()) return out;
  const auto& a = report.at(as);
  auto range = [](const nlohmann::json& e, std::string name, std::string kind) -> std::optional<MapRange> {
    auto address = [&](const char* k) {  // a non-negative integer (parsed JSON gives unsigned, literals signed)
      return e.contains(k) && e[k].is_number_integer() && (e[k].is_number_unsigned() || e[k].get<std::int64_t>() >= 0);
    };
    if (!e.is_object() || !address("start") || !address("end")) return std::nullopt;
    return MapRange{std::move(name), PhysAddr{e["start"].get<std::uint64_t>()}, PhysAddr{e["end"].get<std::uint64_t>()},
                    std::move(kind)};
  };
  auto kind_of = [](const std::string& name) -> std::string {
    std::string l = name;
    std::transform(l.begin(), l.end(), l.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (l == "system ram" || l == "usable" || l == "ram") return "ram";
    // drivers/xen/unpopulated-alloc.c names its ranges "Xen scratch".
    if (l.find("scratch") != std::string::npos || l.find("unpopulated") != std::string::npos) return "scratch";
    if (l.find("pci") != std::string::npos) return "pci";
    if (l.find("acpi") != std::string::npos) return "acpi";
    if (l.find("reserved") != std::string::npos) return "reserved";
    return "other";
  };
  if (a.contains("e820") && a["e820"].is_array())
    for (const auto& e : a["e820"]) {
      std::string type = e.is_object() ? e.value("type", std::string("?")) : "?";
      if (auto r = range(e, "e820 " + type, kind_of(type))) out.push_back(*r);
    }
  if (a.contains("iomem") && a["iomem"].is_array())
    for (const auto& e : a["iomem"]) {
      if (!e.is_object() || e.value("depth", 0) > 1) continue;
      std::string name = e.value("name", std::string("?"));
      if (auto r = range(e, name, kind_of(name))) out.push_back(*r);
    }
  for (const auto& [key, kind, label] : {std::tuple{"scratch_ranges", "scratch", "scratch (unpopulated)"},
                                         std::tuple{"hotplugged_ranges", "hotplug", "hot-added"}})
    if (a.contains(key) && a[key].is_array())
      for (const auto& e : a[key]) {
        auto r = range(e, label, kind);
        if (!r) continue;
        // A range iomem already lists (hot-added memory shows there as "System RAM") is recoloured, not repeated.
        auto same = std::find_if(out.begin(), out.end(),
                                 [&](const MapRange& m) { return m.start == r->start && m.end == r->end; });
        if (same == out.end()) {
          out.push_back(*r);
        } else if (same->kind != kind) {
          same->kind = kind;
          same->name += std::string(" (") + label + ")";
        }
      }
  return out;
}

PlotResult write_run_plots(const fs::path& dir, const nlohmann::json& report, const PlotOptions& o) {
  PlotResult all{{}, true, ""};
  std::vector<CdfCurve> cdfs;
  if (auto c = report_cdf(report, "request, all callers")) cdfs.push_back(*c);
  if (auto c = report_cdf(report, "allocation, all callers", "/alloc_latency")) cdfs.push_back(*c);
  all.merge(plot_latency_cdf(dir, "latency_cdf", cdfs, o));
  std::vector<TimeCurve> frag;
  for (const auto& col : columns_with_prefix(report, series::kUnusableIndexPrefix))
    if (auto c = column_curve(report, col, "order " + col.substr(series::kUnusableIndexPrefix.size())))
      frag.push_back(*c);
  all.merge(plot_time_curves(dir, "fragmentation", "Unusable free index by order (0 = all free memory usable)",
                             "unusable index", frag, o, "[0:*]"));
  auto mem = memory_panels();
  add_memory_curves(mem, report, "", "");
  scale_panels(mem);
  all.merge(plot_time_panels(dir, "memory", "Guest RAM, scratch and ballooned memory", mem, o));
  std::vector<TimeCurve> rates;
  add_rate_curves(rates, report, "", "");
  all.merge(plot_time_curves(dir, "hypercalls", "Hypercall rate (per sampling interval)", "calls per second", rates, o,
                             "[0:*]"));
  all.merge(plot_address_map(dir, "address_map", "Guest-physical address space at the end of the run",
                             map_ranges_from_report(report), o));
  return all;
}

PlotResult write_compare_plots(const fs::path& dir,
                               const std::map<std::string, std::vector<nlohmann::json>>& reports_by_strategy,
                               const PlotOptions& o) {
  PlotResult all{{}, true, ""};
  std::vector<CdfCurve> cdfs;
  std::vector<TimeCurve> frag;
  auto mem = memory_panels();
  for (const auto& [strategy, reports] : reports_by_strategy) {
    if (reports.empty()) continue;
    // Vincentized CDF: average the per-seed quantiles at each percent of the common grid. Request
    // latency solid, allocation latency dashed.
    using Kind = std::tuple<const char*, const char*, int>;
    for (const auto& [which, label, dash] : {Kind{"/latency", "request", 1}, Kind{"/alloc_latency", "allocation", 2}}) {
      std::optional<CdfCurve> sum;
      std::size_t n = 0;
      for (const auto& r : reports) {
        auto c = report_cdf(r, strategy, which);
        if (!c) continue;
        if (!sum) {
          sum = *c;
        } else if (sum->percent == c->percent) {
          for (std::size_t i = 0; i < c->value_ns.size(); ++i) sum->value_ns[i] += c->value_ns[i];
        } else {
          continue;
        }
        ++n;
      }
      if (sum) {
        for (double& v : sum->value_ns) v /= static_cast<double>(n);
        sum->name = strategy + " " + label + " (" + std::to_string(n) + (n == 1 ? " seed)" : " seeds)");
        sum->style = strategy_style(strategy, dash);
        cdfs.push_back(*sum);
      }
    }
    const auto& first = reports.front();
    auto cols = columns_with_prefix(first, series::kUnusableIndexPrefix);
    std::string col = std::string(series::kUnusableIndexPrefix) + "9";
    if (std::find(cols.begin(), cols.end(), col) == cols.end() && !cols.empty()) col = cols.back();
    std::string order = col.substr(std::min(col.size(), series::kUnusableIndexPrefix.size()));
    if (auto c = column_curve(first, col, strategy + (order == "9" ? "" : " (order " + order + ")"), 1.0,
                              strategy_style(strategy)))
      frag.push_back(*c);
    add_memory_curves(mem, first, strategy, strategy);
    all.merge(plot_address_map(dir, "address_map_" + strategy,
                               "Address space at the end: " + strategy + " (first seed)", map_ranges_from_report(first),
                               o));
  }
  all.merge(plot_latency_cdf(dir, "latency_cdf", cdfs, o));
  all.merge(plot_time_curves(dir, "fragmentation", "Order-9 (2 MiB) unusable free index over time (first seed)",
                             "unusable index (0 = all free memory usable)", frag, o, "[0:*]"));
  scale_panels(mem);
  all.merge(plot_time_panels(dir, "memory", "Guest RAM, scratch and ballooned memory (first seed)", mem, o));
  std::vector<TimeCurve> rates;
  for (const auto& [strategy, reports] : reports_by_strategy)
    if (!reports.empty()) add_rate_curves(rates, reports.front(), strategy, strategy);
  all.merge(plot_time_curves(dir, "hypercalls", "Hypercall rate per sampling interval (first seed)", "calls per second",
                             rates, o, "[0:*]"));
  return all;
}

}  // namespace gm
