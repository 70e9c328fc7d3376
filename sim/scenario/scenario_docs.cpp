#include "sim/scenario/scenario_docs.h"

#include <sstream>

#include "sim/scenario/scenario.h"
#include "sim/scenario/scenario_params.h"

namespace gm {
namespace {

using T = ParamType;
using ojson = nlohmann::ordered_json;

bool is_container(const ParamSpec& p) {
  return p.type == T::object || p.type == T::map || p.type == T::entries_or_file;
}

std::string code(std::string_view s) { return "`" + std::string(s) + "`"; }

std::string default_cell(const ParamSpec& p) {
  std::string_view d = p.default_json;
  if (d.empty()) return "none";
  if (d == "!") return "**required**";
  if (d.front() == '=') return "same as " + code(d.substr(1));
  if (d == "{}" && p.type == T::object) return "(all defaults)";
  return code(d);
}

std::string type_cell(const ParamSpec& p) {
  std::string t(to_string(p.type));
  if (p.type == T::enumeration) {
    t = "one of ";
    for (std::size_t i = 0; i < p.values.size(); ++i) t += (i ? ", " : "") + code(p.values[i]);
  } else if (p.type == T::array) {
    const ParamSpec* elem = find_param(std::string(p.path) + "/*");
    t = elem && elem->type == T::object ? "array of objects" : "array of " + std::string(to_string(elem->type));
  }
  return t;
}

std::string range_cell(const ParamSpec& p) {
  if (p.min.empty() && p.max.empty()) return "";
  return std::string(p.min) + " .. " + std::string(p.max);
}

std::string escape_cell(std::string s) {
  std::string out;
  for (char c : s) out += c == '|' ? std::string("\\|") : std::string(1, c);
  return out;
}

ojson leaf_schema(const ParamSpec& p) {
  ojson s;
  switch (p.type) {
    case T::string: s["type"] = "string"; break;
    case T::boolean: s["type"] = "boolean"; break;
    case T::integer:
      s["type"] = "integer";
      if (!p.min.empty()) s["minimum"] = std::stoull(std::string(p.min));
      if (!p.max.empty()) s["maximum"] = std::stoull(std::string(p.max));
      break;
    case T::number:
      s["type"] = "number";
      if (!p.min.empty()) s["minimum"] = std::stod(std::string(p.min));
      if (!p.max.empty()) s["maximum"] = std::stod(std::string(p.max));
      break;
    case T::size: s["$ref"] = "#/$defs/size"; break;
    case T::duration: s["$ref"] = "#/$defs/duration"; break;
    case T::enumeration: s["enum"] = std::vector<std::string>(p.values.begin(), p.values.end()); break;
    case T::kernel_version: s["$ref"] = "#/$defs/kernel_version"; break;
    case T::xen_version: s = {{"type", "string"}, {"pattern", "^[0-9]+\\.[0-9]+$"}}; break;
    case T::path: s = {{"type", "string"}, {"minLength", 1}}; break;
    case T::address: s["$ref"] = "#/$defs/address"; break;
    case T::kconfig_value: s["$ref"] = "#/$defs/kconfig_value"; break;
    case T::scalar: s["type"] = {"string", "number"}; break;
    default: break;
  }
  return s;
}

ojson schema_of(const ParamSpec& p, const std::string& pattern) {
  ojson s;
  auto children = param_children(pattern);
  switch (p.type) {
    case T::object: {
      s["type"] = "object";
      s["additionalProperties"] = false;
      ojson props = ojson::object();
      std::vector<std::string> required;
      for (auto* c : children) {
        std::string key(param_key(*c));
        props[key] = schema_of(*c, pattern + "/" + key);
        if (c->default_json == "!") required.push_back(key);
      }
      s["properties"] = props;
      if (!required.empty()) s["required"] = required;
      break;
    }
    case T::array: s = {{"type", "array"}, {"items", schema_of(*find_param(pattern + "/*"), pattern + "/*")}}; break;
    case T::map: {
      const ParamSpec* v = children.front();
      s["type"] = "object";
      if (v->type == T::kconfig_value) s["propertyNames"] = {{"pattern", "^[A-Z0-9_]+$"}};
      s["additionalProperties"] = schema_of(*v, std::string(v->path));
      break;
    }
    case T::entries_or_file: {
      ojson file = {{"type", "object"},
                    {"additionalProperties", false},
                    {"properties", {{"file", schema_of(*find_param(pattern + "/file"), pattern + "/file")}}},
                    {"required", {"file"}}};
      s["oneOf"] = {{{"type", "array"}, {"items", schema_of(*find_param(pattern + "/*"), pattern + "/*")}}, file};
      break;
    }
    default: s = leaf_schema(p); break;
  }
  if (!p.description.empty()) s["description"] = std::string(p.description) + (p.unit.empty() ? "" : " Unit: " + std::string(p.unit) + ".");
  std::string_view d = p.default_json;
  if (!d.empty() && d != "!" && d.front() != '=') s["default"] = ojson::parse(d);
  if (d.empty() && !p.path.empty()) s = {{"anyOf", {s, {{"type", "null"}}}}};  // optional: null = absent
  return s;
}

}  // namespace

ojson scenario_json_schema() {
  ojson s;
  s["$schema"] = "https://json-schema.org/draft/2020-12/schema";
  s["title"] = "guestmem scenario";
  ojson body = schema_of(*find_param(""), "");
  for (auto& [k, v] : body.items()) s[k] = v;
  ojson defs;
  defs["size"] = {{"type", "string"},
                  {"pattern", "^\\s*[0-9]+(\\.[0-9]+)?\\s*(B|KiB|MiB|GiB|TiB)\\s*$"},
                  {"description", "A byte count with its unit: \"4 GiB\", \"512 MiB\", \"4GiB\"."}};
  defs["duration"] = {{"type", "string"},
                      {"pattern", "^\\s*[0-9]+(\\.[0-9]+)?\\s*(ns|us|ms|s|min|h)\\s*$"},
                      {"description", "A simulated time with its unit: \"200 ms\", \"60 s\", \"2 min\"."}};
  defs["kernel_version"] = {{"type", "string"},
                            {"pattern", "^(v4-patch|[0-9]+\\.[0-9]+(\\.[0-9]+|-rc[1-9][0-9]*)?)$"},
                            {"description", "MAJOR.MINOR[.PATCH][-rcN] or \"v4-patch\"."}};
  ojson addr_int = {{"type", "integer"}, {"minimum", 0}};
  ojson addr_hex = {{"type", "string"}, {"pattern", "^0[xX][0-9a-fA-F]{1,16}$"}};
  defs["address"] = {{"oneOf", ojson::array({addr_int, addr_hex})},
                     {"description", "A guest-physical address: an integer or a \"0x...\" hex string; ends are inclusive."}};
  ojson tristate = {{"enum", ojson::array({"y", "m", "n"})}};
  ojson integer = {{"type", "integer"}};
  ojson int_text = {{"type", "string"}, {"pattern", "^-?[0-9]+$"}};
  defs["kconfig_value"] = {{"oneOf", ojson::array({tristate, integer, int_text})}};
  s["$defs"] = defs;
  return s;
}

std::string scenario_json_schema_text() { return scenario_json_schema().dump(2) + "\n"; }

std::string scenario_format_markdown() {
  std::ostringstream md;
  md << "<!-- Generated from sim/scenario/scenario_params.cpp by gen_scenario_docs; do not edit by hand.\n"
        "     Refresh: cmake --build BUILD --target gen_scenario_docs && BUILD/sim/gen_scenario_docs . -->\n";
  md << "# Scenario file format\n\n";
  md << "A scenario is one JSON object describing a simulated Xen guest, its kernel and its workload. "
        "`guestmem validate FILE...` checks files without running them; `guestmem run FILE` runs one. "
        "Every parameter below has a default, so `{}` is a valid scenario. An editor schema is in "
        "`scenarios/scenario.schema.json` (JSON Schema draft 2020-12), generated from the same table as this page; "
        "point an editor at it with `\"$schema\": \"scenario.schema.json\"` (the key is accepted and ignored). The "
        "schema file itself is not a scenario: leave it out when globbing `scenarios/*.json`.\n\n";
  md << "## Rules\n\n";
  md << "- Strict JSON: no comments, no trailing commas, no `NaN`/`Infinity`, no duplicate keys, UTF-8 only.\n";
  md << "- Unknown keys are errors, reported with their JSON path and a \"did you mean\" when one is close.\n";
  md << "- Sizes are strings with a unit: `B`, `KiB`, `MiB`, `GiB`, `TiB` (`\"4 GiB\"`, `\"4GiB\"`, `\"1.5 GiB\"`; "
        "the result must be a whole number of bytes). Durations likewise: `ns`, `us`, `ms`, `s`, `min`, `h`. "
        "A bare number is an error that suggests a unit: `\"memory\": 4096` is ambiguous (xl.cfg means MiB).\n";
  md << "- Rates name their unit in the key (`rate_per_s`). Addresses are integers or `\"0x...\"` strings; every "
        "`end` is inclusive, as the kernel prints ranges.\n";
  md << "- Integers beyond 2^64-1, negative sizes and out-of-range values are errors. Paths to other files are "
        "relative to the scenario file and must exist.\n";
  md << "- Limits: a scenario file is at most " << (kMaxScenarioBytes >> 20) << " MiB and nests at most "
     << kMaxScenarioDepth << " levels; larger or deeper input is refused (exit 2).\n";
  md << "- All errors of a file are reported, one line each: `FILE: /json/path: found X, expected Y`, or "
        "`FILE:LINE:COL: ...` for syntax errors. Any error makes `validate` and `run` exit 2.\n";
  md << "- `null` for an optional parameter (default \"none\") means absent, so a report's `scenario` object "
        "loads again as a scenario.\n\n";
  md << "Rules between fields: `guest.maxmem` >= `guest.memory` (both multiples of 4 KiB); `sampling` <= "
        "`duration`; each caller's `start` < `stop` <= `duration` and caller names are unique; at most 30000 "
        "callers in total (one simulated actor each); PV guests only on x86, no HVM dom0; `xen.extended_regions` "
        "only on arm/arm64; e820 entries, extended regions and PCI ranges ordered and inside the arch's physical "
        "address space (MAX_PHYSMEM_BITS: x86_64 46, i386 36, arm64 48, arm 36, riscv64 56); balloon targets "
        "<= `guest.maxmem`; fault, target and PCI times within `duration`; `memory_pressure.target_used` <= "
        "`guest.memory`; metric checks need `metric` and `value`, `effective_strategy` needs `strategy`; "
        "`costs.overrides` names must be cost-model parameters.\n\n";
  md << "The report's `scenario` object is the loaded scenario with every default resolved (sizes and durations "
        "normalised, e.g. `\"4 GiB\"`, `\"200 ms\"`).\n";

  for (const auto& p : scenario_params()) {
    if (!is_container(p)) continue;
    std::string pattern(p.path);
    md << "\n## " << (pattern.empty() ? std::string("Top level") : code(pattern)) << "\n\n";
    md << p.description << "\n\n";
    auto children = param_children(pattern);
    if (p.type == T::entries_or_file) {
      md << "Either an array whose elements are described under " << code(pattern + "/*")
         << ", or an object with:\n\n";
    }
    md << "| Key | Type | Default | Unit | Range | Description |\n|---|---|---|---|---|---|\n";
    for (auto* c : children) {
      if (param_key(*c) == "*") continue;
      std::string desc(c->description);
      const ParamSpec* elem = find_param(std::string(c->path) + "/*");
      if (c->type == T::array && elem && elem->type == T::object) desc += " Elements: see " + code(std::string(c->path) + "/*") + ".";
      else if (is_container(*c)) desc += " See " + code(c->path) + ".";
      md << "| " << code(param_key(*c)) << " | " << escape_cell(type_cell(*c)) << " | " << escape_cell(default_cell(*c))
         << " | " << c->unit << " | " << range_cell(*c) << " | " << escape_cell(desc) << " |\n";
    }
  }
  return md.str();
}

}  // namespace gm
