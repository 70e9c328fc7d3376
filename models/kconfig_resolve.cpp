#include "models/kconfig_resolve.h"

#include <charconv>
#include <stdexcept>

namespace gm {

std::string_view kconfig_stage_name(KconfigStage s) {
  switch (s) {
    case KconfigStage::pre_5_9:
      return "pre-5.9";
    case KconfigStage::v4_patch:
      return "v4-patch";
    case KconfigStage::v5_patch:
      return "v5-patch";
    case KconfigStage::v5_9:
      return "5.9";
    case KconfigStage::v5_12:
      return "5.12";
    case KconfigStage::v5_16:
      return "5.16";
    case KconfigStage::v5_17:
      return "5.17";
  }
  return "?";
}

std::optional<KconfigStage> parse_kconfig_stage(std::string_view s) {
  for (auto st : {KconfigStage::pre_5_9, KconfigStage::v4_patch, KconfigStage::v5_patch, KconfigStage::v5_9,
                  KconfigStage::v5_12, KconfigStage::v5_16, KconfigStage::v5_17})
    if (kconfig_stage_name(st) == s) return st;
  return std::nullopt;
}

KconfigStage kconfig_stage_for(const KernelVersion& v) {
  if (v.is_v4_patch()) return KconfigStage::v4_patch;
  if (!v.at_least("5.9-rc4")) return KconfigStage::pre_5_9;  // 9e2369c06c8a
  if (!v.at_least("5.12-rc5")) return KconfigStage::v5_9;    // 2b514ec72706
  if (!v.at_least("5.16-rc1")) return KconfigStage::v5_12;   // 121f2faca2c0
  if (!v.at_least("5.17-rc1")) return KconfigStage::v5_16;   // b2371587fe0c
  return KconfigStage::v5_17;
}

std::vector<std::string> kconfig_rule_file_names(Arch arch, KconfigStage stage, const KernelVersion& v) {
  std::vector<std::string> f;
  switch (arch) {
    case Arch::x86_64:
    case Arch::i386: {
      f.push_back("arch_x86.kconfig");
      // arch/x86/xen/Kconfig changed at a13f2ef168cb (5.9-rc1, no 32-bit PV) and cae7d81a3730 (5.15-rc5,
      // XEN_DOM0 prompt), independently of the drivers/xen stages.
      bool before_59 = stage == KconfigStage::v4_patch || !v.at_least("5.9-rc1");
      f.push_back(before_59                ? "x86_xen_5.8.kconfig"
                  : v.at_least("5.15-rc5") ? "x86_xen_5.15.kconfig"
                                           : "x86_xen_5.9.kconfig");
      break;
    }
    case Arch::arm64:
      f.push_back("arch_arm64.kconfig");
      break;
    case Arch::arm:
      f.push_back("arch_arm.kconfig");
      break;
    case Arch::riscv64:
      f.push_back("arch_riscv.kconfig");
      break;
  }
  f.push_back(v.at_least("6.17") ? "mm_6.17.kconfig" : "mm.kconfig");
  switch (stage) {
    case KconfigStage::pre_5_9:
      f.push_back("drivers_xen_5.8.kconfig");
      break;
    case KconfigStage::v4_patch:
      f.push_back("drivers_xen_v4.kconfig");
      break;
    case KconfigStage::v5_patch:
      f.push_back("drivers_xen_v5.kconfig");
      break;
    case KconfigStage::v5_9:
      f.push_back("drivers_xen_5.9.kconfig");
      break;
    case KconfigStage::v5_12:
      f.push_back("drivers_xen_5.12.kconfig");
      break;
    case KconfigStage::v5_16:
      f.push_back("drivers_xen_5.16.kconfig");
      break;
    case KconfigStage::v5_17:
      f.push_back("drivers_xen_5.17.kconfig");
      break;
  }
  return f;
}

const KValue* KconfigResult::find(std::string_view name) const {
  for (const auto& [n, v] : symbols)
    if (n == name) return &v;
  return nullptr;
}

Tristate KconfigResult::tri(std::string_view name) const {
  const KValue* v = find(name);
  return v ? v->tri : Tristate::n;
}

std::string KconfigResult::text(std::string_view name) const {
  const KValue* v = find(name);
  return v ? v->text() : "n";
}

namespace {
std::string_view rule_text(const KconfigRuleFiles& files, std::string_view name) {
  auto it = files.find(name);
  if (it == files.end()) throw std::runtime_error("kconfig rule file " + std::string(name) + " is missing");
  return it->second;
}
}  // namespace

KconfigRules load_kconfig_rules(const KconfigRuleFiles& files, Arch arch, const KernelVersion& kernel,
                                std::optional<KconfigStage> stage) {
  KconfigRules rules;
  for (const auto& name : kconfig_rule_file_names(arch, stage ? *stage : kconfig_stage_for(kernel), kernel))
    if (auto err = rules.add_file(name, rule_text(files, name))) throw std::runtime_error("kconfig rules: " + *err);
  return rules;
}

KconfigResult resolve_kconfig(const KconfigRuleFiles& files, Arch arch, const KernelVersion& kernel,
                              const std::map<std::string, KUserValue, std::less<>>& user,
                              std::optional<KconfigStage> stage, const KconfigBaseConfig* base) {
  KconfigRules rules = load_kconfig_rules(files, arch, kernel, stage);
  return resolve_kconfig(files, rules, arch, kernel, user, stage, base);
}

KconfigResult resolve_kconfig(const KconfigRuleFiles& files, const KconfigRules& rules, Arch arch,
                              const KernelVersion& kernel, const std::map<std::string, KUserValue, std::less<>>& user,
                              std::optional<KconfigStage> stage, const KconfigBaseConfig* base) {
  KconfigResult r;
  r.arch = arch;
  r.kernel = kernel;
  r.stage = stage ? *stage : kconfig_stage_for(kernel);
  auto text_of = [&](std::string_view name) { return rule_text(files, name); };

  std::map<std::string, KUserValue, std::less<>> values;
  // Where each base line came from, for the contradiction check: symbol -> (file value, line).
  std::map<std::string, std::pair<std::string, int>, std::less<>> base_lines;
  if (base) {
    r.base = base->label;
    const auto& f = base->fragment;
    for (std::size_t i = 0; i < f.values.size(); ++i) {
      const auto& [name, value] = f.values[i];
      int line = i < f.lines.size() ? f.lines[i] : 0;
      values[name] = KUserValue{value, base->label + ":" + std::to_string(line), false};
      base_lines[name] = {value, line};
    }
  } else {
    KConfigFragment distro = parse_config_fragment(kDistroDom0Config, text_of(kDistroDom0Config));
    if (distro.error) throw std::runtime_error("kconfig base config: " + *distro.error);
    for (auto& [name, value] : distro.values) values[name] = KUserValue{value, "distro dom0 config", false};
  }
  for (const auto& [name, u] : user) {
    std::string n = name.rfind("CONFIG_", 0) == 0 ? name.substr(7) : name;
    values[n] = u;
    base_lines.erase(n);
  }

  Kconfig k(rules, std::move(values), {{"ARCH", std::string(arch_name(arch))}});
  r.symbols = k.all();
  r.warnings = k.warnings();
  // A base line this kernel's rules resolve differently: the file was written for another version or
  // arch, or edited by hand (olddefconfig would silently rewrite it). Lines for symbols the rule set
  // does not model are not judged.
  for (const auto& [name, fv] : base_lines) {
    const KSymbolDef* d = rules.find(name);
    if (!d) continue;
    KValue got = k.value(name);
    bool same = false;
    if (d->type == KSymType::integer) {
      long long want = 0;
      auto [p, ec] = std::from_chars(fv.first.data(), fv.first.data() + fv.first.size(), want);
      same = got.number ? (ec == std::errc{} && p == fv.first.data() + fv.first.size() && want == *got.number)
                        : fv.first == "n";
    } else {
      same = got.text() == fv.first;
    }
    if (same) continue;
    std::vector<std::string> why = k.explain(name);
    std::string reason = why.empty() ? std::string() : why.front();
    if (auto colon = reason.find(": "); colon != std::string::npos) reason = reason.substr(colon + 2);
    std::string shown = fv.first == "n" ? "# CONFIG_" + name + " is not set" : "CONFIG_" + name + "=" + fv.first;
    std::string msg = base->label + ":" + std::to_string(fv.second) + ": " + shown + " contradicts kernel " +
                      kernel.str() + " (" + std::string(arch_name(arch)) + "), which gives " + name + "=" +
                      got.text() + (reason.empty() ? "" : ": " + reason);
    r.contradictions.push_back(msg);
    r.warnings.push_back(msg);
  }
  if (rules.find("XEN_UNPOPULATED_ALLOC"))
    r.explanation = k.explain("XEN_UNPOPULATED_ALLOC");
  else
    r.explanation = {
        "XEN_UNPOPULATED_ALLOC=n: the symbol does not exist before 5.9-rc4 (added by 9e2369c06c8a); "
        "callers use alloc_xenballooned_pages()"};
  return r;
}

KconfigResult resolve_kconfig(const KconfigRuleFiles& files, Arch arch, const KernelVersion& kernel,
                              const std::map<std::string, std::string>& overrides, std::string_view origin,
                              std::optional<KconfigStage> stage, const KconfigBaseConfig* base) {
  std::map<std::string, KUserValue, std::less<>> user;
  for (const auto& [name, value] : overrides) user[name] = KUserValue{value, std::string(origin), true};
  return resolve_kconfig(files, arch, kernel, user, stage, base);
}

}  // namespace gm
