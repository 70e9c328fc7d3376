// The `kconfig` JSON object shared by `guestmem kconfig --json` and report.json (design §6):
// {"arch","kernel","stage","symbols":{SYM:"y"|"m"|"n"|number},"allocator","runtime_fallback",
//  "explanation":[...],"allocator_reason":[...],"warnings":[...]}.
#pragma once

#include <nlohmann/json.hpp>

#include "models/kconfig_resolve.h"
#include "models/xen/allocator_choice.h"

namespace gm {

// Ints are JSON numbers (an unset int reads "n"); y/m/n are strings.
nlohmann::json kconfig_to_json(const KconfigResult& cfg, const AllocatorChoice& choice);

}  // namespace gm
