// Columnar time series: storage, JSON and CSV in both directions.
#include "analysis/time_series.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace gm {

std::string format_number(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  if (v == std::trunc(v) && std::fabs(v) < 9007199254740992.0) return std::to_string(static_cast<std::int64_t>(v));
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, v);  // shortest round-trip representation
  return std::string(buf, r.ptr);
}

std::optional<double> parse_number(std::string_view s) {
  if (s.empty()) return std::nullopt;
  if (s.front() == '+') s.remove_prefix(1);
  double v = 0;
  auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (r.ec != std::errc() || r.ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

nlohmann::json json_number(double v) {
  if (!std::isfinite(v)) return nullptr;
  if (v == std::trunc(v) && std::fabs(v) < 9007199254740992.0) return static_cast<std::int64_t>(v);
  return v;
}

namespace {

bool is_identifier(std::string_view s) {
  if (s.empty() || (std::isdigit(static_cast<unsigned char>(s[0])) != 0)) return false;
  for (char c : s)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
  return true;
}

bool same_value(double a, double b) { return (std::isnan(a) && std::isnan(b)) || a == b; }

constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();

}  // namespace

TimeSeries::MetricId TimeSeries::add_metric(std::string name, std::string unit, std::string description) {
  if (!is_identifier(name) || name == "t_ns" || name == "metrics")
    throw std::logic_error("TimeSeries: bad metric name '" + name + "'");
  if (find(name)) throw std::logic_error("TimeSeries: metric '" + name + "' declared twice");
  if (!t_ns_.empty()) throw std::logic_error("TimeSeries: metric '" + name + "' declared after the first row");
  metrics_.push_back({std::move(name), std::move(unit), std::move(description)});
  columns_.emplace_back();
  return metrics_.size() - 1;
}

std::optional<TimeSeries::MetricId> TimeSeries::find(std::string_view name) const {
  for (std::size_t i = 0; i < metrics_.size(); ++i)
    if (metrics_[i].name == name) return i;
  return std::nullopt;
}

void TimeSeries::add_row(SimTime t) {
  if (!t_ns_.empty() && t.ns < t_ns_.back()) throw std::logic_error("TimeSeries: row time goes backwards");
  t_ns_.push_back(t.ns);
  for (auto& c : columns_) c.push_back(kMissing);
}

void TimeSeries::add_row(SimTime t, const std::vector<double>& values) {
  if (values.size() != metrics_.size()) throw std::logic_error("TimeSeries: row has the wrong number of values");
  add_row(t);
  for (std::size_t i = 0; i < values.size(); ++i) columns_[i].back() = values[i];
}

void TimeSeries::set(MetricId id, double value) {
  if (t_ns_.empty()) throw std::logic_error("TimeSeries::set before add_row");
  columns_.at(id).back() = value;
}

nlohmann::json TimeSeries::to_json() const {
  nlohmann::json j = nlohmann::json::object();
  j["t_ns"] = t_ns_;
  nlohmann::json meta = nlohmann::json::object();
  for (std::size_t i = 0; i < metrics_.size(); ++i) {
    nlohmann::json col = nlohmann::json::array();
    for (double v : columns_[i]) col.push_back(json_number(v));
    j[metrics_[i].name] = std::move(col);
    meta[metrics_[i].name] = {{"unit", metrics_[i].unit}, {"description", metrics_[i].description}, {"column", i + 1}};
  }
  j["metrics"] = std::move(meta);
  return j;
}

TimeSeries TimeSeries::from_json(const nlohmann::json& j) {
  if (!j.is_object() || !j.contains("t_ns") || !j["t_ns"].is_array())
    throw std::invalid_argument("/t_ns: found none, expected an array of times in ns");
  TimeSeries ts;
  const nlohmann::json* meta = j.contains("metrics") && j["metrics"].is_object() ? &j["metrics"] : nullptr;
  // JSON objects are unordered (nlohmann sorts keys): "column" in the metadata keeps the declared order.
  std::vector<std::string> names;
  if (meta) {
    std::vector<std::pair<std::int64_t, std::string>> order;
    for (auto it = meta->begin(); it != meta->end(); ++it)
      order.emplace_back(it->is_object() ? it->value("column", std::int64_t{0}) : 0, it.key());
    std::stable_sort(order.begin(), order.end());
    for (auto& [col, n] : order) names.push_back(n);
  } else {
    for (auto it = j.begin(); it != j.end(); ++it)
      if (it.key() != "t_ns" && it->is_array()) names.push_back(it.key());
  }
  for (const auto& n : names) {
    std::string unit, desc;
    if (meta && (*meta)[n].is_object()) {
      unit = (*meta)[n].value("unit", "");
      desc = (*meta)[n].value("description", "");
    }
    ts.add_metric(n, unit, desc);
  }
  const auto& t = j["t_ns"];
  for (std::size_t r = 0; r < t.size(); ++r) {
    if (!t[r].is_number_integer())
      throw std::invalid_argument("/t_ns/" + std::to_string(r) + ": found " + t[r].dump() + ", expected an integer");
    ts.add_row(SimTime{t[r].get<std::int64_t>()});
  }
  for (std::size_t m = 0; m < names.size(); ++m) {
    const std::string path = "/" + names[m];
    if (!j.contains(names[m]) || !j[names[m]].is_array() || j[names[m]].size() != t.size())
      throw std::invalid_argument(path + ": expected an array of " + std::to_string(t.size()) + " values");
    const auto& col = j[names[m]];
    for (std::size_t r = 0; r < col.size(); ++r) {
      if (col[r].is_null()) continue;
      if (!col[r].is_number())
        throw std::invalid_argument(path + "/" + std::to_string(r) + ": found " + col[r].dump() +
                                    ", expected a number");
      ts.columns_[m][r] = col[r].get<double>();
    }
  }
  return ts;
}

std::string TimeSeries::to_csv() const {
  std::string out = "t_ns";
  for (const auto& m : metrics_) out += "," + m.name;
  out += "\n";
  for (std::size_t r = 0; r < t_ns_.size(); ++r) {
    out += std::to_string(t_ns_[r]);
    for (const auto& c : columns_) {
      out += ',';
      if (!std::isnan(c[r])) out += format_number(c[r]);
    }
    out += '\n';
  }
  return out;
}

TimeSeries TimeSeries::from_csv(std::string_view text) {
  TimeSeries ts;
  std::size_t line_no = 0;
  bool header = true;
  while (!text.empty()) {
    std::size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    std::vector<std::string_view> fields;
    std::vector<std::size_t> cols;
    for (std::size_t pos = 0;;) {
      std::size_t comma = line.find(',', pos);
      fields.push_back(line.substr(pos, comma == std::string_view::npos ? std::string_view::npos : comma - pos));
      cols.push_back(pos + 1);
      if (comma == std::string_view::npos) break;
      pos = comma + 1;
    }
    auto where = [&](std::size_t i) { return std::to_string(line_no) + ":" + std::to_string(cols[i]) + ": "; };
    if (header) {
      if (fields[0] != "t_ns")
        throw std::invalid_argument(where(0) + "found '" + std::string(fields[0]) + "', expected t_ns");
      for (std::size_t i = 1; i < fields.size(); ++i) {
        if (!is_identifier(fields[i]) || ts.find(fields[i]))
          throw std::invalid_argument(where(i) + "found '" + std::string(fields[i]) + "', expected a new metric name");
        ts.add_metric(std::string(fields[i]), "", "");
      }
      header = false;
      continue;
    }
    if (fields.size() != ts.metrics_.size() + 1)
      throw std::invalid_argument(std::to_string(line_no) + ":1: found " + std::to_string(fields.size()) +
                                  " fields, expected " + std::to_string(ts.metrics_.size() + 1));
    std::int64_t t = 0;
    auto r = std::from_chars(fields[0].data(), fields[0].data() + fields[0].size(), t);
    if (r.ec != std::errc() || r.ptr != fields[0].data() + fields[0].size())
      throw std::invalid_argument(where(0) + "found '" + std::string(fields[0]) + "', expected an integer time in ns");
    if (!ts.t_ns_.empty() && t < ts.t_ns_.back())
      throw std::invalid_argument(where(0) + "found " + std::to_string(t) + ", expected a time >= the previous row's");
    ts.add_row(SimTime{t});
    for (std::size_t i = 1; i < fields.size(); ++i) {
      if (fields[i].empty()) continue;
      auto v = parse_number(fields[i]);
      if (!v) throw std::invalid_argument(where(i) + "found '" + std::string(fields[i]) + "', expected a number");
      ts.columns_[i - 1].back() = *v;
    }
  }
  if (header) throw std::invalid_argument("1:1: found an empty file, expected a header line starting with t_ns");
  return ts;
}

bool TimeSeries::same_data(const TimeSeries& o) const {
  if (t_ns_ != o.t_ns_ || metrics_.size() != o.metrics_.size()) return false;
  for (std::size_t m = 0; m < metrics_.size(); ++m) {
    if (metrics_[m].name != o.metrics_[m].name) return false;
    for (std::size_t r = 0; r < t_ns_.size(); ++r)
      if (!same_value(columns_[m][r], o.columns_[m][r])) return false;
  }
  return true;
}

bool TimeSeries::operator==(const TimeSeries& o) const { return metrics_ == o.metrics_ && same_data(o); }

}  // namespace gm
