#include "sim/run/history.h"

#include <algorithm>
#include <sstream>
#include <stdexcept>

#include "analysis/csv.h"

namespace gm {
namespace {

// Mainline releases: the release containing each switch of driver_config.cpp (5.4 XSA-300, 5.9,
// 5.10, 5.11, 5.13, 5.15, 5.16, 5.17, 5.18, 6.9, 6.10, 6.15, 7.0), the Kconfig stage files (5.8, 5.9,
// 5.12, 5.15, 5.16, 5.17, 6.17) and the release before each, so a bisection sees both sides; 6.12 starts
// the 6.12.y stable line.
constexpr const char* kMainline[] = {"5.3",  "5.4",  "5.8",  "5.9",  "5.10", "5.11", "5.12", "5.13", "5.14",
                                     "5.15", "5.16", "5.17", "5.18", "6.1",  "6.8",  "6.9",  "6.10", "6.12",
                                     "6.14", "6.15", "6.16", "6.17", "6.19", "7.0"};
// Stable releases that took a switching change (driver_config.cpp has_change backports), and the
// stable release just before each.
constexpr const char* kStable[] = {"5.4.149",  "5.4.150",  "5.4.159",  "5.4.160", "5.10.37", "5.10.38",
                                   "5.10.69",  "5.10.70",  "5.10.79",  "5.10.80", "5.11.21", "5.11.22",
                                   "5.12.4",   "5.12.5",   "5.14.18",  "5.14.19", "5.15.2",  "5.15.3",
                                   // 6.12.y: the balloon accounting of 6.15 and 7.0 (Debian's 6.12.118-1 changelog)
                                   "6.12.23",  "6.12.24",  "6.12.74",  "6.12.75"};

}  // namespace

std::vector<KernelVersion> history_versions(const std::optional<KernelVersion>& from,
                                            const std::optional<KernelVersion>& to) {
  std::vector<KernelVersion> out;
  auto add = [&](const char* v) {
    KernelVersion k = KernelVersion::from(v);
    if ((from && k < *from) || (to && *to < k)) return;
    out.push_back(k);
  };
  for (const char* v : kMainline) add(v);
  for (const char* v : kStable) add(v);
  std::sort(out.begin(), out.end());
  return out;
}

HistoryRow history_row(const std::string& version, int exit_code, const nlohmann::json* report) {
  HistoryRow r{version, "ok", "", false};
  if (!report) {
    r.outcome = "error";
    r.detail = "guestmem run exited " + std::to_string(exit_code) + " without a report";
    return r;
  }
  const nlohmann::json& rep = *report;
  if (rep.contains("guest_crashes") && !rep["guest_crashes"].empty()) {
    r.outcome = "guest crash";
    r.detail = rep["guest_crashes"][0].value("what", "");
  } else if (rep.contains("simulation") && rep["simulation"].value("deadlock", false)) {
    r.outcome = "deadlock";
  } else if (rep.contains("invariants") && !rep["invariants"]["violations"].empty()) {
    r.outcome = "invariant";
    r.detail = rep["invariants"]["violations"][0].value("detail", "");
  }
  if (rep.contains("expect"))
    for (const auto& e : rep["expect"])
      if (!e.value("ok", false)) {
        if (r.outcome == "ok") r.outcome = "expect failed";
        if (r.detail.empty()) r.detail = e.value("detail", "");
        break;
      }
  if (r.outcome == "ok" && exit_code != 0) {
    r.outcome = "error";
    r.detail = "guestmem run exited " + std::to_string(exit_code);
  }
  r.good = r.outcome == "ok";
  return r;
}

namespace {

HistoryLine bisect(std::string name, const std::vector<const HistoryRow*>& rows) {
  HistoryLine l;
  l.name = std::move(name);
  std::optional<std::size_t> last_bad;
  for (std::size_t i = 0; i < rows.size(); ++i)
    if (!rows[i]->good) last_bad = i;
  if (last_bad) l.last_bad = rows[*last_bad]->version;
  const std::size_t first = last_bad ? *last_bad + 1 : 0;
  if (first < rows.size()) l.first_good = rows[first]->version;
  for (std::size_t i = 0; last_bad && i < *last_bad; ++i)
    if (rows[i]->good) l.monotone = false;
  return l;
}

}  // namespace

// Mainline releases form one line; a stable series x.y.z is its own line, starting at x.y (a fix
// backported to 5.10.70 makes 5.10.69 bad and 5.10.70 good while 5.11 may still be bad).
HistorySummary summarize_history(const std::vector<HistoryRow>& rows) {
  HistorySummary s;
  std::vector<const HistoryRow*> mainline;
  std::vector<std::pair<std::string, std::vector<const HistoryRow*>>> series;
  for (const auto& r : rows) {
    auto v = KernelVersion::parse(r.version);
    if (!v || v->patch() == 0) {
      mainline.push_back(&r);
      continue;
    }
    std::string name = std::to_string(v->major()) + "." + std::to_string(v->minor()) + ".y";
    auto it = std::find_if(series.begin(), series.end(), [&](const auto& p) { return p.first == name; });
    if (it == series.end()) {
      series.push_back({name, {}});
      it = series.end() - 1;
      // the series starts at its x.y release, when it is among the rows
      for (const auto& m : rows) {
        auto mv = KernelVersion::parse(m.version);
        if (mv && mv->patch() == 0 && mv->rc() == 0 && mv->major() == v->major() && mv->minor() == v->minor())
          it->second.push_back(&m);
      }
    }
    it->second.push_back(&r);
  }
  s.mainline = bisect("mainline", mainline);
  s.monotone = s.mainline.monotone;
  for (const auto& [name, line] : series) {
    s.stable.push_back(bisect(name, line));
    s.monotone = s.monotone && s.stable.back().monotone;
  }
  return s;
}

std::string format_history(const std::string& scenario, const std::vector<HistoryRow>& rows,
                           const HistorySummary& s, const std::string& format) {
  std::ostringstream o;
  auto opt = [](const std::optional<std::string>& v) { return v ? *v : std::string("none"); };
  std::vector<const HistoryLine*> lines{&s.mainline};
  for (const auto& l : s.stable) lines.push_back(&l);
  if (format == "json") {
    auto line_json = [](const HistoryLine& l) {
      return nlohmann::json{{"line", l.name},
                            {"monotone", l.monotone},
                            {"last_bad", l.last_bad ? nlohmann::json(*l.last_bad) : nlohmann::json(nullptr)},
                            {"first_good", l.first_good ? nlohmann::json(*l.first_good) : nlohmann::json(nullptr)}};
    };
    nlohmann::json j{{"scenario", scenario},
                     {"monotone", s.monotone},
                     {"last_bad", s.mainline.last_bad ? nlohmann::json(*s.mainline.last_bad) : nlohmann::json(nullptr)},
                     {"first_good", s.mainline.first_good ? nlohmann::json(*s.mainline.first_good) : nlohmann::json(nullptr)},
                     {"lines", nlohmann::json::array({line_json(s.mainline)})},
                     {"runs", nlohmann::json::array()}};
    for (const auto& l : s.stable) j["lines"].push_back(line_json(l));
    for (const auto& r : rows)
      j["runs"].push_back({{"kernel", r.version}, {"outcome", r.outcome}, {"detail", r.detail}, {"good", r.good}});
    o << j.dump(2) << "\n";
  } else if (format == "csv") {
    o << "kernel,outcome,detail\n";
    for (const auto& r : rows) o << r.version << "," << csv_field(r.outcome) << "," << csv_field(r.detail) << "\n";
  } else if (format == "md") {
    o << "| kernel | outcome | detail |\n|---|---|---|\n";
    for (const auto& r : rows) o << "| " << r.version << " | " << r.outcome << " | " << r.detail << " |\n";
    o << "\n| line | last bad | first good | monotone |\n|---|---|---|---|\n";
    for (const HistoryLine* l : lines)
      o << "| " << l->name << " | " << opt(l->last_bad) << " | " << opt(l->first_good) << " | "
        << (l->monotone ? "yes" : "no") << " |\n";
  } else if (format == "text") {
    std::size_t w = 6;
    for (const auto& r : rows) w = std::max(w, r.version.size());
    for (const auto& r : rows) {
      o << r.version << std::string(w - r.version.size() + 2, ' ') << r.outcome;
      if (!r.detail.empty()) o << ": " << r.detail;
      o << "\n";
    }
    for (const HistoryLine* l : lines) {
      o << l->name << ": last bad " << opt(l->last_bad) << ", first good " << opt(l->first_good);
      if (!l->monotone) o << " (not monotone: a good version comes before a bad one)";
      o << "\n";
    }
  } else {
    throw std::invalid_argument("--format: found \"" + format + "\", expected text, md, csv or json");
  }
  return o.str();
}

}  // namespace gm
