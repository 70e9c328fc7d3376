// The cost model: simulated time charged per unit of work and per hypercall (design §4). Loaded from
// scenarios/costs/*.json (each value with a unit and a cited source), overridden by the scenario.
#pragma once

#include <array>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "models/units.h"
#include "models/xen/env.h"

namespace gm {

class CostModel {
 public:
  // Parses a cost file; `display_name` names the file in errors (InputError with the JSON path).
  static CostModel from_json_text(std::string_view text, std::string_view display_name);
  static CostModel defaults();  // the embedded scenarios/costs/default.json

  // Applies "name" -> "value with unit" overrides (scenario `costs.overrides`); unknown names are errors.
  void apply_overrides(const std::map<std::string, std::string>& overrides, std::string_view where);

  SimTime work(Work w) const { return work_[static_cast<std::size_t>(w)]; }
  SimTime hypercall_base() const { return work(Work::hypercall); }
  SimTime populate_per_page() const { return populate_per_page_; }
  SimTime decrease_per_page() const { return decrease_per_page_; }

  // Every parameter, by name, for the report and `calibrate`.
  std::map<std::string, SimTime> values() const;
  static const std::vector<std::string>& parameter_names();

  // What the cost file says about one parameter: its plausible range (low <= value <= high; a file
  // without "low"/"high" gives the value for both) and its source. Overrides change only the value.
  struct Entry {
    SimTime low{}, high{};
    std::string source;
  };
  const std::map<std::string, Entry>& entries() const { return entries_; }

 private:
  SimTime* slot(std::string_view name);
  std::array<SimTime, kWorkKinds> work_{};
  SimTime populate_per_page_{}, decrease_per_page_{};
  std::map<std::string, Entry> entries_;
};

}  // namespace gm
