#include "sim/scenario/scenario_loader.h"

#include "models/errors.h"
#include "sim/scenario/scenario_internal.h"
#include "sim/scenario/strict_json.h"

namespace gm {

using namespace scenario_detail;

ScenarioCheck check_scenario_text(std::string_view text, std::string_view display_name,
                                  const std::filesystem::path& base_dir) {
  ScenarioCheck out;
  LoadContext ctx{std::string(display_name), base_dir, {}, {}};
  if (text.size() > kMaxScenarioBytes) {
    out.errors.push_back(ctx.name + ": found " + std::to_string(text.size()) + " bytes, expected at most " +
                         std::to_string(kMaxScenarioBytes) + " bytes (the input size limit)");
    return out;
  }
  auto doc = parse_strict_json(text, ctx.name, kMaxScenarioDepth, out.errors);
  if (!doc) return out;
  if (!doc->is_object()) {
    ctx.error("", describe(*doc), "a JSON object (a scenario)");
    out.errors = std::move(ctx.errors);
    return out;
  }
  out.normalized = normalize_scenario(*doc, ctx);
  Scenario s = bind_scenario(out.normalized, base_dir);
  s.source = ctx.name;
  check_semantics(s, ctx);
  out.errors = std::move(ctx.errors);
  if (out.errors.empty()) out.scenario = std::move(s);
  return out;
}

ScenarioCheck check_scenario_file(const std::filesystem::path& path) {
  ScenarioCheck out;
  const std::string name = path.string();
  auto text = read_input_file(path, name, kMaxScenarioBytes, out.errors);
  if (!text) return out;
  return check_scenario_text(*text, name, path.parent_path());
}

Scenario load_scenario_text(std::string_view text, std::string_view display_name, std::filesystem::path base_dir) {
  auto r = check_scenario_text(text, display_name, base_dir);
  if (!r.errors.empty()) throw InputError(std::move(r.errors));
  return std::move(*r.scenario);
}

Scenario load_scenario_file(const std::filesystem::path& path) {
  auto r = check_scenario_file(path);
  if (!r.errors.empty()) throw InputError(std::move(r.errors));
  return std::move(*r.scenario);
}

}  // namespace gm
