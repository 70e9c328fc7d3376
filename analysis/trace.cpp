// Chrome trace-event format (docs: "Trace Event Format", Google) written by hand for speed and exact ts.
#include "analysis/trace.h"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <tuple>

#include "analysis/atomic_write.h"
#include "analysis/time_series.h"

namespace gm {

std::string trace_timestamp(std::int64_t ns) {
  const bool neg = ns < 0;
  const std::uint64_t a = neg ? 0 - static_cast<std::uint64_t>(ns) : static_cast<std::uint64_t>(ns);
  std::string frac = std::to_string(a % 1000);
  frac.insert(0, 3 - frac.size(), '0');
  return (neg ? "-" : "") + std::to_string(a / 1000) + "." + frac;
}

std::uint32_t TraceWriter::intern(std::string_view s) {
  auto it = string_ids_.find(s);
  if (it != string_ids_.end()) return it->second;
  strings_.emplace_back(s);
  auto id = static_cast<std::uint32_t>(strings_.size() - 1);
  string_ids_.emplace(std::string(s), id);
  return id;
}

std::uint32_t TraceWriter::process_id(std::string_view process) {
  for (std::size_t i = 0; i < processes_.size(); ++i)
    if (processes_[i] == process) return static_cast<std::uint32_t>(i + 1);
  processes_.emplace_back(process);
  return static_cast<std::uint32_t>(processes_.size());
}

TraceWriter::Track TraceWriter::track(std::string_view process, std::string_view thread) {
  std::uint32_t pid = process_id(process);
  auto key = std::make_pair(pid, std::string(thread));
  auto it = thread_ids_.find(key);
  if (it != thread_ids_.end()) return {pid, it->second};
  threads_.emplace_back(pid, std::string(thread));
  auto tid = static_cast<std::uint32_t>(threads_.size());
  thread_ids_.emplace(std::move(key), tid);
  return {pid, tid};
}

void TraceWriter::span(Track t, std::string_view name, std::string_view cat, SimTime start, SimTime duration,
                       const std::vector<std::pair<std::string, std::string>>& args) {
  std::string a;
  if (!args.empty()) {
    nlohmann::json j = nlohmann::json::object();
    for (const auto& [k, v] : args) j[k] = v;
    a = j.dump();
  }
  events_.push_back(
      {t.pid, t.tid, 'X', start.ns, std::max<std::int64_t>(duration.ns, 0), intern(name), intern(cat), std::move(a)});
}

void TraceWriter::instant(Track t, std::string_view name, std::string_view cat, SimTime at) {
  events_.push_back({t.pid, t.tid, 'i', at.ns, 0, intern(name), intern(cat), {}});
}

void TraceWriter::counter(std::string_view process, std::string_view name, SimTime at,
                          const std::vector<std::pair<std::string, double>>& values) {
  std::string a = "{";
  for (const auto& [key, value] : values) {
    if (!std::isfinite(value)) continue;  // JSON has no NaN: a missing sample is left out
    a += (a.size() > 1 ? "," : "") + nlohmann::json(key).dump() + ":" + format_number(value);
  }
  a += "}";
  events_.push_back({process_id(process), 0, 'C', at.ns, 0, intern(name), intern("memory"), std::move(a)});
}

std::string TraceWriter::to_json() const {
  std::string out = "{\"traceEvents\":[\n";
  bool first = true;
  auto sep = [&] {
    if (!first) out += ",\n";
    first = false;
  };
  auto str = [](const std::string& s) { return nlohmann::json(s).dump(); };
  for (std::size_t p = 0; p < processes_.size(); ++p) {
    sep();
    out += "{\"name\":\"process_name\",\"ph\":\"M\",\"pid\":" + std::to_string(p + 1) +
           ",\"tid\":0,\"args\":{\"name\":" + str(processes_[p]) + "}}";
  }
  for (std::size_t t = 0; t < threads_.size(); ++t) {
    sep();
    out += "{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":" + std::to_string(threads_[t].first) +
           ",\"tid\":" + std::to_string(t + 1) + ",\"args\":{\"name\":" + str(threads_[t].second) + "}}";
  }
  std::vector<std::size_t> order(events_.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const Event &x = events_[a], &y = events_[b];
    return std::tie(x.pid, x.tid, x.ts_ns) < std::tie(y.pid, y.tid, y.ts_ns);
  });
  std::vector<std::string> quoted;  // each interned string escaped once, not once per event
  quoted.reserve(strings_.size());
  for (const auto& sv : strings_) quoted.push_back(str(sv));
  out.reserve(out.size() + events_.size() * 110);
  for (std::size_t i : order) {
    const Event& e = events_[i];
    sep();
    // Appends, not operator+ chains: this loop writes millions of events.
    out.append("{\"name\":").append(quoted[e.name]).append(",\"cat\":").append(quoted[e.cat]);
    out.append(",\"ph\":\"").push_back(e.ph);
    out.append("\",\"pid\":").append(std::to_string(e.pid)).append(",\"tid\":").append(std::to_string(e.tid));
    out.append(",\"ts\":").append(trace_timestamp(e.ts_ns));
    if (e.ph == 'X') out.append(",\"dur\":").append(trace_timestamp(e.dur_ns));
    if (e.ph == 'i') out += ",\"s\":\"t\"";
    if (!e.args.empty()) out += ",\"args\":" + e.args;
    out += "}";
  }
  out += "\n],\"displayTimeUnit\":\"ns\",\"otherData\":{\"generator\":\"guestmem\"}}\n";
  return out;
}

void TraceWriter::write(const std::filesystem::path& path) const { write_file_atomically(path, to_json()); }

}  // namespace gm
