#include "sim/kconfig/kconfig_json.h"

namespace gm {

nlohmann::json kconfig_to_json(const KconfigResult& cfg, const AllocatorChoice& choice) {
  nlohmann::json j;
  j["arch"] = arch_name(cfg.arch);
  j["kernel"] = cfg.kernel.str();
  j["stage"] = kconfig_stage_name(cfg.stage);
  j["symbols"] = nlohmann::json::object();
  for (const auto& [name, v] : cfg.symbols) {
    if (v.type == KSymType::integer && v.number)
      j["symbols"][name] = *v.number;
    else
      j["symbols"][name] = v.text();
  }
  j["allocator"] = xen_allocator_name(choice.allocator);
  j["runtime_fallback"] = choice.runtime_fallback;
  j["explanation"] = cfg.explanation;
  j["allocator_reason"] = choice.reason;
  j["warnings"] = cfg.warnings;
  return j;
}

}  // namespace gm
