// A set of Kconfig symbol definitions parsed from rule files written in a subset of the Kconfig
// language (Documentation/kbuild/kconfig-language.rst@v6.12): config/menuconfig with bool, tristate,
// int, def_bool, def_tristate, prompt, depends on, select, default, range, help; menu/endmenu with
// `depends on`, if/endif, comment. Also reads .config fragments (CONFIG_X=y, "# CONFIG_X is not set").
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "models/kconfig_expr.h"

namespace gm {

enum class KSymType { boolean, tristate, integer };
constexpr std::string_view ksym_type_name(KSymType t) {
  return t == KSymType::boolean ? "bool" : t == KSymType::tristate ? "tristate" : "int";
}

// One `default VALUE [if COND]`, `select SYM [if COND]` or `range LO HI [if COND]`; `cond` null = y.
struct KDefault {
  KExprPtr value;
  KExprPtr cond;
};
struct KSelect {
  std::string target;
  KExprPtr cond;
};
struct KRange {
  std::string lo, hi;
  KExprPtr cond;
};

// Everything a `config` entry says about one symbol. `depends` already includes the dependencies of
// the enclosing menus and if-blocks, as scripts/kconfig/menu.c@v6.12 menu_finalize() propagates them.
struct KSymbolDef {
  std::string name;
  KSymType type = KSymType::boolean;
  bool has_prompt = false;
  KExprPtr prompt_cond;  // `prompt "..." if COND`
  KExprPtr depends;      // null = no dependency (y)
  std::vector<KDefault> defaults;
  std::vector<KSelect> selects;
  std::vector<KRange> ranges;
  std::string origin;  // "file:line" of the `config` line
};

// Where a select points back from: `selector` selects the symbol when `cond` holds; the selector's own
// `depends` takes part too (scripts/kconfig/menu.c@v6.12 builds rev_dep from the select's visibility).
struct KReverseDep {
  std::string selector;
  KExprPtr cond;
};

// The symbol table of one configuration (several rule files merged, each symbol defined once).
class KconfigRules {
 public:
  const KSymbolDef* find(std::string_view name) const;
  const std::vector<KSymbolDef>& symbols() const { return symbols_; }
  const std::vector<KReverseDep>& selected_by(std::string_view name) const;
  std::vector<std::string> files() const { return files_; }

  // Parses one rule file into this table. Returns "FILE:LINE:COL: found X, expected Y" on the first
  // error (the table then holds everything before it).
  std::optional<std::string> add_file(std::string_view file_name, std::string_view text);

 private:
  std::vector<KSymbolDef> symbols_;
  std::map<std::string, std::size_t, std::less<>> index_;
  std::map<std::string, std::vector<KReverseDep>, std::less<>> reverse_;
  std::vector<std::string> files_;
};

// A .config fragment: symbol (without CONFIG_) -> value text. Returns the error line on bad syntax.
// Accepts what scripts/kconfig/confdata.c@v6.12 conf_write() produces: `CONFIG_NAME=VALUE` (VALUE y, m,
// a number, 0x-hex or a "quoted string"), `# CONFIG_NAME is not set`, other comments, blank lines.
struct KConfigFragment {
  std::vector<std::pair<std::string, std::string>> values;  // in file order
  std::vector<int> lines;                                   // line number of each value
  std::optional<std::string> error;
};
KConfigFragment parse_config_fragment(std::string_view file_name, std::string_view text);

}  // namespace gm
