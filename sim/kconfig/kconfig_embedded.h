// The Kconfig rule sets compiled into the binary (models/kconfig_rules/*), and the resolver entry
// points the runner and the CLI use with them.
#pragma once

#include <map>
#include <string>

#include "models/kconfig_resolve.h"
#include "models/xen/allocator_choice.h"

namespace gm {

// Every embedded rule file by its name in models/kconfig_rules/.
const KconfigRuleFiles& embedded_kconfig_rules();

// resolve_kconfig() over the embedded rules: the distro dom0 base config plus `overrides`
// (symbol -> "y"/"m"/"n"/number, CONFIG_ prefix optional), each labelled with `origin` in warnings
// and explanations ("--set", "scenario").
// `base`: a real .config (sim/kconfig/kconfig_file.h) instead of the distro dom0 base; null: that base.
KconfigResult resolve_kconfig(Arch arch, const KernelVersion& kernel,
                              const std::map<std::string, std::string>& overrides,
                              std::string_view origin = "scenario", const KconfigBaseConfig* base = nullptr);

// resolve_kconfig_for_strategy() over the embedded rules: for `--strategy ballooned|unpopulated`
// (nullopt = auto), forces XEN_UNPOPULATED_ALLOC and says why when it cannot take that value.
StrategyKconfig resolve_kconfig_for_strategy(Arch arch, const KernelVersion& kernel,
                                             const std::map<std::string, std::string>& overrides,
                                             std::optional<XenAllocator> strategy,
                                             std::string_view origin = "scenario",
                                             const KconfigBaseConfig* base = nullptr);

}  // namespace gm
