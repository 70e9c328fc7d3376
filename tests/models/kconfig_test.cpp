// The Kconfig resolver on small hand-written rule sets: user values against visibility, defaults,
// `select` overriding `depends on` (with Kconfig's warning), prompt-less symbols, ints, explanations
// (scripts/kconfig/symbol.c@v6.12 sym_calc_value), and the rule-file parser's errors.
#include "models/kconfig.h"

#include <gtest/gtest.h>

namespace gm {
namespace {

KconfigRules rules_of(std::string_view text) {
  KconfigRules r;
  auto err = r.add_file("test.kconfig", text);
  EXPECT_FALSE(err) << *err;
  return r;
}

std::map<std::string, KUserValue, std::less<>> user(std::initializer_list<std::pair<const char*, const char*>> kv) {
  std::map<std::string, KUserValue, std::less<>> u;
  for (auto [k, v] : kv) u[k] = KUserValue{v, "--set", true};
  return u;
}

bool contains(const std::vector<std::string>& lines, std::string_view needle) {
  for (const auto& l : lines)
    if (l.find(needle) != std::string::npos) return true;
  return false;
}

constexpr std::string_view kTristates = R"(
config MODS
	tristate "modules"

config DRV
	tristate "driver"
	depends on MODS

config FEATURE
	bool "feature"
	depends on MODS
)";

TEST(KconfigTest, DependsOnLimitsATristateToItsDependency) {
  auto r = rules_of(kTristates);
  Kconfig k(r, user({{"MODS", "m"}, {"DRV", "y"}, {"FEATURE", "y"}}));
  EXPECT_EQ(k.tri("MODS"), Tristate::m);
  EXPECT_EQ(k.tri("DRV"), Tristate::m);      // y requested, visibility m
  EXPECT_EQ(k.tri("FEATURE"), Tristate::y);  // a bool visible at m may be y
  EXPECT_TRUE(contains(k.warnings(), "DRV: value requested y (--set), actual value m"));
  EXPECT_EQ(k.explain("DRV").front(), "DRV=m: set to y (--set), limited by depends on MODS [=m]");
}

TEST(KconfigTest, UnmetDependencyDropsTheUserValue) {
  auto r = rules_of(kTristates);
  Kconfig k(r, user({{"MODS", "n"}, {"DRV", "m"}}));
  EXPECT_EQ(k.tri("DRV"), Tristate::n);
  auto why = k.explain("DRV");
  ASSERT_EQ(why.size(), 2u);
  EXPECT_EQ(why[0], "DRV=n: set to m (--set), but depends on MODS [=n]");
  EXPECT_EQ(why[1], "MODS=n: set to n (--set)");
}

constexpr std::string_view kSelect = R"(
config DEP
	bool "dependency"

config TARGET
	bool "target"
	depends on DEP

config SELECTOR
	bool "selector"
	select TARGET

config TRI_TARGET
	tristate

config TRI_SELECTOR
	tristate "tristate selector"
	select TRI_TARGET if DEP
)";

TEST(KconfigTest, SelectOverridesDependsOnWithKconfigsWarning) {
  auto r = rules_of(kSelect);
  Kconfig k(r, user({{"SELECTOR", "y"}, {"DEP", "n"}}));
  EXPECT_EQ(k.tri("TARGET"), Tristate::y);  // forced on although DEP=n
  auto w = k.warnings();
  ASSERT_EQ(w.size(), 1u);
  EXPECT_EQ(w[0],
            "WARNING: unmet direct dependencies detected for TARGET: depends on [n]: DEP [=n]; selected by [y]: "
            "SELECTOR [=y]");
  EXPECT_EQ(k.explain("TARGET").front(),
            "TARGET=y: selected by SELECTOR [=y], despite unmet direct dependencies: "
            "depends on DEP [=n]");
}

TEST(KconfigTest, SelectCarriesTheSelectorsTristateAndCondition) {
  auto r = rules_of(kSelect);
  Kconfig on(r, user({{"TRI_SELECTOR", "m"}, {"DEP", "y"}}));
  EXPECT_EQ(on.tri("TRI_TARGET"), Tristate::m);
  Kconfig off(r, user({{"TRI_SELECTOR", "y"}, {"DEP", "n"}}));
  EXPECT_EQ(off.tri("TRI_TARGET"), Tristate::n);  // `select ... if DEP` does not fire
  EXPECT_TRUE(off.warnings().empty());
}

