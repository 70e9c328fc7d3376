// gen_scenario_docs: regenerates docs/scenario-format.md and scenarios/scenario.schema.json from the scenario
// parameter table, and docs/costs.md from the embedded default cost file. Usage: gen_scenario_docs [REPO_ROOT] (default: the current directory).
#include <filesystem>
#include <fstream>
#include <iostream>

#include "sim/report/cost_docs.h"
#include "sim/scenario/scenario_docs.h"

namespace {

bool write(const std::filesystem::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) {
    std::cerr << "gen_scenario_docs: cannot write " << p.string() << '\n';
    return false;
  }
  std::cerr << "wrote " << p.string() << '\n';
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 2 || (argc == 2 && std::string(argv[1]) == "--help")) {
    std::cerr << "usage: gen_scenario_docs [REPO_ROOT]\n"
                 "Writes REPO_ROOT/docs/scenario-format.md, REPO_ROOT/scenarios/scenario.schema.json and\n"
                 "REPO_ROOT/docs/costs.md.\n";
    return argc == 2 ? 0 : 2;
  }
  std::filesystem::path root = argc == 2 ? argv[1] : ".";
  if (!std::filesystem::is_directory(root / "docs") || !std::filesystem::is_directory(root / "scenarios")) {
    std::cerr << "gen_scenario_docs: " << root.string() << " has no docs/ and scenarios/: pass the repository root\n";
    return 2;
  }
  bool ok = write(root / "docs" / "scenario-format.md", gm::scenario_format_markdown());
  ok = write(root / "scenarios" / "scenario.schema.json", gm::scenario_json_schema_text()) && ok;
  ok = write(root / "docs" / "costs.md", gm::cost_table_markdown()) && ok;
  return ok ? 0 : 1;
}
