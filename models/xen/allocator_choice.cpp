#include "models/xen/allocator_choice.h"

namespace gm {

bool has_target_resource(Arch arch, const TargetResourceFacts& facts) {
  if (is_x86(arch)) return true;
  if (arch == Arch::arm64 || arch == Arch::arm) return !facts.acpi_boot && facts.xen_extended_regions;
  return false;
}

AllocatorChoice choose_xen_allocator(const KconfigResult& cfg, bool target_resource) {
  AllocatorChoice c;
  const std::string k = cfg.kernel.str();
  if (cfg.tri("XEN") == Tristate::n)
    c.reason.push_back("XEN=n: no Xen support is built for " + std::string(arch_name(cfg.arch)) +
                       "; nothing maps foreign pages");
  if (!cfg.has("XEN_UNPOPULATED_ALLOC")) {
    c.reason.push_back("kernel " + k +
                       " predates xen_alloc_unpopulated_pages(): callers use "
                       "alloc_xenballooned_pages() (drivers/xen/balloon.c)");
    return c;
  }
  bool from_517 = cfg.stage == KconfigStage::v5_17;
  if (cfg.tri("XEN_UNPOPULATED_ALLOC") != Tristate::y) {
    switch (cfg.stage) {
      case KconfigStage::v5_16:
        c.reason.push_back(
            "XEN_UNPOPULATED_ALLOC=n: drivers/xen/balloon.c defines xen_alloc_unpopulated_pages() "
            "itself (121f2faca2c0, 5.16)");
        break;
      case KconfigStage::v5_17:
        c.reason.push_back(
            "XEN_UNPOPULATED_ALLOC=n: include/xen/xen.h's static inline xen_alloc_unpopulated_pages() "
            "returns xen_alloc_ballooned_pages() (9dd060afe2df, 5.17)");
        break;
      default:
        c.reason.push_back(
            "XEN_UNPOPULATED_ALLOC=n: include/xen/xen.h #defines xen_alloc_unpopulated_pages as "
            "alloc_xenballooned_pages (9e2369c06c8a, 5.9-5.15)");
    }
    return c;
  }
  if (from_517 && !target_resource) {
    c.runtime_fallback = true;
    c.reason.push_back("XEN_UNPOPULATED_ALLOC=y, but arch_xen_unpopulated_init() gave no target_resource (" +
                       std::string(is_x86(cfg.arch) ? "unexpected on x86"
                                                    : "Arm booted with ACPI, or Xen < 4.16 without extended regions") +
                       "): xen_alloc_unpopulated_pages() falls back to xen_alloc_ballooned_pages() at run time "
                       "(d1a928eac729, 5.17)");
    return c;
  }
  c.allocator = XenAllocator::unpopulated;
  c.reason.push_back(std::string("XEN_UNPOPULATED_ALLOC=y: drivers/xen/unpopulated-alloc.c gives ZONE_DEVICE pages "
                                 "from unused address space in ") +
                     (from_517 && !is_x86(cfg.arch) ? "the Xen extended regions (b2371587fe0c)" : "iomem_resource"));
  return c;
}

bool runtime_fallback_exists(const KconfigResult& cfg) { return cfg.stage == KconfigStage::v5_17; }

StrategyKconfig resolve_kconfig_for_strategy(const KconfigRuleFiles& files, Arch arch, const KernelVersion& kernel,
                                             const std::map<std::string, std::string>& overrides,
                                             std::string_view origin, std::optional<XenAllocator> strategy,
                                             const KconfigBaseConfig* base) {
  std::map<std::string, KUserValue, std::less<>> user;
  for (const auto& [name, value] : overrides) user[name] = KUserValue{value, std::string(origin), true};
  std::string_view want = "y";
  if (strategy) {
    want = *strategy == XenAllocator::unpopulated ? "y" : "n";
    std::string label = "--strategy " + std::string(xen_allocator_name(*strategy));
    user.erase("CONFIG_XEN_UNPOPULATED_ALLOC");
    user["XEN_UNPOPULATED_ALLOC"] = KUserValue{std::string(want), label, true};
  }
  StrategyKconfig s;
  s.config = resolve_kconfig(files, arch, kernel, user, std::nullopt, base);
  if (!strategy) return s;
  std::string got = s.config.text("XEN_UNPOPULATED_ALLOC");
  if (got == want) return s;
  s.possible = false;
  std::string what = "strategy " + std::string(xen_allocator_name(*strategy)) +
                     " needs XEN_UNPOPULATED_ALLOC=" + std::string(want) + ", which " + std::string(arch_name(arch)) +
                     " kernel " + kernel.str() + " cannot take";
  if (!s.config.has("XEN_UNPOPULATED_ALLOC")) what += " (the symbol does not exist before 5.9)";
  s.why_not.push_back(what + ":");
  s.why_not.insert(s.why_not.end(), s.config.explanation.begin(), s.config.explanation.end());
  return s;
}

}  // namespace gm
