// plan.json of a sweep: serialization, the run command line, and the "finished" rule.
#include "analysis/sweep_plan.h"

#include <cstdio>
#include <fstream>
#include <sstream>

#include "models/errors.h"

namespace gm {
namespace fs = std::filesystem;

std::string sweep_hash(const std::string& text) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : text) h = (h ^ c) * 0x100000001b3ULL;
  // SplitMix64's finalizer: inputs that differ only at the end (the seed) still differ in every digit.
  h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ULL;
  h = (h ^ (h >> 27)) * 0x94d049bb133111ebULL;
  h ^= h >> 31;
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

std::string sweep_run_command(const SweepPlan& plan, const SweepPlanRun& run, const std::string& program) {
  return program + " run " + plan.points.at(run.point).scenario + " --strategy " + run.strategy + " --seed " +
         std::to_string(run.seed) + " --out " + run.dir + " --quiet";
}

nlohmann::json sweep_plan_json(const SweepPlan& plan) {
  nlohmann::json j;
  j["schema_version"] = kSweepPlanSchemaVersion;
  j["name"] = plan.name;
  j["strategies"] = plan.strategies;
  j["axes"] = nlohmann::json::array();
  for (const auto& a : plan.axes) {
    nlohmann::json x = {{"pointer", a.pointer}, {"unit", a.unit}};
    x["zip_with"] = a.zip_with ? nlohmann::json(*a.zip_with) : nlohmann::json(nullptr);
    j["axes"].push_back(x);
  }
  j["points"] = nlohmann::json::array();
  for (const auto& p : plan.points) {
    nlohmann::json nums = nlohmann::json::array();
    for (const auto& n : p.numbers) nums.push_back(n ? nlohmann::json(*n) : nlohmann::json(nullptr));
    j["points"].push_back({{"values", p.values}, {"numbers", nums}, {"scenario", p.scenario}});
  }
  j["runs"] = nlohmann::json::array();
  for (const auto& r : plan.runs) {
    nlohmann::json x = {{"point", r.point}, {"strategy", r.strategy}, {"seed", r.seed}, {"id", r.id}, {"dir", r.dir}};
    if (!r.unavailable.empty()) x["unavailable"] = r.unavailable;
    j["runs"].push_back(x);
  }
  return j;
}

namespace {

// Reads j[key] as T or throws InputError naming the file and JSON path.
template <class T>
T field(const nlohmann::json& j, const std::string& key, const std::string& where, const std::string& file) {
  try {
    return j.at(key).get<T>();
  } catch (const nlohmann::json::exception&) {
    throw InputError(file + ": " + where + "/" + key + ": found " + (j.contains(key) ? j.at(key).dump() : "nothing") +
                     ", expected the value `guestmem sweep` writes (rerun it)");
  }
}

}  // namespace

SweepPlan read_sweep_plan(const fs::path& dir) {
  const fs::path path = dir / "plan.json";
  const std::string file = path.string();
  std::ifstream f(path, std::ios::binary);
  if (!f)
    throw InputError(file + ": found no readable file, expected the plan.json that `guestmem sweep` writes "
                            "(is DIR a sweep directory?)");
  std::stringstream ss;
  ss << f.rdbuf();
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(ss.str());
  } catch (const nlohmann::json::exception& e) {
    throw InputError(file + ": found invalid JSON (" + std::string(e.what()) + "), expected a sweep plan");
  }
  if (!j.is_object()) throw InputError(file + ": /: found " + j.type_name() + ", expected an object");
  if (field<int>(j, "schema_version", "", file) != kSweepPlanSchemaVersion)
    throw InputError(file + ": /schema_version: found " + j["schema_version"].dump() + ", expected " +
                     std::to_string(kSweepPlanSchemaVersion));
  SweepPlan plan;
  plan.name = field<std::string>(j, "name", "", file);
  plan.strategies = field<std::vector<std::string>>(j, "strategies", "", file);
  auto axes = field<nlohmann::json>(j, "axes", "", file);
  for (std::size_t i = 0; i < axes.size(); ++i) {
    std::string w = "/axes/" + std::to_string(i);
    SweepPlanAxis a;
    a.pointer = field<std::string>(axes[i], "pointer", w, file);
    a.unit = field<std::string>(axes[i], "unit", w, file);
    if (axes[i].contains("zip_with") && !axes[i]["zip_with"].is_null())
      a.zip_with = field<std::size_t>(axes[i], "zip_with", w, file);
    plan.axes.push_back(a);
  }
  auto points = field<nlohmann::json>(j, "points", "", file);
  for (std::size_t i = 0; i < points.size(); ++i) {
    std::string w = "/points/" + std::to_string(i);
    SweepPlanPoint p;
    p.values = field<std::vector<nlohmann::json>>(points[i], "values", w, file);
    for (const auto& n : field<nlohmann::json>(points[i], "numbers", w, file))
      p.numbers.push_back(n.is_number() ? std::optional<double>(n.get<double>()) : std::nullopt);
    p.scenario = field<std::string>(points[i], "scenario", w, file);
    if (p.values.size() != plan.axes.size() || p.numbers.size() != plan.axes.size())
      throw InputError(file + ": " + w + ": found " + std::to_string(p.values.size()) + " values, expected one per axis");
    plan.points.push_back(p);
  }
  auto runs = field<nlohmann::json>(j, "runs", "", file);
  for (std::size_t i = 0; i < runs.size(); ++i) {
    std::string w = "/runs/" + std::to_string(i);
    SweepPlanRun r;
    r.point = field<std::size_t>(runs[i], "point", w, file);
    r.strategy = field<std::string>(runs[i], "strategy", w, file);
    r.seed = field<std::uint64_t>(runs[i], "seed", w, file);
    r.id = field<std::string>(runs[i], "id", w, file);
    r.dir = field<std::string>(runs[i], "dir", w, file);
    if (runs[i].contains("unavailable")) r.unavailable = field<std::string>(runs[i], "unavailable", w, file);
    if (r.point >= plan.points.size())
      throw InputError(file + ": " + w + "/point: found " + std::to_string(r.point) + ", expected a point index below " +
                       std::to_string(plan.points.size()));
    plan.runs.push_back(r);
  }
  return plan;
}

bool sweep_run_finished(const fs::path& dir, const SweepPlanRun& run) {
  std::error_code ec;
  return run.unavailable.empty() && fs::is_regular_file(dir / run.dir / "report.json", ec);
}

}  // namespace gm
