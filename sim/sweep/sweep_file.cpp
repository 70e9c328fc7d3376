// Reads a sweep file strictly and expands it into validated points and runs (docs/sweep-format.md).
#include "sim/sweep/sweep_file.h"

#include <guestmem/embedded.h>

#include <algorithm>
#include <set>

#include "analysis/compare.h"
#include "models/errors.h"
#include "sim/kconfig/kconfig_embedded.h"
#include "sim/scenario/did_you_mean.h"
#include "sim/scenario/scenario.h"
#include "sim/scenario/scenario_loader.h"
#include "sim/scenario/strict_json.h"
#include "sim/engine/units_text.h"

namespace gm {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

constexpr int kMaxSweepDepth = 64;
constexpr std::uint64_t kMaxSeeds = 1000;
// Scenario fields that name files relative to the scenario file (sim/scenario/scenario_params.cpp).
const std::vector<std::string> kPathFields = {"/guest/e820/file", "/guest/iomem", "/kconfig_file", "/costs/file"};

struct Axis {
  std::string pointer;
  json values;
  std::optional<std::size_t> zip_with;
};

struct Spec {
  std::string name;
  std::string base_text, base_name;
  fs::path base_dir;
  std::vector<Axis> axes;
  std::vector<std::string> strategies{kBallooned, kUnpopulated};
  std::optional<std::uint64_t> seed_count = 5;
  std::vector<std::uint64_t> seed_list;
};

std::string sweep_describe(const json& v) {
  std::string d = v.dump();
  if (d.size() > 60) d = d.substr(0, 57) + "...";
  return std::string(v.type_name()) + " " + d;
}

// Collects "FILE: /path: found X, expected Y" lines.
struct Errors {
  std::string file;
  std::vector<std::string> lines;
  void add(const std::string& path, const std::string& found, const std::string& expected) {
    lines.push_back(file + ": " + path + ": found " + found + ", expected " + expected);
  }
};

void check_keys(const json& obj, const std::string& path, const std::vector<std::string_view>& allowed, Errors& e) {
  for (const auto& [k, v] : obj.items()) {
    if (std::find(allowed.begin(), allowed.end(), k) != allowed.end()) continue;
    std::string list;
    for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
    std::string hint = closest_match(k, allowed);
    e.add(path + "/" + pointer_segment(k), "unknown key",
          "one of " + list + (hint.empty() ? "" : " (did you mean \"" + hint + "\"?)"));
  }
}

void read_base(const json& doc, const fs::path& sweep_file, Spec& s, Errors& e) {
  const fs::path dir = sweep_file.parent_path();
  if (!doc.contains("base")) {
    s.base_text = embedded::default_scenario;
    s.base_name = "<embedded scenarios/default.json>";
    s.base_dir = dir;
    return;
  }
  const json& b = doc["base"];
  if (b.is_object()) {
    s.base_text = b.dump();
    s.base_name = sweep_file.string() + " /base";
    s.base_dir = dir;
  } else if (b.is_string() && !b.get<std::string>().empty()) {
    fs::path p = dir / b.get<std::string>();
    std::vector<std::string> errs;
    auto text = read_input_file(p, p.string(), kMaxScenarioBytes, errs);
    for (auto& l : errs) e.add("/base", "a file that cannot be read (" + l + ")", "a scenario file relative to the sweep file");
    if (text) s.base_text = *text;
    s.base_name = p.string();
    s.base_dir = p.parent_path();
  } else {
    e.add("/base", sweep_describe(b), "a scenario file path (relative to the sweep file) or a scenario object");
  }
}

void read_axes(const json& doc, Spec& s, Errors& e) {
  if (!doc.contains("axes")) return e.add("/axes", "nothing", "an array of axes (the key is required)");
  const json& axes = doc["axes"];
  if (!axes.is_array() || axes.empty())
    return e.add("/axes", sweep_describe(axes), "a non-empty array of {\"pointer\", \"values\"[, \"zip_with\"]}");
  std::set<std::string> seen;
  for (std::size_t i = 0; i < axes.size(); ++i) {
    const std::string at = "/axes/" + std::to_string(i);
    const json& a = axes[i];
    if (!a.is_object()) {
      e.add(at, sweep_describe(a), "an object {\"pointer\", \"values\"[, \"zip_with\"]}");
      continue;
    }
    check_keys(a, at, {"pointer", "values", "zip_with"}, e);
    Axis ax;
    if (!a.contains("pointer") || !a["pointer"].is_string() || a["pointer"].get<std::string>().rfind('/', 0) != 0) {
      e.add(at + "/pointer", a.contains("pointer") ? sweep_describe(a["pointer"]) : "nothing",
            "a JSON pointer into the scenario (RFC 6901), e.g. \"/guest/memory\"");
    } else {
      ax.pointer = a["pointer"];
      try {
        json::json_pointer p(ax.pointer);
      } catch (const json::exception&) {
        e.add(at + "/pointer", sweep_describe(a["pointer"]), "a valid JSON pointer (\"~\" only as ~0 or ~1)");
      }
      if (!seen.insert(ax.pointer).second) e.add(at + "/pointer", sweep_describe(a["pointer"]), "a pointer no other axis sets");
    }
    if (!a.contains("values") || !a["values"].is_array() || a["values"].empty())
      e.add(at + "/values", a.contains("values") ? sweep_describe(a["values"]) : "nothing",
            "a non-empty array of the values to set at the pointer");
    else
      ax.values = a["values"];
    if (a.contains("zip_with")) {
      const json& z = a["zip_with"];
      std::optional<std::size_t> idx;
      for (std::size_t k = 0; k < i && z.is_string(); ++k)
        if (s.axes[k].pointer == z.get<std::string>()) idx = k;
      if (!idx) {
        e.add(at + "/zip_with", sweep_describe(z), "the pointer of an earlier axis (this axis then varies together with it)");
      } else {
        while (s.axes[*idx].zip_with) idx = s.axes[*idx].zip_with;  // zip with the group's leading axis
        ax.zip_with = idx;
        if (ax.values.size() != s.axes[*idx].values.size() && ax.values.is_array())
          e.add(at + "/values", std::to_string(ax.values.size()) + " values",
                std::to_string(s.axes[*idx].values.size()) + " values, as many as the axis it is zipped with");
      }
    }
    s.axes.push_back(std::move(ax));
  }
}

void read_strategies_and_seeds(const json& doc, Spec& s, Errors& e) {
  if (doc.contains("strategies")) {
    const json& st = doc["strategies"];
    s.strategies.clear();
    bool ok = st.is_array() && !st.empty();
    for (std::size_t i = 0; ok && i < st.size(); ++i) {
      std::string v = st[i].is_string() ? st[i].get<std::string>() : "";
      if (v != "auto" && v != kBallooned && v != kUnpopulated)
        e.add("/strategies/" + std::to_string(i), sweep_describe(st[i]), "\"auto\", \"ballooned\" or \"unpopulated\"");
      else if (std::find(s.strategies.begin(), s.strategies.end(), v) != s.strategies.end())
        e.add("/strategies/" + std::to_string(i), sweep_describe(st[i]), "a strategy not listed before");
      else
        s.strategies.push_back(v);
    }
    if (!ok) e.add("/strategies", sweep_describe(st), "a non-empty array of \"auto\" | \"ballooned\" | \"unpopulated\"");
  }
  if (doc.contains("seeds")) {
    const json& sd = doc["seeds"];
    if (sd.is_number_unsigned() && sd.get<std::uint64_t>() >= 1 && sd.get<std::uint64_t>() <= kMaxSeeds) {
      s.seed_count = sd.get<std::uint64_t>();
    } else if (sd.is_array() && !sd.empty() && sd.size() <= kMaxSeeds) {
      s.seed_count.reset();
      for (std::size_t i = 0; i < sd.size(); ++i) {
        if (!sd[i].is_number_unsigned())
          e.add("/seeds/" + std::to_string(i), sweep_describe(sd[i]), "a non-negative integer seed");
        else if (std::find(s.seed_list.begin(), s.seed_list.end(), sd[i].get<std::uint64_t>()) != s.seed_list.end())
          e.add("/seeds/" + std::to_string(i), sweep_describe(sd[i]), "a seed not listed before");
        else
          s.seed_list.push_back(sd[i].get<std::uint64_t>());
      }
    } else {
      e.add("/seeds", sweep_describe(sd),
            "a count N in [1, 1000] (seeds seed, seed+1, ... of each point's scenario) or an array of seeds");
    }
  }
}

// Sets `value` at `pointer` like JSON Patch "add": the parent must exist (an object gets the key, an array
// an element at index <= size). Returns "" or what is wrong.
std::string set_at(json& doc, const std::string& pointer, const json& value) {
  json::json_pointer p(pointer);
  if (doc.contains(p)) {
    doc[p] = value;
    return "";
  }
  json::json_pointer parent = p.parent_pointer();
  if (!doc.contains(parent) && !parent.empty()) return "its parent " + parent.to_string() + " is not in the base scenario";
  json& container = parent.empty() ? doc : doc[parent];
  if (container.is_object()) {
    container[p.back()] = value;
    return "";
  }
  if (container.is_array() && (p.back() == "-" || p.back() == std::to_string(container.size()))) {
    container.push_back(value);
    return "";
  }
  return "its parent " + parent.to_string() + " is a " + container.type_name() + " without that element";
}

// Relative file references of the base resolve against its folder; the point file lives in OUT/points/.
void rewrite_paths(json& doc, const fs::path& base_dir, const fs::path& points_dir) {
  for (const auto& f : kPathFields) {
    json::json_pointer p(f);
    if (!doc.contains(p) || !doc[p].is_string()) continue;
    fs::path v = doc[p].get<std::string>();
    if (v.is_absolute()) continue;
    fs::path abs = fs::absolute(base_dir / v).lexically_normal();
    doc[p] = abs.lexically_relative(fs::absolute(points_dir).lexically_normal()).generic_string();
  }
}

// The axis unit and numbers: sizes in bytes, durations in ns, JSON numbers as they are.
std::string axis_unit(const json& values) {
  for (auto [unit, parse] : {std::pair{"bytes", &parse_size}, std::pair{"ns", &parse_duration}}) {
    bool all = true;
    for (const auto& v : values) all = all && v.is_string() && parse(v.get<std::string>()).value.has_value();
    if (all) return unit;
  }
  return "";
}
std::optional<double> axis_number(const json& v, const std::string& unit) {
  if (unit == "bytes") return static_cast<double>(*parse_size(v.get<std::string>()).value);
  if (unit == "ns") return static_cast<double>(*parse_duration(v.get<std::string>()).value);
  if (v.is_number()) return v.get<double>();
  return std::nullopt;
}

// Index tuples of the grid: crossed over the leading axes, zipped axes follow their leader.
std::vector<std::vector<std::size_t>> grid(const std::vector<Axis>& axes) {
  std::vector<std::vector<std::size_t>> out{std::vector<std::size_t>(axes.size(), 0)};
  for (std::size_t i = 0; i < axes.size(); ++i) {
    if (axes[i].zip_with) continue;
    std::vector<std::vector<std::size_t>> next;
    for (const auto& t : out)
      for (std::size_t v = 0; v < axes[i].values.size(); ++v) {
        auto u = t;
        u[i] = v;
        for (std::size_t k = i + 1; k < axes.size(); ++k)
          if (axes[k].zip_with == i) u[k] = v;
        next.push_back(u);
      }
    out = std::move(next);
  }
  return out;
}

}  // namespace

