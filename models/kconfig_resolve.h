// The configuration a guest kernel is built with: which rule files describe an (arch, kernel version)
// pair (the stages of reference §4.1/§4.2), and their resolution from the distro-like dom0 base config
// plus overrides (`--set`, a scenario's `kconfig` section).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "models/arch.h"
#include "models/kconfig.h"
#include "models/kernel_version.h"

namespace gm {

// Rule file name -> text. The models never read files: sim/ passes the embedded copies of
// models/kconfig_rules/*, tests may pass the files themselves.
using KconfigRuleFiles = std::map<std::string, std::string_view, std::less<>>;
inline constexpr std::string_view kDistroDom0Config = "distro_dom0.config";

// A Kconfig era of XEN_UNPOPULATED_ALLOC and its fallback (reference §4.1, §4.2).
enum class KconfigStage { pre_5_9, v4_patch, v5_patch, v5_9, v5_12, v5_16, v5_17 };
std::string_view kconfig_stage_name(KconfigStage s);  // "pre-5.9", "v4-patch", "v5-patch", "5.9", ...
std::optional<KconfigStage> parse_kconfig_stage(std::string_view s);
// The stage a version belongs to; "v5-patch" is never one (it is only reachable by name).
KconfigStage kconfig_stage_for(const KernelVersion& v);
// The rule files, in load order, for an arch at a stage and version (mm differs from 6.17 on).
std::vector<std::string> kconfig_rule_file_names(Arch arch, KconfigStage stage, const KernelVersion& v);

// A resolved configuration: every symbol of the rule set, Kconfig's warnings, and why
// XEN_UNPOPULATED_ALLOC has its value.
struct KconfigResult {
  Arch arch = Arch::x86_64;
  KernelVersion kernel;
  KconfigStage stage = KconfigStage::v5_17;
  std::vector<std::pair<std::string, KValue>> symbols;  // rule order
  std::vector<std::string> warnings;
  std::vector<std::string> explanation;

  const KValue* find(std::string_view name) const;
  bool has(std::string_view name) const { return find(name) != nullptr; }
  Tristate tri(std::string_view name) const;      // n when absent
  std::string text(std::string_view name) const;  // "y", "m", "n", "512"; "n" when absent
};

// Contract: user values are applied on top of the distro dom0 base config (which never warns);
// names may carry the CONFIG_ prefix. Throws std::runtime_error when a rule file is missing or does
// not parse (a broken build, not bad input). `stage` overrides the stage the version implies.
KconfigResult resolve_kconfig(const KconfigRuleFiles& files, Arch arch, const KernelVersion& kernel,
                              const std::map<std::string, KUserValue, std::less<>>& user,
                              std::optional<KconfigStage> stage = std::nullopt);
// The same with every override from one origin ("--set", "scenario").
KconfigResult resolve_kconfig(const KconfigRuleFiles& files, Arch arch, const KernelVersion& kernel,
                              const std::map<std::string, std::string>& overrides, std::string_view origin = "--set",
                              std::optional<KconfigStage> stage = std::nullopt);

}  // namespace gm