constexpr std::string_view kDefaults = R"(
config ARCH_X
	def_bool y

config OTHER
	bool "other"

config HIDDEN
	bool
	default m if OTHER
	default y if ARCH_X

config CHOSEN
	tristate "chosen"
	default OTHER || HIDDEN

config LIMIT
	int "limit"
	default 512
	range 16 256
	depends on OTHER
)";

TEST(KconfigTest, FirstDefaultWhoseConditionHoldsWins) {
  auto r = rules_of(kDefaults);
  Kconfig k(r, user({{"OTHER", "y"}}));
  EXPECT_EQ(k.tri("HIDDEN"), Tristate::y);  // `default m if OTHER`: a bool takes m as y
  Kconfig k2(r, user({}));
  EXPECT_EQ(k2.tri("HIDDEN"), Tristate::y);
  EXPECT_EQ(k2.explain("HIDDEN").front(), "HIDDEN=y: default y if ARCH_X [=y]");
  EXPECT_EQ(k2.tri("CHOSEN"), Tristate::y);
  EXPECT_EQ(k2.explain("CHOSEN")[0], "CHOSEN=y: default OTHER [=n] || HIDDEN [=y]");
  EXPECT_EQ(k2.explain("CHOSEN")[1], "HIDDEN=y: default y if ARCH_X [=y]");  // only the true operand
}

TEST(KconfigTest, SymbolsWithoutPromptIgnoreUserValuesWithAWarning) {
  auto r = rules_of(kDefaults);
  Kconfig k(r, user({{"HIDDEN", "n"}}));
  EXPECT_EQ(k.tri("HIDDEN"), Tristate::y);
  EXPECT_TRUE(contains(k.warnings(), "HIDDEN: user value n (--set) ignored: the symbol has no prompt"));
  EXPECT_TRUE(contains(k.explain("HIDDEN"), "(the value n (--set) is ignored: no prompt)"));
}

TEST(KconfigTest, IntsTakeDefaultsRangesAndVanishWithTheirDependencies) {
  auto r = rules_of(kDefaults);
  EXPECT_EQ(Kconfig(r, user({{"OTHER", "y"}})).value("LIMIT").number, 256);  // default 512 clamped by range
  EXPECT_EQ(Kconfig(r, user({{"OTHER", "y"}, {"LIMIT", "100"}})).value("LIMIT").number, 100);
  EXPECT_EQ(Kconfig(r, user({{"OTHER", "y"}, {"LIMIT", "9"}})).value("LIMIT").number, 16);
  KValue unset = Kconfig(r, user({{"LIMIT", "100"}})).value("LIMIT");
  EXPECT_FALSE(unset.number);
  EXPECT_EQ(unset.text(), "n");
}

TEST(KconfigTest, InvalidAndUnknownUserValuesAreWarnedAndIgnored) {
  auto r = rules_of(kDefaults);
  Kconfig k(r, user({{"OTHER", "m"}, {"CHOSN", "y"}, {"LIMIT", "lots"}}));
  EXPECT_EQ(k.tri("OTHER"), Tristate::n);
  auto w = k.warnings();
  EXPECT_TRUE(contains(w, "symbol value 'm' invalid for OTHER (bool, --set)"));
  EXPECT_TRUE(contains(w, "CHOSN: unknown symbol (--set), value ignored; did you mean CHOSEN?"));
  EXPECT_TRUE(contains(w, "symbol value 'lots' invalid for LIMIT (int, --set)"));
}

TEST(KconfigTest, BaseConfigValuesNeverWarn) {
  auto r = rules_of(kDefaults);
  std::map<std::string, KUserValue, std::less<>> u;
  u["HIDDEN"] = KUserValue{"n", "distro dom0 config", false};
  u["NOT_HERE"] = KUserValue{"y", "distro dom0 config", false};
  EXPECT_TRUE(Kconfig(r, u).warnings().empty());
}

TEST(KconfigTest, MenuAndIfDependenciesReachEverySymbolInside) {
  auto r = rules_of(R"(
config GATE
	bool "gate"

menu "Inside"
	depends on GATE

if !OFF
config INNER
	bool "inner"
	default y
	help
	  Help text is skipped,
	    even when indented deeper.

endif
endmenu
)");
  EXPECT_EQ(kexpr_str(r.find("INNER")->depends), "GATE && !OFF");
  EXPECT_EQ(Kconfig(r, user({{"GATE", "y"}})).tri("INNER"), Tristate::y);
  EXPECT_EQ(Kconfig(r, user({{"GATE", "n"}, {"INNER", "y"}})).tri("INNER"), Tristate::n);
}

