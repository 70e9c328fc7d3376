// Per-caller latency samples, nearest-rank percentiles, and the switch to a sketch past kExactLimit.
#include "analysis/latency.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "analysis/latency_sketch.h"
#include "analysis/time_series.h"

namespace gm {

__extension__ typedef unsigned __int128 Uint128;

std::uint64_t nearest_rank_index(std::uint64_t n, double p) {
  if (n == 0) throw std::invalid_argument("nearest_rank_index: no samples");
  if (!(p >= 0.0 && p <= 100.0)) throw std::invalid_argument("nearest_rank_index: p outside [0, 100]");
  // p in units of 1e-4 percent: rank = ceil(p/100 * n) computed exactly in integers.
  auto p_units = static_cast<std::uint64_t>(std::llround(p * 10000.0));
  Uint128 num = static_cast<Uint128>(p_units) * n;
  constexpr std::uint64_t kDen = 100 * 10000;
  auto rank = static_cast<std::uint64_t>((num + kDen - 1) / kDen);
  return std::clamp<std::uint64_t>(rank, 1, n);
}

std::int64_t nearest_rank(const std::vector<std::int64_t>& sorted, double p) {
  return sorted[nearest_rank_index(sorted.size(), p) - 1];
}

const std::vector<double>& LatencyRecorder::cdf_grid() {
  static const std::vector<double> grid = [] {
    std::vector<double> g;
    for (int i = 0; i <= 100; ++i) g.push_back(i);
    g.insert(g.end(), {99.5, 99.9, 99.99});
    std::sort(g.begin(), g.end());
    return g;
  }();
  return grid;
}

LatencyRecorder::LatencyRecorder(std::size_t exact_limit) : exact_limit_(exact_limit) {}
LatencyRecorder::~LatencyRecorder() = default;
LatencyRecorder::LatencyRecorder(LatencyRecorder&&) noexcept = default;
LatencyRecorder& LatencyRecorder::operator=(LatencyRecorder&&) noexcept = default;

LatencyRecorder::CallerId LatencyRecorder::caller(std::string_view name, std::string_view kind) {
  // Linear search: callers are few (tens) and registration happens once per actor.
  for (std::size_t i = 0; i < callers_.size(); ++i)
    if (callers_[i].name == name && callers_[i].kind == kind) return i;
  callers_.push_back(Caller{std::string(name), std::string(kind), {}, 0, 0, 0, 0});
  if (sketches_) sketches_->emplace_back();
  return callers_.size() - 1;
}

void LatencyRecorder::record(CallerId id, SimTime latency) {
  Caller& c = callers_.at(id);
  std::int64_t v = std::max<std::int64_t>(latency.ns, 0);
  ++c.count;
  ++total_;
  c.sum += static_cast<long double>(v);
  c.max = std::max(c.max, v);
  if (sketches_) {
    (*sketches_)[id].add(v);
    return;
  }
  c.samples.push_back(v);
  if (total_ > exact_limit_) switch_to_sketch();
}

void LatencyRecorder::record_failure(CallerId id) { ++callers_.at(id).failures; }

void LatencyRecorder::switch_to_sketch() {
  sketches_ = std::make_unique<std::vector<LatencySketch>>(callers_.size());
  for (std::size_t i = 0; i < callers_.size(); ++i) {
    for (std::int64_t v : callers_[i].samples) (*sketches_)[i].add(v);
    std::vector<std::int64_t>().swap(callers_[i].samples);
  }
}

namespace latency_detail {

// Percentile source over one caller or all callers merged, exact (sorted samples) or sketched.
struct Distribution {
  std::vector<std::int64_t> sorted;
  const LatencySketch* sketch = nullptr;
  LatencySketch merged;
  std::uint64_t n = 0;
  std::int64_t at(double p) const {
    std::uint64_t r = nearest_rank_index(n, p);
    return sketch ? sketch->value_at_rank(r) : sorted[r - 1];
  }
};

}  // namespace latency_detail

namespace {
using latency_detail::Distribution;

LatencySummary summarize(const Distribution& d, std::uint64_t count, std::uint64_t failures, long double sum,
                         std::int64_t max) {
  LatencySummary s;
  s.count = count;
  s.failures = failures;
  s.exact = d.sketch == nullptr;
  if (count == 0) return s;
  s.mean_ns = static_cast<double>(sum / static_cast<long double>(count));
  s.p50_ns = d.at(50);
  s.p90_ns = d.at(90);
  s.p99_ns = d.at(99);
  s.max_ns = max;  // exact in both modes
  return s;
}

template <typename T>
nlohmann::json opt(const std::optional<T>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

nlohmann::json summary_json(const LatencySummary& s) {
  return {{"count", s.count},        {"failures", s.failures},  {"mean_ns", opt(s.mean_ns)}, {"p50_ns", opt(s.p50_ns)},
          {"p90_ns", opt(s.p90_ns)}, {"p99_ns", opt(s.p99_ns)}, {"max_ns", opt(s.max_ns)}};
}

}  // namespace

LatencySummary LatencyRecorder::summary(CallerId id) const {
  const Caller& c = callers_.at(id);
  Distribution d;
  d.n = c.count;
  if (sketches_) {
    d.sketch = &(*sketches_)[id];
  } else {
    d.sorted = c.samples;
    std::sort(d.sorted.begin(), d.sorted.end());
  }
  return summarize(d, c.count, c.failures, c.sum, c.max);
}

// Every caller merged: the distribution and the exact totals.
struct LatencyRecorder::Merged {
  Distribution d;
  std::uint64_t failures = 0;
  long double sum = 0;
  std::int64_t max = 0;
};

void LatencyRecorder::fill_merged(Merged& m) const {
  Distribution& d = m.d;
  Merged& t = m;
  d.n = total_;
  for (const auto& c : callers_) {
    t.failures += c.failures;
    t.sum += c.sum;
    t.max = std::max(t.max, c.max);
  }
  if (sketches_) {
    for (const auto& s : *sketches_) d.merged.merge(s);
    d.sketch = &d.merged;
    return;
  }
  d.sorted.reserve(total_);
  for (const auto& c : callers_) d.sorted.insert(d.sorted.end(), c.samples.begin(), c.samples.end());
  std::sort(d.sorted.begin(), d.sorted.end());
}

LatencySummary LatencyRecorder::overall() const {
  Merged t;
  fill_merged(t);
  const Distribution& d = t.d;
  return summarize(d, total_, t.failures, t.sum, t.max);
}

std::optional<std::int64_t> LatencyRecorder::overall_percentile(double p) const {
  if (total_ == 0) return std::nullopt;
  Merged t;
  fill_merged(t);
  const Distribution& d = t.d;
  return d.at(p);
}

nlohmann::json LatencyRecorder::to_json() const {
  nlohmann::json callers = nlohmann::json::array();
  for (std::size_t i = 0; i < callers_.size(); ++i) {
    nlohmann::json c = {{"name", callers_[i].name}, {"kind", callers_[i].kind}};
    c.update(summary_json(summary(i)));
    callers.push_back(std::move(c));
  }
  // The overall distribution is built once and used for the summary and the CDF.
  Merged t;
  fill_merged(t);
  const Distribution& d = t.d;
  nlohmann::json overall = summary_json(summarize(d, total_, t.failures, t.sum, t.max));
  nlohmann::json percent = nlohmann::json::array(), value = nlohmann::json::array();
  if (total_ > 0) {
    for (double p : cdf_grid()) {
      percent.push_back(json_number(p));  // 50, not 50.0
      value.push_back(d.at(p));
    }
  }
  overall["cdf"] = {{"percent", percent}, {"value_ns", value}};
  return {{"callers", callers},
          {"overall", overall},
          {"method", exact() ? "nearest-rank" : "nearest-rank on a log-linear sketch, relative error <= 0.0039"}};
}

}  // namespace gm
