// Documentation generated from the parameter table (design §8): docs/scenario-format.md and
// scenarios/scenario.schema.json. Checked in; tests/sim/scenario_docs_test.cpp fails when they are stale.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace gm {

// The whole of docs/scenario-format.md.
std::string scenario_format_markdown();
// scenarios/scenario.schema.json (JSON Schema draft 2020-12), keys in declaration order.
nlohmann::ordered_json scenario_json_schema();
// The schema file's text: scenario_json_schema() indented by 2, with a final newline.
std::string scenario_json_schema_text();

}  // namespace gm
