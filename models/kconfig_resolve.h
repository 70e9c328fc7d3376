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

// A real .config taken as the base instead of distro_dom0.config (`guestmem kconfig --config FILE`, a
// scenario's `kconfig_file`). Its lines are base lines: silent where the rules ignore them, as
// `make olddefconfig` is; a line whose value the resolution contradicts is reported (below).
struct KconfigBaseConfig {
  std::string label;         // the file name, for messages ("FILE:LINE")
  KConfigFragment fragment;  // parsed without error
};

// A resolved configuration: every symbol of the rule set, Kconfig's warnings, and why
// XEN_UNPOPULATED_ALLOC has its value.
struct KconfigResult {
  Arch arch = Arch::x86_64;
  KernelVersion kernel;
  KconfigStage stage = KconfigStage::v5_17;
  std::vector<std::pair<std::string, KValue>> symbols;  // rule order
  std::vector<std::string> warnings;
  std::vector<std::string> explanation;
  std::string base = "distro dom0 config";  // or the KconfigBaseConfig label
  // Lines of a KconfigBaseConfig whose value this kernel's rules do not give (also in `warnings`):
  // "FILE:LINE: CONFIG_X=y, but ... gives n: <why>". A .config written by olddefconfig for this
  // kernel has none; one from another version, arch or a hand edit may.
  std::vector<std::string> contradictions;

  const KValue* find(std::string_view name) const;
  bool has(std::string_view name) const { return find(name) != nullptr; }
  Tristate tri(std::string_view name) const;      // n when absent
  std::string text(std::string_view name) const;  // "y", "m", "n", "512"; "n" when absent
};

// Contract: user values are applied on top of the base config (`base`, or the distro dom0 config when
// null; a base never warns except for contradictions); names may carry the CONFIG_ prefix. Throws
// std::runtime_error when a rule file is missing or does not parse (a broken build, not bad input).
// `stage` overrides the stage the version implies.
KconfigResult resolve_kconfig(const KconfigRuleFiles& files, Arch arch, const KernelVersion& kernel,
                              const std::map<std::string, KUserValue, std::less<>>& user,
                              std::optional<KconfigStage> stage = std::nullopt,
                              const KconfigBaseConfig* base = nullptr);
// The parsed rule set resolve_kconfig() builds for an arch and version (`stage` as there); callers that
// resolve many configurations of one kernel (the oracle replay) parse it once and pass it below.
KconfigRules load_kconfig_rules(const KconfigRuleFiles& files, Arch arch, const KernelVersion& kernel,
                                std::optional<KconfigStage> stage = std::nullopt);
// resolve_kconfig() with rules from load_kconfig_rules() for the same arch, version and stage.
KconfigResult resolve_kconfig(const KconfigRuleFiles& files, const KconfigRules& rules, Arch arch,
                              const KernelVersion& kernel, const std::map<std::string, KUserValue, std::less<>>& user,
                              std::optional<KconfigStage> stage = std::nullopt,
                              const KconfigBaseConfig* base = nullptr);
// The same with every override from one origin ("--set", "scenario").
KconfigResult resolve_kconfig(const KconfigRuleFiles& files, Arch arch, const KernelVersion& kernel,
                              const std::map<std::string, std::string>& overrides, std::string_view origin = "--set",
                              std::optional<KconfigStage> stage = std::nullopt,
                              const KconfigBaseConfig* base = nullptr);

}  // namespace gm