TEST(KconfigTest, RecursiveDependencyReadsNAndWarns) {
  auto r = rules_of(
      "config A\n\tbool \"a\"\n\tdepends on B\n\tdefault y\nconfig B\n\tbool \"b\"\n\tdepends on A\n"
      "\tdefault y\n");
  Kconfig k(r, user({}));
  EXPECT_EQ(k.tri("A"), Tristate::n);
  EXPECT_TRUE(contains(k.warnings(), "recursive dependency detected"));
}

TEST(KconfigRulesParserTest, ErrorsNameFileLineColumnFoundAndExpected) {
  struct Case {
    const char* text;
    const char* error;
  };
  for (auto c : {Case{"config A\n\tbool \"a\"\n\tdepends A\n", "test.kconfig:3:10: found 'A', expected 'on'"},
                 Case{"config A\n\tboolean\n", "test.kconfig:2:2: found 'boolean', expected a config property"},
                 Case{"config A\n\tbool\nconfig A\n\tbool\n",
                      "test.kconfig:3:1: symbol A is defined twice (first at test.kconfig:1)"},
                 Case{"config A\n\tdefault y\nconfig B\n\tbool\n", "test.kconfig:1:1: symbol A has no type"},
                 Case{"menu \"m\"\nconfig A\n\tbool\n", "found end of line, expected 'endmenu'"},
                 Case{"source \"x\"\n", "test.kconfig:1:1: found 'source', expected 'config'"},
                 Case{"config A\n\tbool \"a\" if B &&\n", "test.kconfig:2:18: found end of line, expected a symbol"}}) {
    KconfigRules r;
    auto err = r.add_file("test.kconfig", c.text);
    ASSERT_TRUE(err) << c.text;
    EXPECT_NE(err->find(c.error), std::string::npos) << *err;
  }
}

TEST(KconfigRulesParserTest, ReadsConfigFragments) {
  auto f = parse_config_fragment("x.config", "# a comment\nCONFIG_A=y\n# CONFIG_B is not set\n\nCONFIG_LIMIT=512\n");
  ASSERT_FALSE(f.error);
  ASSERT_EQ(f.values.size(), 3u);
  EXPECT_EQ(f.values[1], (std::pair<std::string, std::string>{"B", "n"}));
  EXPECT_EQ(f.values[2].second, "512");
  auto bad = parse_config_fragment("x.config", "A=y\n");
  ASSERT_TRUE(bad.error);
  EXPECT_EQ(*bad.error, "x.config:1:1: found 'A=y', expected CONFIG_NAME=VALUE or '# CONFIG_NAME is not set'");
}

TEST(KconfigRulesParserTest, ConfigFragmentsKeepLineNumbersAndRefuseBrokenLines) {
  auto f = parse_config_fragment("x.config", "#\n# Linux/x86 6.1.176 Kernel Configuration\nCONFIG_CC_VERSION_TEXT=\"gcc 12\"\n\n"
                                             "# CONFIG_B is not set\nCONFIG_HEX=0x100\n");
  ASSERT_FALSE(f.error) << *f.error;
  ASSERT_EQ(f.values.size(), 3u);
  EXPECT_EQ(f.lines, (std::vector<int>{3, 5, 6}));
  EXPECT_EQ(f.values[0].second, "\"gcc 12\"");
  auto empty = parse_config_fragment("x.config", "CONFIG_A=y\nCONFIG_B=\n");
  ASSERT_TRUE(empty.error);
  EXPECT_EQ(*empty.error, "x.config:2:1: found 'CONFIG_B=', expected a value after '=' (y, m, a number or a \"string\")");
  auto name = parse_config_fragment("x.config", "CONFIG_A B=y\n");
  ASSERT_TRUE(name.error);
  EXPECT_NE(name.error->find("x.config:1:1: found 'CONFIG_A B=y', expected a symbol name"), std::string::npos);
  auto quote = parse_config_fragment("x.config", "\n\nCONFIG_S=\"open\n");
  ASSERT_TRUE(quote.error);
  EXPECT_NE(quote.error->find("x.config:3:1:"), std::string::npos);
}

}  // namespace
}  // namespace gm
