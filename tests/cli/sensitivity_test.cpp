// `guestmem sensitivity` end to end on a small scenario whose cost file gives ranges to three parameters:
// sensitivity.json fields, the tornado plots, byte-identical JSON for --jobs 1 and 2, and bad input.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "tests/support/run_cli.h"

namespace gm::test {
namespace {

namespace fs = std::filesystem;

// What one `sensitivity` run left behind.
struct SensitivityOutput {
  RunResult result;
  std::string json;                // out/sensitivity.json
  std::vector<std::string> files;  // every file under the run's folder
  std::string variant_override;    // costs.overrides.grant_map_page in a grant_map_page-high report
  bool has(const std::string& f) const { return std::find(files.begin(), files.end(), f) != files.end(); }
};

SensitivityOutput run_small(const std::string& jobs) {
  TempDir tmp;
  SensitivityOutput o;
  o.result = run_guestmem({"sensitivity", data_path("sensitivity/small.json").string(), "--seeds", "2", "--jobs", jobs,
                           "--out", "out", "--format", "json"},
                          tmp.path());
  if (fs::exists(tmp / "out/sensitivity.json")) o.json = read_file(tmp / "out/sensitivity.json");
  o.files = tmp.files();
  fs::path variant = tmp / "out/grant_map_page-high/runs/unpopulated-seed6/report.json";
  if (fs::exists(variant))
    o.variant_override =
        nlohmann::json::parse(read_file(variant))
            .value(nlohmann::json::json_pointer("/scenario/costs/overrides/grant_map_page"), std::string());
  return o;
}

// One test, so the runs happen once (5 comparisons x 2 strategies x 2 seeds, twice: --jobs 1 and 2; ~35 s
// under ASan): byte-identical JSON, its fields, the files and the plots.
TEST(SensitivityCli, SmallScenarioEndToEnd) {
  SensitivityOutput one = run_small("1");
  SensitivityOutput two = run_small("2");
  ASSERT_EQ(one.result.exit_code, 0) << one.result.err;
  ASSERT_EQ(two.result.exit_code, 0) << two.result.err;
  ASSERT_FALSE(one.json.empty());
  EXPECT_EQ(one.json, two.json);
  EXPECT_EQ(one.result.out, two.result.out);
  EXPECT_EQ(one.result.out, one.json);  // --format json prints the document

  auto doc = nlohmann::json::parse(two.json);
  EXPECT_EQ(doc["schema_version"], 1);
  EXPECT_EQ(doc["seeds"], nlohmann::json::array({5, 6}));
  EXPECT_EQ(doc["scenario"]["name"], "sensitivity-small");
  ASSERT_EQ(doc["parameters"].size(), 19u);  // every parameter of the cost file, in its order
  std::map<std::string, nlohmann::json> by_name;
  for (const auto& p : doc["parameters"]) by_name[p["name"].get<std::string>()] = p;
  EXPECT_EQ(by_name["grant_map_page"]["status"], "varied");
  EXPECT_EQ(by_name["grant_map_page"]["low_ns"], 250);
  EXPECT_EQ(by_name["grant_map_page"]["default_ns"], 500);
  EXPECT_EQ(by_name["grant_map_page"]["high_ns"], 1500);
  EXPECT_EQ(by_name["grant_map_page"]["high_compare"], "grant_map_page-high/compare.json");
  EXPECT_EQ(by_name["rcu_grace_period"]["status"], "varied");
  EXPECT_EQ(by_name["migrate_page"]["status"], "not charged by this scenario");
  EXPECT_EQ(by_name["scrub_page"]["status"], "no range in the cost file");
  EXPECT_NE(std::find(doc["not_charged"].begin(), doc["not_charged"].end(), "migrate_page"), doc["not_charged"].end());
  for (const char* metric : {"latency_mean_ns", "latency_p50_ns", "latency_p99_ns", "alloc_latency_p99_ns",
                             "scratch_bytes", "memmap_bytes", "released_to_xen_pages"}) {
    const auto& m = by_name["grant_map_page"]["metrics"][metric];
    for (const char* end : {"low", "default", "high"}) EXPECT_TRUE(m[end].contains("ci95")) << metric << " " << end;
    EXPECT_TRUE(m["sign_flip"].is_boolean()) << metric;
    EXPECT_TRUE(m["significance_flip"].is_boolean()) << metric;
    EXPECT_TRUE(doc["verdict"][metric]["survives"].is_boolean()) << metric;
    EXPECT_TRUE(doc["baseline"]["deltas"][metric]["mean"].is_number()) << metric;
  }
  // The variant runs really ran with the parameter at its end: the scenario echo of their reports says so.
  EXPECT_EQ(two.variant_override, "1500 ns");

  for (const char* f : {"out/sensitivity.json", "out/baseline/compare.json", "out/grant_map_page-low/compare.json",
                        "out/grant_map_page-high/compare.json", "out/rcu_grace_period-low/compare.json",
                        "out/rcu_grace_period-high/compare.json", "out/tornado-latency_mean_ns.gp",
                        "out/tornado-latency_mean_ns.dat", "out/tornado-latency_p99_ns.gp"})
    EXPECT_TRUE(two.has(f)) << f;
  EXPECT_FALSE(two.has("out/migrate_page-low/compare.json"));  // not charged: not run
  EXPECT_FALSE(two.has("out/scrub_page-low/compare.json"));    // no range: not run
  if (two.result.err.find("gnuplot not found") == std::string::npos) {
    EXPECT_TRUE(two.has("out/tornado-latency_mean_ns.svg"));
    EXPECT_TRUE(two.has("out/tornado-latency_mean_ns.png"));
  }
  EXPECT_NE(two.result.err.find("not charged by this scenario, not varied: "), std::string::npos) << two.result.err;
}

TEST(SensitivityCliRuns, VariantRunsCarryTheCostOverride) {
  TempDir tmp;
  auto r = run_guestmem({"run", data_path("sensitivity/small.json").string(), "--strategy", "ballooned", "--cost",
                         "grant_map_page=1500 ns", "--out", "o", "--quiet"},
                        tmp.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto report = nlohmann::json::parse(read_file(tmp / "o/report.json"));
  EXPECT_EQ(report["scenario"]["costs"]["overrides"]["grant_map_page"], "1500 ns");
  auto plain = run_guestmem(
      {"run", data_path("sensitivity/small.json").string(), "--strategy", "ballooned", "--out", "p", "--quiet"},
      tmp.path());
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  auto base = nlohmann::json::parse(read_file(tmp / "p/report.json"));
  // 3x the cost per map; the same arrivals (same seed), so about 3x the time charged.
  EXPECT_GT(report["costs_charged"]["cpu_ns"]["grant_map_page"].get<double>(),
            2 * base["costs_charged"]["cpu_ns"]["grant_map_page"].get<double>());
}

TEST(SensitivityCliRuns, UnknownCostNameOnRunExits2WithASuggestion) {
  TempDir tmp;
  auto r = run_guestmem({"run", "--cost", "grant_map_pages=1 us", "--out", "o"}, tmp.path());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("did you mean \"grant_map_page\""), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(tmp / "o"));
}

TEST(SensitivityCliRuns, UnknownCostFileFieldExits2NamingIt) {
  TempDir tmp;
  auto r =
      run_guestmem({"sensitivity", data_path("sensitivity/bad_costs_field.json").string(), "--out", "o"}, tmp.path());
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("/costs/scrub_page/hight: unknown field"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("did you mean \"high\""), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(tmp / "o/sensitivity.json"));
}

TEST(SensitivityCliRuns, ZeroSeedsExits2NamingTheOption) {
  TempDir tmp;
  auto r = run_guestmem({"sensitivity", "--seeds", "0", "--out", "o"}, tmp.path());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--seeds"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(tmp / "o"));
}

TEST(SensitivityCliRuns, HelpSaysWhatIsVariedAndWhatAFlipMeans) {
  auto r = run_guestmem({"sensitivity", "--help"});
  EXPECT_EQ(r.exit_code, 0);
  for (const char* phrase : {"low", "high", "not charged by this scenario", "significance", "survives", "tornado"})
    EXPECT_NE(r.out.find(phrase), std::string::npos) << phrase;
}

}  // namespace
}  // namespace gm::test
