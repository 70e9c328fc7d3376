// Kconfig expressions and tristate logic: `&&`, `||`, `!`, `=`, `!=`, parentheses over symbols and
// constants, evaluated the way scripts/kconfig/expr.c@v6.12 does (n < m < y; && = min, || = max,
// ! = 2 - x; `=` compares values as strings, or as numbers when both sides are numbers).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace gm {

enum class Tristate : std::uint8_t { n = 0, m = 1, y = 2 };

constexpr Tristate tri_and(Tristate a, Tristate b) { return a < b ? a : b; }
constexpr Tristate tri_or(Tristate a, Tristate b) { return a < b ? b : a; }
constexpr Tristate tri_not(Tristate a) { return static_cast<Tristate>(2 - static_cast<int>(a)); }
constexpr std::string_view tri_name(Tristate t) { return t == Tristate::y ? "y" : t == Tristate::m ? "m" : "n"; }
std::optional<Tristate> parse_tristate(std::string_view s);

// One node of an expression tree; immutable and shared between the properties that use it.
struct KExpr {
  enum class Op { symbol, not_, and_, or_, equal, unequal };
  Op op = Op::symbol;
  std::string name;     // Op::symbol: a symbol name, or a constant ("y", "512", a quoted string)
  bool quoted = false;  // Op::symbol: the name was a "quoted" constant, never a symbol
  std::shared_ptr<const KExpr> a, b;
};
using KExprPtr = std::shared_ptr<const KExpr>;

KExprPtr kexpr_symbol(std::string name, bool quoted = false);
KExprPtr kexpr_not(KExprPtr a);
KExprPtr kexpr_and(KExprPtr a, KExprPtr b);  // null operands mean "y" and are dropped
KExprPtr kexpr_or(KExprPtr a, KExprPtr b);

// What an expression sees of a symbol: its tristate value (n for int symbols, as Kconfig does in a
// boolean context) and its string value ("y", "m", "n", "512", "" when an int is unset).
struct KSymbolView {
  Tristate tri = Tristate::n;
  std::string text;
};
using KLookup = std::function<KSymbolView(std::string_view name)>;

// Contract: a null expression is "y"; constants y/m/n are themselves, other constants are n;
// `lookup` is called for every non-constant symbol the evaluation reaches.
Tristate kexpr_eval(const KExprPtr& e, const KLookup& lookup);
// The string value of an operand of `=` / `!=` (a constant's text, a symbol's text).
std::string kexpr_text(const KExprPtr& e, const KLookup& lookup);

// Kconfig source form with the fewest parentheses. With `annotate`, every non-constant symbol is
// followed by " [=VALUE]" as menuconfig prints dependencies.
std::string kexpr_str(const KExprPtr& e, const KLookup* annotate = nullptr);

// Parses an expression starting at text[pos]; stops before the keyword `if`, at end of text or at a
// `#` comment. On success `pos` is past the expression. On failure returns null and sets `error`
// ("expected a symbol, found ')'") and `pos` to the offending column.
KExprPtr parse_kconfig_expr(std::string_view text, std::size_t& pos, std::string& error);

}  // namespace gm
