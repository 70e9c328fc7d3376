// Non-throwing scenario checking, for `guestmem validate` and tools that want every error as data.
// load_scenario_file()/load_scenario_text() (scenario.h) wrap these and throw gm::InputError.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/scenario/scenario.h"

namespace gm {

struct ScenarioCheck {
  std::optional<Scenario> scenario;  // set exactly when `errors` is empty
  std::vector<std::string> errors;   // every problem, one line each, prefixed with the display name
  nlohmann::json normalized;         // the input with every default filled in, as far as it could be read
};

// Contract: never throws for bad input; every error of the file is collected.
ScenarioCheck check_scenario_file(const std::filesystem::path& path);
ScenarioCheck check_scenario_text(std::string_view text, std::string_view display_name,
                                  const std::filesystem::path& base_dir);

// Physical address bits of an arch, the kernel's MAX_PHYSMEM_BITS: ranges in a scenario must fit below 2^bits.
unsigned physical_address_bits(Arch a);

}  // namespace gm
