// Collects a sweep directory into sweep.csv / sweep.json / plots (see sweep_collect.h).
#include "analysis/sweep_collect.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

#include "analysis/atomic_write.h"
#include "analysis/compare.h"
#include "analysis/compare_metrics.h"
#include "analysis/compare_table.h"
#include "analysis/time_series.h"
#include "models/errors.h"

namespace gm {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

const CompareMetric& metric(const std::string& name) {
  for (const auto& m : compare_metrics())
    if (m.name == name) return m;
  throw std::logic_error("unknown compare metric " + name);
}

std::string last_line(const fs::path& p) {
  std::ifstream f(p);
  std::string line, last;
  while (std::getline(f, line))
    if (!line.empty()) last = line;
  return last;
}

bool any_expect_failed(const json& report) {
  if (!report.contains("expect") || !report["expect"].is_array()) return false;
  for (const auto& e : report["expect"])
    if (e.is_object() && e.contains("ok") && e["ok"] == false) return true;
  return false;
}

std::string value_text(const json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

std::string sweep_csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

std::string opt_num(const std::optional<double>& v) { return v ? format_number(*v) : ""; }

std::string axis_name(const std::string& pointer) {
  std::string s;
  for (char c : pointer.substr(1)) s += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return s;
}

std::string point_label(const SweepCollection& c, std::size_t point) {
  std::string s;
  for (std::size_t i = 0; i < c.plan.axes.size(); ++i)
    s += (s.empty() ? "" : ", ") + c.plan.axes[i].pointer + "=" + value_text(c.plan.points[point].values[i]);
  return s;
}

}  // namespace

const std::vector<std::string>& sweep_headline_metrics() {
  static const std::vector<std::string> list = {"latency_mean_ns", "latency_p99_ns",        "failures",
                                                "scratch_bytes",   "memmap_bytes",          "released_to_xen_pages",
                                                "decrease_calls",  "unusable_index_order9"};
  return list;
}

std::size_t SweepCollection::missing_or_failed() const {
  return static_cast<std::size_t>(
      std::count_if(gaps.begin(), gaps.end(), [](const SweepGap& g) { return g.status != "unavailable"; }));
}

SweepCollection collect_sweep(const fs::path& dir) {
  SweepCollection c;
  c.plan = read_sweep_plan(dir);
  std::map<std::pair<std::size_t, std::string>, std::vector<const SweepPlanRun*>> by_row;
  for (const auto& r : c.plan.runs) by_row[{r.point, r.strategy}].push_back(&r);
  for (std::size_t p = 0; p < c.plan.points.size(); ++p) {
    CompareInput in;
    std::map<std::string, SweepRow> rows;
    for (const auto& strategy : c.plan.strategies) {
      SweepRow row;
      row.point = p;
      row.strategy = strategy;
      for (const SweepPlanRun* r : by_row[{p, strategy}]) {
        ++row.planned;
        if (in.seeds.empty() || std::find(in.seeds.begin(), in.seeds.end(), r->seed) == in.seeds.end())
          in.seeds.push_back(r->seed);
        SweepGap gap{p, strategy, r->seed, r->dir, "", ""};
        std::error_code ec;
        if (!r->unavailable.empty()) {
          gap.status = "unavailable";
          gap.detail = r->unavailable;
        } else if (sweep_run_finished(dir, *r)) {
          CompareRun run = load_compare_run(dir / r->dir / "report.json", r->dir + "/report.json");
          ++row.finished;
          if (any_expect_failed(run.report)) ++row.expect_failed;
          in.runs[strategy].push_back(std::move(run));
          continue;
        } else if (fs::is_directory(dir / r->dir, ec)) {
          gap.status = "failed";
          std::string code = last_line(dir / r->dir / "exit_code");
          std::string err = last_line(dir / r->dir / "stderr.txt");
          gap.detail = "no report.json" + (code.empty() ? "" : ", exit " + code) + (err.empty() ? "" : ": " + err);
        } else {
          gap.status = "missing";
          gap.detail = "not run (or still running)";
        }
        c.gaps.push_back(gap);
      }
      rows[strategy] = row;
    }
    if (!in.seeds.empty()) in.bootstrap_seed = in.seeds.front();
    json doc = build_compare(in);
    for (const auto& strategy : c.plan.strategies) {
      SweepRow& row = rows[strategy];
      for (const auto& name : sweep_headline_metrics()) {
        SweepCell cell;
        const json* m = nullptr;
        if (doc["strategies"].contains(strategy) && doc["strategies"][strategy]["metrics"].contains(name))
          m = &doc["strategies"][strategy]["metrics"][name];
        if (m) {
          if ((*m)["mean"].is_number()) cell.mean = (*m)["mean"].get<double>();
          if ((*m)["ci95"].is_array()) {
            cell.ci95 = Interval{(*m)["ci95"][0].get<double>(), (*m)["ci95"][1].get<double>()};
            cell.interval = (*m)["interval"].get<std::string>();
          }
        }
        row.cells.push_back(cell);
      }
      c.rows.push_back(std::move(row));
    }
  }
  return c;
}

json sweep_collection_json(const SweepCollection& c) {
  json out;
  out["schema_version"] = 1;
  out["name"] = c.plan.name;
  out["axes"] = sweep_plan_json(c.plan)["axes"];
  out["metrics"] = json::object();
  for (const auto& name : sweep_headline_metrics())
    out["metrics"][name] = {{"unit", metric(name).unit}, {"description", metric(name).description}};
  out["rows"] = json::array();
  for (const auto& r : c.rows) {
    json row = {{"point", r.point},     {"strategy", r.strategy},          {"planned", r.planned},
                {"finished", r.finished}, {"expect_failed", r.expect_failed}};
    row["values"] = json::object();
    for (std::size_t i = 0; i < c.plan.axes.size(); ++i) row["values"][c.plan.axes[i].pointer] = c.plan.points[r.point].values[i];
    row["metrics"] = json::object();
    for (std::size_t k = 0; k < r.cells.size(); ++k) {
      const auto& cell = r.cells[k];
      if (!cell.mean) continue;
      row["metrics"][sweep_headline_metrics()[k]] = {
          {"mean", json_number(*cell.mean)},
          {"ci95", cell.ci95 ? json::array({json_number(cell.ci95->lo), json_number(cell.ci95->hi)}) : json(nullptr)},
          {"interval", cell.interval.empty() ? json(nullptr) : json(cell.interval)}};
    }
    out["rows"].push_back(row);
  }
  out["gaps"] = json::array();
  for (const auto& g : c.gaps)
    out["gaps"].push_back({{"point", g.point}, {"strategy", g.strategy}, {"seed", g.seed}, {"dir", g.dir},
                           {"status", g.status}, {"detail", g.detail}});
  return out;
}

std::string format_sweep_csv(const SweepCollection& c) {
  std::string s = "point";
  for (const auto& a : c.plan.axes) s += "," + sweep_csv_field(a.pointer);
  s += ",strategy,planned,finished,expect_failed";
  for (const auto& m : sweep_headline_metrics()) s += "," + m + "_mean," + m + "_ci_lo," + m + "_ci_hi";
  s += "\n";
  for (const auto& r : c.rows) {
    s += std::to_string(r.point);
    for (const auto& v : c.plan.points[r.point].values) s += "," + sweep_csv_field(value_text(v));
    s += "," + r.strategy + "," + std::to_string(r.planned) + "," + std::to_string(r.finished) + "," +
         std::to_string(r.expect_failed);
    for (const auto& cell : r.cells)
      s += "," + opt_num(cell.mean) + "," + opt_num(cell.ci95 ? std::optional(cell.ci95->lo) : std::nullopt) + "," +
           opt_num(cell.ci95 ? std::optional(cell.ci95->hi) : std::nullopt);
    s += "\n";
  }
  return s;
}

namespace {

// Rows of one metric as cells of text: point label, strategy, n, mean, interval.
std::vector<std::vector<std::string>> metric_cells(const SweepCollection& c, std::size_t k) {
  const std::string& unit = metric(sweep_headline_metrics()[k]).unit;
  std::vector<std::vector<std::string>> out;
  for (const auto& r : c.rows) {
    const auto& cell = r.cells[k];
    std::string ci = cell.ci95 ? "[" + human_value(cell.ci95->lo, unit) + ", " + human_value(cell.ci95->hi, unit) + "]" : "-";
    out.push_back({point_label(c, r.point), r.strategy, std::to_string(r.finished) + "/" + std::to_string(r.planned),
                   cell.mean ? human_value(*cell.mean, unit) : "-", ci});
  }
  return out;
}

std::string gaps_text(const SweepCollection& c, const std::string& bullet) {
  std::string s;
  if (c.gaps.empty()) return bullet + "every planned run finished\n";
  for (const auto& g : c.gaps)
    s += bullet + g.status + ": point " + std::to_string(g.point) + " (" + point_label(c, g.point) + ") " + g.strategy +
         " seed " + std::to_string(g.seed) + " " + g.dir + ": " + g.detail + "\n";
  return s;
}

}  // namespace

std::string format_sweep_text(const SweepCollection& c) {
  std::ostringstream s;
  s << "sweep " << c.plan.name << ": " << c.plan.points.size() << " points x " << c.plan.strategies.size()
    << " strategies; mean and 95 % interval over seeds (n = finished/planned runs)\n";
  const std::vector<std::string> head{"point", "strategy", "n", "mean", "95 % interval"};
  for (std::size_t k = 0; k < sweep_headline_metrics().size(); ++k) {
    const auto& m = metric(sweep_headline_metrics()[k]);
    auto cells = metric_cells(c, k);
    std::vector<std::size_t> w(head.size());
    for (std::size_t i = 0; i < head.size(); ++i) w[i] = head[i].size();
    for (const auto& row : cells)
      for (std::size_t i = 0; i < row.size(); ++i) w[i] = std::max(w[i], row[i].size());
    s << "\n" << m.name << " (" << m.unit << "): " << m.description << "\n";
    auto line = [&](const std::vector<std::string>& row) {
      std::string l;
      for (std::size_t i = 0; i < row.size(); ++i) l += (i ? "  " : "  ") + row[i] + std::string(w[i] - row[i].size(), ' ');
      while (!l.empty() && l.back() == ' ') l.pop_back();
      s << l << "\n";
    };
    line(head);
    for (const auto& row : cells) line(row);
  }
  s << "\nruns not in the table:\n" << gaps_text(c, "  ");
  return s.str();
}

std::string format_sweep_markdown(const SweepCollection& c) {
  std::ostringstream s;
  s << "## Sweep " << c.plan.name << "\n\nMean and 95 % interval over seeds; n = finished/planned runs.\n";
  for (std::size_t k = 0; k < sweep_headline_metrics().size(); ++k) {
    const auto& m = metric(sweep_headline_metrics()[k]);
    s << "\n### " << m.name << " (" << m.unit << ")\n\n" << m.description << "\n\n"
      << "| point | strategy | n | mean | 95 % interval |\n|---|---|---:|---:|---|\n";
    for (const auto& row : metric_cells(c, k)) {
      std::string l;
      for (const auto& cell : row) {
        std::string e;
        for (char ch : cell) e += ch == '|' ? std::string("\\|") : std::string(1, ch);
        l += "| " + e + " ";
      }
      s << l << "|\n";
    }
  }
  s << "\n### Runs not in the table\n\n" << gaps_text(c, "- ");
  return s.str();
}

PlotResult write_sweep_outputs(const fs::path& dir, const SweepCollection& c, const PlotOptions& o) {
  write_file_atomically(dir / "sweep.csv", format_sweep_csv(c));
  write_file_atomically(dir / "sweep.json", sweep_collection_json(c).dump(2) + "\n");
  PlotResult result;
  const fs::path plots = dir / "plots";
  for (std::size_t a = 0; a < c.plan.axes.size(); ++a) {
    const auto& axis = c.plan.axes[a];
    if (axis.zip_with) continue;  // follows its leading axis: same x positions
    bool numeric = !c.plan.points.empty();
    double lo = 0, hi = 0;
    for (const auto& p : c.plan.points) {
      numeric = numeric && p.numbers[a].has_value();
      if (numeric) lo = lo == 0 ? *p.numbers[a] : std::min(lo, *p.numbers[a]), hi = std::max(hi, *p.numbers[a]);
    }
    if (!numeric) continue;
    std::error_code ec;
    fs::create_directories(plots, ec);
    if (ec) throw EnvironmentError("cannot create " + plots.string() + ": " + ec.message());
    const bool logx = lo > 0 && hi / lo >= 64;
    for (std::size_t k = 0; k < sweep_headline_metrics().size(); ++k) {
      const auto& m = metric(sweep_headline_metrics()[k]);
      double scale = 1;
      std::string unit = m.unit;
      if (unit == "ns") scale = 1e3, unit = "us";
      if (unit == "bytes") scale = double(1 << 20), unit = "MiB";
      // One curve per strategy and per combination of the other leading axes' values.
      std::map<std::string, BandCurve> curves;
      std::vector<std::string> order;
      for (const auto& r : c.rows) {
        const auto& cell = r.cells[k];
        if (!cell.mean) continue;
        std::string name = r.strategy;
        for (std::size_t b = 0; b < c.plan.axes.size(); ++b)
          if (b != a && !c.plan.axes[b].zip_with)
            name += ", " + c.plan.axes[b].pointer + "=" + value_text(c.plan.points[r.point].values[b]);
        if (!curves.count(name)) order.push_back(name);
        BandCurve& cv = curves[name];
        cv.name = name;
        cv.x.push_back(*c.plan.points[r.point].numbers[a]);
        cv.mean.push_back(*cell.mean / scale);
        cv.lo.push_back((cell.ci95 ? cell.ci95->lo : *cell.mean) / scale);
        cv.hi.push_back((cell.ci95 ? cell.ci95->hi : *cell.mean) / scale);
        cv.xtic.push_back(value_text(c.plan.points[r.point].values[a]));
      }
      std::vector<BandCurve> list;
      for (const auto& n : order) {
        BandCurve cv = curves[n];
        // Sort by x so lines and bands run left to right.
        std::vector<std::size_t> idx(cv.x.size());
        for (std::size_t i = 0; i < idx.size(); ++i) idx[i] = i;
        std::stable_sort(idx.begin(), idx.end(), [&](auto i, auto j) { return cv.x[i] < cv.x[j]; });
        BandCurve sorted{cv.name, {}, {}, {}, {}, {}, ""};
        for (auto i : idx) {
          sorted.x.push_back(cv.x[i]);
          sorted.mean.push_back(cv.mean[i]);
          sorted.lo.push_back(cv.lo[i]);
          sorted.hi.push_back(cv.hi[i]);
          sorted.xtic.push_back(cv.xtic[i]);
        }
        list.push_back(std::move(sorted));
      }
      result.merge(plot_band_curves(plots, m.name + "-vs-" + axis_name(axis.pointer),
                                    c.plan.name + ": " + m.name + " (mean, 95 % band over seeds)",
                                    axis.pointer + (logx ? " (log scale)" : ""), m.name + " (" + unit + ")", list,
                                    logx, o));
    }
  }
  return result;
}

}  // namespace gm
