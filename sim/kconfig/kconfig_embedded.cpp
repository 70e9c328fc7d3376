#include "sim/kconfig/kconfig_embedded.h"

#include <guestmem/embedded.h>

namespace gm {

const KconfigRuleFiles& embedded_kconfig_rules() {
  // Keep in step with GUESTMEM_KCONFIG_RULES in sim/CMakeLists.txt.
  static const KconfigRuleFiles files{
      {"arch_x86.kconfig", embedded::kconfig_arch_x86_kconfig},
      {"arch_arm64.kconfig", embedded::kconfig_arch_arm64_kconfig},
      {"arch_arm.kconfig", embedded::kconfig_arch_arm_kconfig},
      {"arch_riscv.kconfig", embedded::kconfig_arch_riscv_kconfig},
      {"x86_xen_5.8.kconfig", embedded::kconfig_x86_xen_5_8_kconfig},
      {"x86_xen_5.9.kconfig", embedded::kconfig_x86_xen_5_9_kconfig},
      {"x86_xen_5.15.kconfig", embedded::kconfig_x86_xen_5_15_kconfig},
      {"mm.kconfig", embedded::kconfig_mm_kconfig},
      {"mm_6.17.kconfig", embedded::kconfig_mm_6_17_kconfig},
      {"drivers_xen_5.8.kconfig", embedded::kconfig_drivers_xen_5_8_kconfig},
      {"drivers_xen_v4.kconfig", embedded::kconfig_drivers_xen_v4_kconfig},
      {"drivers_xen_v5.kconfig", embedded::kconfig_drivers_xen_v5_kconfig},
      {"drivers_xen_5.9.kconfig", embedded::kconfig_drivers_xen_5_9_kconfig},
      {"drivers_xen_5.12.kconfig", embedded::kconfig_drivers_xen_5_12_kconfig},
      {"drivers_xen_5.16.kconfig", embedded::kconfig_drivers_xen_5_16_kconfig},
      {"drivers_xen_5.17.kconfig", embedded::kconfig_drivers_xen_5_17_kconfig},
      {"distro_dom0.config", embedded::kconfig_distro_dom0_config},
  };
  return files;
}

KconfigResult resolve_kconfig(Arch arch, const KernelVersion& kernel,
                              const std::map<std::string, std::string>& overrides, std::string_view origin,
                              const KconfigBaseConfig* base) {
  return resolve_kconfig(embedded_kconfig_rules(), arch, kernel, overrides, origin, std::nullopt, base);
}

StrategyKconfig resolve_kconfig_for_strategy(Arch arch, const KernelVersion& kernel,
                                             const std::map<std::string, std::string>& overrides,
                                             std::optional<XenAllocator> strategy, std::string_view origin,
                                             const KconfigBaseConfig* base) {
  return resolve_kconfig_for_strategy(embedded_kconfig_rules(), arch, kernel, overrides, origin, strategy, base);
}

}  // namespace gm
