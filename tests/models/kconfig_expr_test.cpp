// Kconfig expressions: tristate logic, comparisons, parsing and printing (scripts/kconfig/expr.c@v6.12).
#include "models/kconfig_expr.h"

#include <gtest/gtest.h>

#include <map>

namespace gm {
namespace {

struct Env {
  std::map<std::string, KSymbolView, std::less<>> syms;
  KLookup lookup() const {
    return [this](std::string_view n) {
      auto it = syms.find(n);
      return it == syms.end() ? KSymbolView{Tristate::n, "n"} : it->second;
    };
  }
};

KExprPtr parse(std::string_view text) {
  std::size_t pos = 0;
  std::string err;
  auto e = parse_kconfig_expr(text, pos, err);
  EXPECT_TRUE(e) << text << ": " << err;
  return e;
}

Tristate eval(std::string_view text, const Env& env) { return kexpr_eval(parse(text), env.lookup()); }

TEST(KconfigExprTest, TristateTablesAreMinMaxAndComplement) {
  using T = Tristate;
  EXPECT_EQ(tri_and(T::y, T::m), T::m);
  EXPECT_EQ(tri_and(T::m, T::n), T::n);
  EXPECT_EQ(tri_or(T::m, T::n), T::m);
  EXPECT_EQ(tri_or(T::m, T::y), T::y);
  EXPECT_EQ(tri_not(T::y), T::n);
  EXPECT_EQ(tri_not(T::m), T::m);  // !m is m: a module-only dependency stays module-only
  EXPECT_EQ(tri_not(T::n), T::y);
}

TEST(KconfigExprTest, EvaluatesSymbolsWithTristateSemantics) {
  Env env;
  env.syms["A"] = {Tristate::y, "y"};
  env.syms["B"] = {Tristate::m, "m"};
  EXPECT_EQ(eval("A && B", env), Tristate::m);
  EXPECT_EQ(eval("A && !B", env), Tristate::m);
  EXPECT_EQ(eval("!A || B", env), Tristate::m);
  EXPECT_EQ(eval("A && (UNDEFINED || B)", env), Tristate::m);
  EXPECT_EQ(eval("UNDEFINED", env), Tristate::n);
  EXPECT_EQ(eval("!UNDEFINED && A", env), Tristate::y);
  EXPECT_EQ(eval("m", env), Tristate::m);  // bare y/m/n are constants
  EXPECT_EQ(eval("y && n", env), Tristate::n);
}

TEST(KconfigExprTest, ComparesAsStringsOrNumbers) {
  Env env;
  env.syms["ARCH"] = {Tristate::n, "i386"};
  env.syms["LIMIT"] = {Tristate::n, "512"};
  env.syms["B"] = {Tristate::m, "m"};
  EXPECT_EQ(eval("ARCH = \"i386\"", env), Tristate::y);
  EXPECT_EQ(eval("ARCH != \"i386\"", env), Tristate::n);
  EXPECT_EQ(eval("LIMIT = 0x200", env), Tristate::y);  // both numbers: compared as numbers
  EXPECT_EQ(eval("B = m", env), Tristate::y);
  EXPECT_EQ(eval("!B = y", env), Tristate::y);  // ! applies to the comparison (parser.y precedence)
  EXPECT_EQ(eval("512", env), Tristate::n);     // a number is n in a boolean context
}

TEST(KconfigExprTest, PrintsWithMinimalParenthesesAndAnnotations) {
  EXPECT_EQ(kexpr_str(parse("A && (B || C) && !D")), "A && (B || C) && !D");
  EXPECT_EQ(kexpr_str(parse("(A && B) || C")), "A && B || C");
  EXPECT_EQ(kexpr_str(parse("!(A || B)")), "!(A || B)");
  EXPECT_EQ(kexpr_str(parse("ARCH != \"i386\"")), "ARCH != \"i386\"");
  Env env;
  env.syms["X86"] = {Tristate::n, "n"};
  KLookup look = env.lookup();
  EXPECT_EQ(kexpr_str(parse("X86 && y"), &look), "X86 [=n] && y");
}

TEST(KconfigExprTest, StopsBeforeIfAndComments) {
  std::size_t pos = 0;
  std::string err;
  std::string_view text = "A || B if C";
  auto e = parse_kconfig_expr(text, pos, err);
  ASSERT_TRUE(e);
  EXPECT_EQ(text.substr(pos), "if C");  // trailing blanks are consumed
  pos = 0;
  ASSERT_TRUE(parse_kconfig_expr("IFFY # comment", pos, err));
  EXPECT_EQ(pos, 5u);
}

TEST(KconfigExprTest, ReportsWhatWasFoundAndExpected) {
  for (auto [text, msg, col] : {std::tuple{"A &&", "found end of line, expected a symbol or constant", 4u},
                                std::tuple{"(A || B", "found end of line, expected ')'", 7u},
                                std::tuple{"A < B", "relational operators are not supported", 2u},
                                std::tuple{"&& B", "found '&', expected a symbol or constant", 0u}}) {
    std::size_t pos = 0;
    std::string err;
    EXPECT_FALSE(parse_kconfig_expr(text, pos, err)) << text;
    EXPECT_NE(err.find(msg), std::string::npos) << text << " -> " << err;
    EXPECT_EQ(pos, col) << text;
  }
}

}  // namespace
}  // namespace gm
