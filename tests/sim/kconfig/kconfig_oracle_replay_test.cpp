// Replays the truth tables of the Kconfig oracle (tests/kconfig_oracle, `make kconfig-oracle`): each
// row is one configuration the kernel's own scripts/kconfig resolved (`conf --olddefconfig` on
// Debian's config with the row's assignments); guestmem's evaluator must give every compared symbol
// the same value from the same input, with no kernel sources at hand. The tables live in
// tests/data/kconfig/oracle-*.txt, the trimmed Debian configs they start from next to them
// (debian-*.config); GUESTMEM_KCONFIG_ORACLE_DIR / GUESTMEM_KCONFIG_FIXTURE_DIR point the test at
// freshly generated ones (run.sh does).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "sim/kconfig/kconfig_embedded.h"
#include "sim/kconfig/kconfig_file.h"
#include "tests/support/run_cli.h"

namespace gm {
namespace {

namespace fs = std::filesystem;

fs::path dir_from_env(const char* var) {
  const char* v = std::getenv(var);
  return v && *v ? fs::path(v) : test::data_path("kconfig");
}

struct Table {
  std::string name, kernel, arch, seed;
  std::vector<std::string> inputs, tristates, ints;
  struct Row {
    std::string codes, tri;
    std::vector<std::string> ints;
    int line = 0;
  };
  std::vector<Row> rows;
};

Table read_table(const fs::path& p) {
  Table t;
  t.name = p.filename().string();
  std::ifstream in(p);
  std::string line;
  int n = 0;
  auto words = [](const std::string& s) {
    std::istringstream ss(s);
    std::vector<std::string> w;
    for (std::string x; ss >> x;) w.push_back(x);
    return w;
  };
  while (std::getline(in, line)) {
    ++n;
    if (line.empty() || line[0] == '#') continue;
    auto w = words(line);
    std::string key = w.front();
    std::vector<std::string> rest(w.begin() + 1, w.end());
    if (key == "kernel") t.kernel = rest.at(0);
    else if (key == "arch") t.arch = rest.at(0);
    else if (key == "seed") t.seed = rest.at(0);
    else if (key == "inputs") t.inputs = rest;
    else if (key == "tristates") t.tristates = rest;
    else if (key == "ints") t.ints = rest;
    else {
      Table::Row r;
      r.codes = key;
      r.tri = rest.at(0);
      r.ints.assign(rest.begin() + 1, rest.end());
      r.line = n;
      t.rows.push_back(r);
    }
  }
  return t;
}

// The fixture with one row's assignments: s keeps the seed line, y/m/n set it, - removes it.
KconfigBaseConfig row_base(const KconfigFile& seed, const Table& t, const Table::Row& r) {
  KconfigBaseConfig b;
  b.label = seed.base.label;
  std::map<std::string, char> want;
  for (std::size_t i = 0; i < t.inputs.size(); ++i)
    if (r.codes.at(i) != 's') want[t.inputs[i]] = r.codes[i];
  const auto& f = seed.base.fragment;
  for (std::size_t i = 0; i < f.values.size(); ++i) {
    if (want.count(f.values[i].first)) continue;
    b.fragment.values.push_back(f.values[i]);
    b.fragment.lines.push_back(f.lines[i]);
  }
  for (const auto& [name, c] : want) {
    if (c == '-') continue;
    b.fragment.values.emplace_back(name, std::string(1, c));
    b.fragment.lines.push_back(0);
  }
  return b;
}

// Replays one table; every symbol on which guestmem and conf disagree fails, with its first row.
void replay(const std::string& table) {
  fs::path p = dir_from_env("GUESTMEM_KCONFIG_ORACLE_DIR") / table;
  fs::path fixtures = dir_from_env("GUESTMEM_KCONFIG_FIXTURE_DIR");
  ASSERT_TRUE(fs::exists(p)) << p << " is missing (make kconfig-oracle UPDATE=1 writes it)";
  Table t = read_table(p);
  ASSERT_GE(t.rows.size(), 2000u) << p;
  ASSERT_EQ(t.tristates.size(), t.rows.front().tri.size()) << p;
  auto arch = parse_arch(t.arch);
  auto kernel = KernelVersion::parse(t.kernel);
  ASSERT_TRUE(arch && kernel) << p;
  KconfigFile seed = parse_kconfig_file(t.seed, test::read_file(fixtures / t.seed));
  KconfigRules rules = load_kconfig_rules(embedded_kconfig_rules(), *arch, *kernel);
  // symbol -> (disagreements, first example)
  std::map<std::string, std::pair<std::size_t, std::string>> diff;
  for (const auto& r : t.rows) {
    KconfigBaseConfig base = row_base(seed, t, r);
    KconfigResult got = resolve_kconfig(embedded_kconfig_rules(), rules, *arch, *kernel, {}, std::nullopt, &base);
    auto check = [&](const std::string& sym, const std::string& conf) {
      std::string mine = got.text(sym);
      if (mine == conf) return;
      auto& d = diff[sym];
      if (d.first++ == 0)
        d.second = t.name + ":" + std::to_string(r.line) + " (" + r.codes + "): conf gives " + sym + "=" + conf +
                   ", guestmem " + mine + "; " + (got.explanation.empty() ? "" : got.explanation.front());
    };
    for (std::size_t i = 0; i < t.tristates.size(); ++i) check(t.tristates[i], std::string(1, r.tri[i]));
    for (std::size_t i = 0; i < t.ints.size(); ++i) check(t.ints[i], r.ints.at(i));
  }
  for (const auto& [sym, d] : diff)
    ADD_FAILURE() << d.first << " of " << t.rows.size() << " rows disagree on " << sym << ", first: " << d.second;
  std::cout << t.name << ": " << t.rows.size() << " configurations, " << t.tristates.size() + t.ints.size()
            << " symbols compared, " << diff.size() << " symbol(s) with disagreements\n";
}

TEST(KconfigOracleReplayTest, Kernel61X86_64) { replay("oracle-6.1-x86_64.txt"); }
TEST(KconfigOracleReplayTest, Kernel61I386) { replay("oracle-6.1-i386.txt"); }
TEST(KconfigOracleReplayTest, Kernel61Arm64) { replay("oracle-6.1-arm64.txt"); }
TEST(KconfigOracleReplayTest, Kernel612X86_64) { replay("oracle-6.12-x86_64.txt"); }
TEST(KconfigOracleReplayTest, Kernel612I386) { replay("oracle-6.12-i386.txt"); }
TEST(KconfigOracleReplayTest, Kernel612Arm64) { replay("oracle-6.12-arm64.txt"); }

// Row codes rewrite the seed as oracle.py does for conf: s keeps the line, n sets it, - removes it.
TEST(KconfigOracleReplayTest, RowCodesRewriteTheSeed) {
  Table t;
  t.name = "flipped";
  t.inputs = {"ZONE_DEVICE"};
  t.tristates = {"ZONE_DEVICE", "XEN_UNPOPULATED_ALLOC"};
  KconfigFile seed = parse_kconfig_file("debian-6.12-amd64.config",
                                        test::read_file(test::data_path("kconfig/debian-6.12-amd64.config")));
  KconfigRules rules = load_kconfig_rules(embedded_kconfig_rules(), Arch::x86_64, KernelVersion::from("6.12"));
  auto answer = [&](const std::string& codes) {
    Table::Row r{codes, "", {}, 0};
    KconfigBaseConfig base = row_base(seed, t, r);
    KconfigResult got =
        resolve_kconfig(embedded_kconfig_rules(), rules, Arch::x86_64, KernelVersion::from("6.12"), {}, std::nullopt, &base);
    return got.text("ZONE_DEVICE") + got.text("XEN_UNPOPULATED_ALLOC");
  };
  EXPECT_EQ(answer("s"), "yy");
  EXPECT_EQ(answer("n"), "nn");
  EXPECT_EQ(answer("-"), "nn");  // ZONE_DEVICE has no default
}

}  // namespace
}  // namespace gm