SweepExpansion expand_sweep_file(const fs::path& sweep_file, const fs::path& out_dir) {
  Errors e{sweep_file.string(), {}};
  auto text = read_input_file(sweep_file, e.file, kMaxScenarioBytes, e.lines);
  if (!text) throw InputError(e.lines);
  auto doc = parse_strict_json(*text, e.file, kMaxSweepDepth, e.lines);
  if (!doc) throw InputError(e.lines);
  if (!doc->is_object()) {
    e.add("/", sweep_describe(*doc), "a JSON object (a sweep)");
    throw InputError(e.lines);
  }
  check_keys(*doc, "", {"$schema", "name", "description", "base", "axes", "strategies", "seeds"}, e);
  Spec s;
  s.name = sweep_file.stem().string();
  if (doc->contains("name")) {
    if ((*doc)["name"].is_string())
      s.name = (*doc)["name"];
    else
      e.add("/name", sweep_describe((*doc)["name"]), "a string");
  }
  if (doc->contains("description") && !(*doc)["description"].is_string())
    e.add("/description", sweep_describe((*doc)["description"]), "a string");
  read_base(*doc, sweep_file, s, e);
  read_axes(*doc, s, e);
  read_strategies_and_seeds(*doc, s, e);
  if (!e.lines.empty()) throw InputError(e.lines);

  json base;
  std::vector<std::string> base_errors;
  auto parsed = parse_strict_json(s.base_text, s.base_name, kMaxScenarioDepth, base_errors);
  if (!parsed) throw InputError(base_errors);
  if (!parsed->is_object()) throw InputError(s.base_name + ": /: found " + sweep_describe(*parsed) + ", expected a scenario object");
  base = std::move(*parsed);

  const auto tuples = grid(s.axes);
  const std::size_t seeds_per = s.seed_count ? *s.seed_count : s.seed_list.size();
  if (tuples.size() * s.strategies.size() * seeds_per > kMaxSweepRuns)
    throw InputError(e.file + ": found " + std::to_string(tuples.size()) + " points x " +
                     std::to_string(s.strategies.size()) + " strategies x " + std::to_string(seeds_per) +
                     " seeds, expected at most " + std::to_string(kMaxSweepRuns) + " runs");

  SweepExpansion out;
  SweepPlan& plan = out.plan;
  plan.name = s.name;
  plan.strategies = s.strategies;
  for (const auto& a : s.axes) plan.axes.push_back({a.pointer, a.zip_with, axis_unit(a.values)});
  const fs::path points_dir = out_dir / "points";
  std::set<std::string> point_ids;
  for (std::size_t n = 0; n < tuples.size(); ++n) {
    std::string label;
    json doc_n = base;
    SweepPlanPoint point;
    bool unsettable = false;
    for (std::size_t i = 0; i < s.axes.size(); ++i) {
      const json& v = s.axes[i].values[tuples[n][i]];
      label += (label.empty() ? "" : ", ") + s.axes[i].pointer + "=" + v.dump();
      point.values.push_back(v);
      point.numbers.push_back(axis_number(v, plan.axes[i].unit));
      std::string why = set_at(doc_n, s.axes[i].pointer, v);
      if (!why.empty()) {
        e.add("/axes/" + std::to_string(i) + "/pointer", "\"" + s.axes[i].pointer + "\", which cannot be set: " + why,
              "a pointer into the base scenario " + s.base_name);
        unsettable = true;
      }
    }
    if (unsettable) throw InputError(e.lines);  // the same for every point: report it once
    rewrite_paths(doc_n, s.base_dir, points_dir);
    const std::string display = e.file + " point " + std::to_string(n) + " (" + label + ")";
    std::string point_text = doc_n.dump(2) + "\n";
    ScenarioCheck check = check_scenario_text(point_text, display, points_dir);
    if (!check.errors.empty()) {
      e.lines.insert(e.lines.end(), check.errors.begin(), check.errors.end());
      continue;
    }
    const Scenario& sc = *check.scenario;
    const std::string resolved = check.normalized.dump();
    const std::string point_id = sweep_hash(resolved);
    point.scenario = "points/" + point_id + ".json";
    if (!point_ids.insert(point_id).second)
      e.add("/axes", display, "points that differ (two points resolve to the same scenario)");
    std::vector<std::uint64_t> seeds = s.seed_list;
    if (s.seed_count)
      for (std::uint64_t i = 0; i < *s.seed_count; ++i) seeds.push_back(sc.seed + i);
    for (const auto& strategy : s.strategies) {
      std::string unavailable;
      if (strategy != "auto") {
        auto alloc = strategy == kBallooned ? XenAllocator::ballooned : XenAllocator::unpopulated;
        StrategyKconfig k = resolve_kconfig_for_strategy(sc.arch, sc.kernel, sc.kconfig, alloc);
        for (const auto& l : k.why_not) unavailable += (unavailable.empty() ? "" : "; ") + l;
        if (!k.possible && unavailable.empty()) unavailable = "not possible with this kernel/arch/Kconfig";
        if (k.possible) unavailable.clear();
      }
      for (auto seed : seeds) {
        SweepPlanRun r;
        r.point = n;
        r.strategy = strategy;
        r.seed = seed;
        r.id = sweep_hash(resolved + "\n" + strategy + "\n" + std::to_string(seed));
        r.dir = "runs/" + r.id;
        r.unavailable = unavailable;
        plan.runs.push_back(r);
      }
    }
    plan.points.push_back(std::move(point));
    out.point_texts.push_back(std::move(point_text));
  }
  if (!e.lines.empty()) throw InputError(e.lines);
  return out;
}

}  // namespace gm
