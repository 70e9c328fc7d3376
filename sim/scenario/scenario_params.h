// The one table of scenario parameters (design §8, Ramulator-style): every field declared once with its
// JSON path, type, default, unit, range, description and allowed values. The loader, the generated
// docs/scenario-format.md and scenarios/scenario.schema.json are all driven by it.
#pragma once

#include <string_view>
#include <vector>

namespace gm {

enum class ParamType {
  object,          // fixed keys, declared as children
  array,           // elements declared as the child "PATH/*"
  map,             // any keys, values declared as the child "PATH/<NAME>"
  entries_or_file, // an array (child "PATH/*") or an object with the declared named children
  string,
  boolean,
  integer,         // JSON integer, range [min, max]
  number,          // JSON number (finite), range [min, max]
  size,            // "4 GiB"
  duration,        // "200 ms"
  enumeration,     // one of `values`
  kernel_version,  // KernelVersion::parse grammar, within [min, max]
  xen_version,     // "MAJOR.MINOR"
  path,            // a file, relative to the scenario file's folder; must exist
  address,         // an integer or a "0x..." hex string
  kconfig_value,   // "y" | "m" | "n" | integer
  scalar,          // a string or a number
};

// One declared parameter. Paths are JSON pointers where "*" stands for any array index and "<NAME>"
// for any key of a map.
struct ParamSpec {
  std::string_view path;
  ParamType type;
  // JSON text of the default ("\"4 GiB\"", "2", "[]", "{}"); empty = optional without a default (null when
  // absent); "=/json/path" = defaults to that other parameter (same object first, then from the root).
  std::string_view default_json;
  std::string_view unit;
  std::string_view min;  // inclusive bounds in the parameter's own notation ("1", "1 MiB"); empty = none
  std::string_view max;
  std::string_view description;
  std::vector<std::string_view> values = {};  // enumeration: allowed names
};

// Contract: parents come before their children; every non-root path's parent is declared.
const std::vector<ParamSpec>& scenario_params();
// The entry for an exact pattern path ("" is the root object), or nullptr.
const ParamSpec* find_param(std::string_view pattern_path);
// The direct children of a pattern path, in declaration order.
std::vector<const ParamSpec*> param_children(std::string_view pattern_path);
// Last path segment ("memory" for "/guest/memory").
std::string_view param_key(const ParamSpec& p);

std::string_view to_string(ParamType t);

}  // namespace gm
