// Which allocator xen_alloc_unpopulated_pages() really is, as a pure function of the resolved Kconfig,
// the kernel version, the arch and whether arch_xen_unpopulated_init() found a target resource
// (reference §4.2 decision table, design §3), and forcing a `--strategy` through Kconfig.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "models/arch.h"
#include "models/kconfig_resolve.h"

namespace gm {

enum class XenAllocator { unpopulated, ballooned };
constexpr std::string_view xen_allocator_name(XenAllocator a) {
  return a == XenAllocator::unpopulated ? "unpopulated" : "ballooned";
}

// What decides target_resource at boot (5.17+, drivers/xen/unpopulated-alloc.c unpopulated_init()).
struct TargetResourceFacts {
  bool acpi_boot = false;            // Arm booted with ACPI: arch_xen_unpopulated_init() gives up
  bool xen_extended_regions = true;  // Xen >= 4.16 advertises extended regions in the "xen,xen" DT node
};
// x86: always &iomem_resource (the weak default; arch/x86/xen/enlighten.c@v6.10 sets the same).
// arm/arm64: a resource built from the extended regions, none with ACPI or without regions
// (b2371587fe0c, arch/arm/xen/enlighten.c@v5.17). riscv64 has no Xen: false.
bool has_target_resource(Arch arch, const TargetResourceFacts& facts);

// The allocator callers get, and why (one line per step, kernel file and commit named).
struct AllocatorChoice {
  XenAllocator allocator = XenAllocator::ballooned;
  bool runtime_fallback = false;  // XEN_UNPOPULATED_ALLOC=y but target_resource == NULL (5.17+)
  std::vector<std::string> reason;
};

// Contract: `cfg` is a resolve_kconfig() result; `target_resource` is what unpopulated_init() found
// (only read from 5.17 on, where the run-time fallback exists).
AllocatorChoice choose_xen_allocator(const KconfigResult& cfg, bool target_resource);

// Whether this kernel has the run-time fallback at all (5.17+, d1a928eac729 / 9dd060afe2df): with
// XEN_UNPOPULATED_ALLOC=y, a NULL target_resource sends every call to xen_alloc_ballooned_pages().
bool runtime_fallback_exists(const KconfigResult& cfg);

// `--strategy` (design §6) as a configuration: `possible` is false when XEN_UNPOPULATED_ALLOC cannot take the
// value the strategy needs (no prompt in that version, unmet dependencies), and `why_not` then says
// so, followed by the Kconfig explanation (the runner stops with exit 2 and prints it).
struct StrategyKconfig {
  KconfigResult config;
  bool possible = true;
  std::vector<std::string> why_not;
};
// `strategy` nullopt is `--strategy auto` (plain resolution); a value forces XEN_UNPOPULATED_ALLOC to y
// (unpopulated) or n (ballooned). `base`: a real .config instead of the distro dom0 base (null: that base).
StrategyKconfig resolve_kconfig_for_strategy(const KconfigRuleFiles& files, Arch arch, const KernelVersion& kernel,
                                             const std::map<std::string, std::string>& overrides,
                                             std::string_view origin, std::optional<XenAllocator> strategy,
                                             const KconfigBaseConfig* base = nullptr);

}  // namespace gm
