// docs/costs.md, generated from the embedded scenarios/costs/default.json (gen_scenario_docs writes
// it; tests/sim/report/cost_docs_test.cpp fails when the committed file differs).
#pragma once

#include <string>
#include <string_view>

namespace gm {

// The kernel or Xen steps that charge a cost parameter (empty for an unknown name).
std::string_view cost_charged_by(std::string_view parameter);

// The Markdown table: parameter, value, low, high, source, which step charges it.
std::string cost_table_markdown();

}  // namespace gm
