// Rendering the compare table: text within a width, markdown, and CSV (written and read back).
#include "analysis/compare_table.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "analysis/compare.h"
#include "analysis/compare_metrics.h"
#include "analysis/csv.h"
#include "analysis/time_series.h"
#include "models/errors.h"

namespace gm {
namespace {

std::optional<double> opt_number(const nlohmann::json& j, const char* key) {
  if (!j.is_object() || !j.contains(key) || !j[key].is_number()) return std::nullopt;
  return j[key].get<double>();
}

std::optional<Interval> opt_interval(const nlohmann::json& j) {
  if (!j.is_object() || !j.contains("ci95") || !j["ci95"].is_array() || j["ci95"].size() != 2) return std::nullopt;
  const auto& c = j["ci95"];
  if (!c[0].is_number() || !c[1].is_number()) return std::nullopt;
  return Interval{c[0].get<double>(), c[1].get<double>()};
}

std::string g3(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g", v);
  return buf;
}

std::string opt_human(const std::optional<double>& v, std::string_view unit, bool available = true) {
  if (!available) return "n/a";
  return v ? human_value(*v, unit) : "-";
}

std::string interval_human(const std::optional<Interval>& i, std::string_view unit) {
  if (!i) return "-";
  return "[" + human_value(i->lo, unit) + ", " + human_value(i->hi, unit) + "]";
}

// Greedy word wrap; words longer than the width are cut.
std::vector<std::string> wrap(const std::string& text, std::size_t width, const std::string& indent = "") {
  std::vector<std::string> lines;
  std::size_t pos = std::min(text.find_first_not_of(' '), text.size());
  std::string line = text.substr(0, pos);  // the first line keeps its leading spaces
  while (pos < text.size()) {
    std::size_t sp = text.find(' ', pos);
    std::string word = text.substr(pos, sp == std::string::npos ? std::string::npos : sp - pos);
    pos = sp == std::string::npos ? text.size() : sp + 1;
    if (word.empty()) continue;
    const bool fresh = line.find_first_not_of(' ') == std::string::npos;  // nothing but indentation yet
    if (!fresh && line.size() + 1 + word.size() > width) {
      lines.push_back(line);
      line = indent;
    }
    line += (line.find_first_not_of(' ') == std::string::npos ? "" : " ") + word;
    while (line.size() > width) {
      lines.push_back(line.substr(0, width));
      line = indent + line.substr(width);
    }
  }
  if (!line.empty()) lines.push_back(line);
  return lines;
}

std::string fit(const std::string& s, std::size_t width) {
  if (s.size() <= width) return s;
  if (width == 0) return "";
  return s.substr(0, width - 1) + "~";
}

std::string pad(const std::string& s, std::size_t width, bool right) {
  if (s.size() >= width) return s;
  return right ? std::string(width - s.size(), ' ') + s : s + std::string(width - s.size(), ' ');
}

std::vector<std::string> notes(const CompareTable& t) {
  std::vector<std::string> n;
  n.push_back("delta = " + t.b_name + " - " + t.a_name + ", paired by seed over " + std::to_string(t.seeds) +
              " seed(s); 95% interval of the mean over seeds, made by the method in parentheses: (t) Student t, "
              "(bootstrap) percentile bootstrap, used for percentiles and maxima only from " +
              std::to_string(kMinBootstrapValues) + " seeds (fewer: t); * = the interval excludes zero.");
  for (const auto& [name, why] : t.unavailable) n.push_back(name + " unavailable: " + why);
  return n;
}

std::string csv_number(const std::optional<double>& v) { return v ? format_number(*v) : ""; }

std::vector<std::string> csv_split(std::string_view line, std::size_t line_no) {
  std::vector<std::string> out;
  std::string cur;
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"')
        cur += '"', ++i;
      else if (c == '"')
        quoted = false;
      else
        cur += c;
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      out.push_back(std::move(cur));
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (quoted)
    throw std::invalid_argument(std::to_string(line_no) + ":" + std::to_string(line.size()) +
                                ": found an unterminated quote, expected a closing \"");
  out.push_back(std::move(cur));
  return out;
}

}  // namespace

std::string human_value(double v, std::string_view unit) {
  if (std::isnan(v)) return "-";
  const double a = std::fabs(v);
  if (unit == "ns") {
    if (a < 1e3) return g3(v) + " ns";
    if (a < 1e6) return g3(v / 1e3) + " us";
    if (a < 1e9) return g3(v / 1e6) + " ms";
    return g3(v / 1e9) + " s";
  }
  if (unit == "bytes") {
    static const char* kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
    double x = v;
    int i = 0;
    while (std::fabs(x) >= 1024 && i < 5) x /= 1024, ++i;
    return g3(x) + " " + kUnits[i];
  }
  if (unit == "ratio" || unit == "index" || unit == "order") return g3(v);
  // Counts (pages, calls, frames, requests): whole numbers below a million, then k/M/G.
  if (a < 1e6) {
    char buf[32];
    std::snprintf(buf, sizeof buf, a >= 1000 || v == std::trunc(v) ? "%.0f" : "%.4g", v);
    return buf;
  }
  if (a < 1e9) return g3(v / 1e6) + "M";
  return g3(v / 1e9) + "G";
}

CompareTable compare_table(const nlohmann::json& compare) {
  CompareTable t;
  t.a_name = kBallooned;
  t.b_name = kUnpopulated;
  if (compare.contains("seeds") && compare["seeds"].is_array()) t.seeds = compare["seeds"].size();
  if (compare.contains("unavailable") && compare["unavailable"].is_object())
    for (auto it = compare["unavailable"].begin(); it != compare["unavailable"].end(); ++it)
      t.unavailable[it.key()] = it->is_string() ? it->get<std::string>() : it->dump();
  static const nlohmann::json kEmpty = nlohmann::json::object();
  auto metric_of = [&](const std::string& strategy, const std::string& metric) -> const nlohmann::json& {
    nlohmann::json::json_pointer p("/strategies/" + strategy + "/metrics/" + metric);
    return compare.contains(p) ? compare.at(p) : kEmpty;
  };
  for (const auto& m : compare_metrics()) {
    const auto& a = metric_of(t.a_name, m.name);
    const auto& b = metric_of(t.b_name, m.name);
    if (a.empty() && b.empty()) continue;
    CompareRow r;
    r.metric = m.name;
    r.unit = m.unit;
    r.a_mean = opt_number(a, "mean");
    r.b_mean = opt_number(b, "mean");
    r.a_ci = opt_interval(a);
    r.b_ci = opt_interval(b);
    nlohmann::json::json_pointer dp("/deltas/" + m.name);
    if (compare.contains(dp)) {
      const auto& d = compare.at(dp);
      r.delta_mean = opt_number(d, "mean");
      r.delta_ci = opt_interval(d);
      r.significant = r.delta_ci && r.delta_ci->excludes_zero();
      if (r.delta_ci && d.contains("interval") && d["interval"].is_string()) r.delta_method = d["interval"].get<std::string>();
    }
    t.rows.push_back(std::move(r));
  }
  return t;
}

namespace {

// The delta's interval and, after it, the method that made it.
std::string interval_with_method(const CompareRow& r) {
  std::string s = interval_human(r.delta_ci, r.unit);
  if (r.delta_ci && !r.delta_method.empty()) s += " (" + r.delta_method + ")";
  return s;
}

}  // namespace

std::string format_compare_text(const CompareTable& t, std::size_t width) {
  const bool a_ok = !t.unavailable.count(t.a_name), b_ok = !t.unavailable.count(t.b_name);
  std::vector<std::array<std::string, 5>> cells;  // a, b, delta, interval, mark
  for (const auto& r : t.rows)
    cells.push_back({opt_human(r.a_mean, r.unit, a_ok), opt_human(r.b_mean, r.unit, b_ok),
                     opt_human(r.delta_mean, r.unit), interval_with_method(r), r.significant ? "*" : ""});
  const std::array<std::string, 5> head = {t.a_name, t.b_name, "delta", "95% interval of delta", ""};
  std::array<std::size_t, 5> w{};
  for (std::size_t c = 0; c < 5; ++c) {
    w[c] = head[c].size();
    for (const auto& row : cells) w[c] = std::max(w[c], row[c].size());
  }
  std::size_t metric_w = std::string("metric").size();
  for (const auto& r : t.rows) metric_w = std::max(metric_w, r.metric.size());
  std::size_t rest = 0;
  for (std::size_t c = 0; c < 5; ++c) rest += 2 + w[c];
  constexpr std::size_t kMinMetric = 10;
  std::string out;
  if (rest + kMinMetric <= width) {
    metric_w = std::min(metric_w, width - rest);
    auto line = [&](const std::string& m, const std::array<std::string, 5>& v) {
      std::string s = pad(fit(m, metric_w), metric_w, false);
      for (std::size_t c = 0; c < 4; ++c) s += "  " + pad(v[c], w[c], c != 3);
      s += "  " + v[4];
      while (!s.empty() && s.back() == ' ') s.pop_back();
      out += s + "\n";
    };
    line("metric", head);
    out += std::string(std::min(width, metric_w + rest), '-') + "\n";
    for (std::size_t i = 0; i < t.rows.size(); ++i) line(t.rows[i].metric, cells[i]);
  } else {
    // Too narrow for columns: one block per metric, every line cut to the width.
    for (std::size_t i = 0; i < t.rows.size(); ++i) {
      out += fit(t.rows[i].metric, width) + "\n";
      const std::array<std::string, 3> labels = {t.a_name, t.b_name, "delta"};
      for (std::size_t c = 0; c < 3; ++c) {
        std::string v = cells[i][c];
        if (c == 2) v += " " + cells[i][3] + (t.rows[i].significant ? " *" : "");
        for (const auto& l : wrap("  " + labels[c] + ": " + v, width, "    ")) out += l + "\n";
      }
    }
  }
  for (const auto& n : notes(t))
    for (const auto& l : wrap(n, width, "  ")) out += l + "\n";
  return out;
}

std::string format_compare_markdown(const CompareTable& t) {
  const bool a_ok = !t.unavailable.count(t.a_name), b_ok = !t.unavailable.count(t.b_name);
  auto with_ci = [](const std::optional<double>& m, const std::optional<Interval>& ci, const std::string& unit,
                    bool ok) {
    std::string s = opt_human(m, unit, ok);
    if (ok && m && ci) s += " " + interval_human(ci, unit);
    return s;
  };
  std::string out = "| metric | " + t.a_name + " | " + t.b_name + " | delta | 95% interval of delta | |\n";
  out += "|---|---:|---:|---:|---|:-:|\n";
  for (const auto& r : t.rows)
    out += "| " + r.metric + " | " + with_ci(r.a_mean, r.a_ci, r.unit, a_ok) + " | " +
           with_ci(r.b_mean, r.b_ci, r.unit, b_ok) + " | " + opt_human(r.delta_mean, r.unit) + " | " +
           interval_with_method(r) + " | " + (r.significant ? "*" : "") + " |\n";
  out += "\n";
  for (const auto& n : notes(t)) out += "- " + n + "\n";
  return out;
}

std::string format_compare_csv(const CompareTable& t) {
  const std::string a = csv_field(t.a_name), b = csv_field(t.b_name);
  std::string out = "metric,unit," + a + "_mean," + a + "_ci_lo," + a + "_ci_hi," + b + "_mean," + b + "_ci_lo," + b +
                    "_ci_hi,delta_mean,delta_ci_lo,delta_ci_hi,significant,delta_ci_method\n";
  auto ci = [](const std::optional<Interval>& i) {
    return i ? format_number(i->lo) + "," + format_number(i->hi) : std::string(",");
  };
  for (const auto& r : t.rows)
    out += csv_field(r.metric) + "," + csv_field(r.unit) + "," + csv_number(r.a_mean) + "," + ci(r.a_ci) + "," +
           csv_number(r.b_mean) + "," + ci(r.b_ci) + "," + csv_number(r.delta_mean) + "," + ci(r.delta_ci) + "," +
           (r.significant ? "true" : "false") + "," + csv_field(r.delta_method) + "\n";
  return out;
}

CompareTable parse_compare_csv(std::string_view csv) {
  CompareTable t;
  std::size_t line_no = 0;
  bool header = true;
  while (!csv.empty()) {
    std::size_t nl = csv.find('\n');
    std::string_view line = csv.substr(0, nl);
    csv = nl == std::string_view::npos ? std::string_view{} : csv.substr(nl + 1);
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    auto f = csv_split(line, line_no);
    auto where = [&](std::size_t col) { return std::to_string(line_no) + ":field " + std::to_string(col + 1) + ": "; };
    if (f.size() != 13)
      throw std::invalid_argument(where(0) + "found " + std::to_string(f.size()) + " fields, expected 13");
    if (header) {
      auto strip = [&](std::size_t i, const std::string& suffix) {
        if (f[i].size() <= suffix.size() || f[i].compare(f[i].size() - suffix.size(), suffix.size(), suffix) != 0)
          throw std::invalid_argument(where(i) + "found '" + f[i] + "', expected NAME" + suffix);
        return f[i].substr(0, f[i].size() - suffix.size());
      };
      if (f[0] != "metric" || f[1] != "unit")
        throw std::invalid_argument(where(0) + "expected the header metric,unit,...");
      t.a_name = strip(2, "_mean");
      t.b_name = strip(5, "_mean");
      header = false;
      continue;
    }
    auto num = [&](std::size_t i) -> std::optional<double> {
      if (f[i].empty()) return std::nullopt;
      auto v = parse_number(f[i]);
      if (!v) throw std::invalid_argument(where(i) + "found '" + f[i] + "', expected a number or nothing");
      return v;
    };
    auto interval = [&](std::size_t i) -> std::optional<Interval> {
      auto lo = num(i), hi = num(i + 1);
      if (lo.has_value() != hi.has_value())
        throw std::invalid_argument(where(i) + "found half an interval, expected both bounds or neither");
      return lo ? std::optional<Interval>(Interval{*lo, *hi}) : std::nullopt;
    };
    CompareRow r;
    r.metric = f[0];
    r.unit = f[1];
    r.a_mean = num(2);
    r.a_ci = interval(3);
    r.b_mean = num(5);
    r.b_ci = interval(6);
    r.delta_mean = num(8);
    r.delta_ci = interval(9);
    if (f[11] != "true" && f[11] != "false")
      throw std::invalid_argument(where(11) + "found '" + f[11] + "', expected true or false");
    r.significant = f[11] == "true";
    if (!f[12].empty() && f[12] != "t" && f[12] != "bootstrap")
      throw std::invalid_argument(where(12) + "found '" + f[12] + "', expected t, bootstrap or nothing");
    r.delta_method = f[12];
    t.rows.push_back(std::move(r));
  }
  if (header) throw std::invalid_argument("1:field 1: found an empty file, expected a header line");
  return t;
}

CompareFormat parse_compare_format(std::string_view s) {
  if (s == "text") return CompareFormat::text;
  if (s == "md") return CompareFormat::md;
  if (s == "csv") return CompareFormat::csv;
  if (s == "json") return CompareFormat::json;
  throw InputError("--format: found '" + std::string(s) + "', expected text, md, csv or json");
}

std::string format_compare(const nlohmann::json& compare, CompareFormat f, std::size_t width) {
  switch (f) {
    case CompareFormat::json:
      return compare.dump(2) + "\n";
    case CompareFormat::md:
      return format_compare_markdown(compare_table(compare));
    case CompareFormat::csv:
      return format_compare_csv(compare_table(compare));
    case CompareFormat::text:
      break;
  }
  return format_compare_text(compare_table(compare), width);
}

}  // namespace gm
