// docs/scenario-format.md and scenarios/scenario.schema.json are generated from the parameter table: fail when
// the checked-in copies are stale, and check that the generated text covers every parameter.
#include <gtest/gtest.h>

#include "sim/scenario/scenario_docs.h"
#include "sim/scenario/scenario_params.h"
#include "tests/support/run_cli.h"

namespace gm {
namespace {

constexpr const char* kRefresh =
    " is stale: the scenario parameter table changed. Refresh it from the repository root with\n"
    "  cmake --build BUILD --target gen_scenario_docs && BUILD/sim/gen_scenario_docs .\n"
    "and commit the result.";

TEST(ScenarioDocs, CheckedInMarkdownIsCurrent) {
  auto on_disk = test::read_file(test::source_path("docs/scenario-format.md"));
  EXPECT_TRUE(on_disk == scenario_format_markdown()) << "docs/scenario-format.md" << kRefresh;
}

TEST(ScenarioDocs, CheckedInSchemaIsCurrent) {
  auto on_disk = test::read_file(test::source_path("scenarios/scenario.schema.json"));
  EXPECT_TRUE(on_disk == scenario_json_schema_text()) << "scenarios/scenario.schema.json" << kRefresh;
}

TEST(ScenarioDocs, MarkdownHasARowPerParameter) {
  const std::string md = scenario_format_markdown();
  std::size_t rows = 0;
  for (const auto& p : scenario_params()) {
    if (p.path.empty() || param_key(p) == "*") continue;
    ++rows;
    EXPECT_NE(md.find("| `" + std::string(param_key(p)) + "` |"), std::string::npos) << p.path;
  }
  std::size_t table_rows = 0;
  for (std::size_t at = md.find("\n| `"); at != std::string::npos; at = md.find("\n| `", at + 1)) ++table_rows;
  EXPECT_EQ(table_rows, rows);
  EXPECT_NE(md.find("| `memory` | size | `\"4 GiB\"` | bytes | 16 MiB .. 64 TiB |"), std::string::npos);
  EXPECT_NE(md.find("| `vcpus` | integer | `2` |  | 1 .. 128 |"), std::string::npos);
  EXPECT_NE(md.find("| `maxmem` | size | same as `memory` |"), std::string::npos);
  EXPECT_NE(md.find("64 MiB"), std::string::npos);
}

TEST(ScenarioDocs, SchemaMirrorsTheTable) {
  auto s = scenario_json_schema();
  EXPECT_EQ(s["$schema"], "https://json-schema.org/draft/2020-12/schema");
  EXPECT_EQ(s["additionalProperties"], false);
  auto& guest = s["properties"]["guest"];
  EXPECT_EQ(guest["additionalProperties"], false);
  EXPECT_EQ(guest["properties"]["vcpus"]["minimum"], 1);
  EXPECT_EQ(guest["properties"]["vcpus"]["maximum"], 128);
  EXPECT_EQ(guest["properties"]["memory"]["default"], "4 GiB");
  EXPECT_EQ(guest["properties"]["type"]["enum"], (nlohmann::ordered_json{"pv", "pvh", "hvm"}));
  auto& caller = s["properties"]["workload"]["properties"]["callers"]["items"];
  EXPECT_EQ(caller["required"], (nlohmann::ordered_json{"kind"}));
  EXPECT_EQ(s["properties"]["seed"]["maximum"], 18446744073709551615ull);
  // One schema property per non-element, non-map-key parameter below an object.
  std::size_t props = 0;
  std::function<void(const nlohmann::ordered_json&)> count = [&](const nlohmann::ordered_json& j) {
    if (j.is_object()) {
      if (j.contains("properties") && j["properties"].is_object()) props += j["properties"].size();
      for (auto& [k, v] : j.items())
        if (k != "$defs") count(v);
    } else if (j.is_array()) {
      for (auto& v : j) count(v);
    }
  };
  count(s);
  std::size_t declared = 0;
  for (const auto& p : scenario_params()) {
    auto key = param_key(p);
    if (!p.path.empty() && key != "*" && key.front() != '<') ++declared;
  }
  EXPECT_EQ(props, declared);
}

}  // namespace
}  // namespace gm
