// Kconfig resolution: values of every symbol of a rule set from user values (a .config fragment and
// overrides), with the semantics of scripts/kconfig/symbol.c@v6.12 sym_calc_value(), warnings as
// Kconfig prints them, and an explanation chain saying why a symbol has its value.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "models/kconfig_rules.h"

namespace gm {

// Where a user value came from, for explanations ("distro dom0 config", "--set", "scenario").
struct KUserValue {
  std::string value;
  std::string origin;
  bool warn = true;  // false for a base .config (olddefconfig is silent about its stale lines)
};

// The resolved value of one symbol.
struct KValue {
  KSymType type = KSymType::boolean;
  Tristate tri = Tristate::n;       // bool/tristate value; n for int
  std::optional<long long> number;  // int value; nullopt = not set (unmet dependencies)
  std::string text() const;         // "y", "m", "n", "512"; an unset int reads "n"
};

// Contract: construct with the rules and the user values (symbol -> value); every symbol's value is
// computed once, lazily, in dependency order. Symbols the rules do not define read n.
class Kconfig {
 public:
  // `pinned` are constants the build sets outside Kconfig (the ARCH make variable).
  Kconfig(const KconfigRules& rules, std::map<std::string, KUserValue, std::less<>> user,
          std::map<std::string, std::string, std::less<>> pinned = {});

  KValue value(std::string_view name) const;
  Tristate tri(std::string_view name) const { return value(name).tri; }
  bool defined(std::string_view name) const;
  const KconfigRules& rules() const { return rules_; }

  // Every symbol's value, in rule order.
  std::vector<std::pair<std::string, KValue>> all() const;
  // Kconfig's warnings: select overriding `depends on`, user values for symbols without a prompt,
  // invalid or unknown user values, requested values that did not stick (merge_config.sh style).
  std::vector<std::string> warnings() const;
  // Why `name` has its value, one line per symbol, the asked symbol first, then the symbols that
  // decided it (depth-first, each once), e.g. "XEN_UNPOPULATED_ALLOC=n: depends on X86 [=n] && ...".
  std::vector<std::string> explain(std::string_view name) const;

 private:
  // How compute() reached the value, kept for explain().
  enum class Source { none, user, user_invisible, default_value, no_default, deps_unmet };
  struct State {
    bool busy = false, done = false;
    KValue v;
    Source source = Source::none;
    Tristate own = Tristate::n, dir = Tristate::y, rev = Tristate::n;
    const KDefault* used_default = nullptr;
    bool user_ignored_no_prompt = false;
  };
  const KValue& calc(std::string_view name) const;
  void compute(const KSymbolDef& d, State& s) const;
  std::optional<Tristate> user_tri(const KSymbolDef& d) const;
  KSymbolView view(std::string_view name) const;
  Tristate eval(const KExprPtr& e) const;
  std::string annotated(const KExprPtr& e) const;
  Tristate rev_dep(const KSymbolDef& d) const;
  void explain_into(std::string_view name, std::vector<std::string>& out, std::set<std::string, std::less<>>& seen,
                    int depth) const;
  std::vector<std::string> culprits(const KExprPtr& e, bool want_true) const;

  const KconfigRules& rules_;
  std::map<std::string, KUserValue, std::less<>> user_;
  std::map<std::string, std::string, std::less<>> pinned_;
  mutable std::map<std::string, State, std::less<>> state_;
  mutable std::vector<std::string> unmet_;  // symbols selected despite unmet dependencies, in order
  mutable std::vector<std::string> recursive_;
};

}  // namespace gm
