// `guestmem validate SCENARIO...`: checks scenario files against the parameter table and the semantic
// rules, prints every error (exit 2) or a one-line summary per file (exit 0).
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "sim/cli/command.h"
#include "models/errors.h"
#include "sim/scenario/scenario_loader.h"
#include "sim/engine/units_text.h"

namespace {

nlohmann::json summary(const gm::Scenario& s) {
  std::size_t callers = 0;
  for (auto& c : s.workload.callers) callers += static_cast<std::size_t>(c.count);
  return {{"name", s.name},
          {"callers", callers},
          {"kernel", s.kernel.str()},
          {"arch", gm::to_string(s.arch)},
          {"guest", std::string(gm::to_string(s.guest.type)) + (s.guest.dom0 ? " dom0" : " domU")},
          {"memory", gm::format_size(s.guest.memory)},
          {"duration", gm::format_duration(s.duration)}};
}

void add_validate(CLI::App& app, gm::cli::Context& ctx) {
  auto* sub = app.add_subcommand(
      "validate",
      "Check scenario files: strict JSON, every key known, types, units, ranges and the rules between fields\n"
      "(maxmem >= memory, start < stop <= duration, ranges inside the address space, referenced files exist).\n"
      "Prints every error as FILE: /json/path: found X, expected Y (or FILE:LINE:COL for syntax errors) and\n"
      "exits 2 if any file has one; otherwise prints FILE: ok (...) per file. The format is in\n"
      "docs/scenario-format.md.");
  auto files = std::make_shared<std::vector<std::string>>();
  auto as_json = std::make_shared<bool>(false);
  sub->add_option("SCENARIO", *files, "Scenario files (JSON)")->required();
  sub->add_flag("--json", *as_json,
                "Print one JSON document: {\"ok\", \"files\":[{\"file\",\"ok\",\"errors\",\"summary\"}]}");
  sub->footer("Example: guestmem validate scenarios/default.json my-scenario.json");
  sub->callback([&ctx, files, as_json] {
    nlohmann::json doc{{"ok", true}, {"files", nlohmann::json::array()}};
    bool all_ok = true;
    for (const auto& f : *files) {
      auto r = gm::check_scenario_file(f);
      nlohmann::json entry{{"file", f}, {"ok", r.errors.empty()}, {"errors", r.errors}};
      for (const auto& line : r.errors) std::cerr << "error: " << line << '\n';
      if (r.scenario) {
        entry["summary"] = summary(*r.scenario);
        if (!*as_json) {
          auto& s = entry["summary"];
          std::cout << f << ": ok (" << s["callers"].get<std::size_t>() << " callers, kernel "
                    << s["kernel"].get<std::string>() << ", " << s["arch"].get<std::string>() << ", "
                    << s["guest"].get<std::string>() << " " << s["memory"].get<std::string>() << ", "
                    << s["duration"].get<std::string>() << ")\n";
        }
      } else {
        all_ok = false;
      }
      doc["files"].push_back(entry);
    }
    doc["ok"] = all_ok;
    if (*as_json) std::cout << doc.dump(2) << '\n';
    ctx.exit_code = all_ok ? gm::kExitOk : gm::kExitInput;
  });
}

}  // namespace

GUESTMEM_COMMAND(30, add_validate);
