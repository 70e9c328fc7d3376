// Sensitivity: flips of sign, significance and claim on hand-made deltas; sensitivity.json from hand-made
// compare documents; what counts as charged; the tornado order, the formats and the plot files.
#include "analysis/sensitivity.h"

#include <gtest/gtest.h>

#include <array>
#include <map>

#include "analysis/compare_table.h"
#include "analysis/sensitivity_output.h"
#include "tests/support/run_cli.h"

namespace gm {
namespace {

DeltaAt d(double mean, double lo, double hi) { return {mean, Interval{lo, hi}, lo > 0 || hi < 0}; }

TEST(SensitivityFlips, NothingFlipsWhenBothEndsAgree) {
  Flips f = flips(d(5, 1, 9), d(6, 2, 10), d(8, 3, 13));
  EXPECT_EQ(f, (Flips{false, false, false}));
}

TEST(SensitivityFlips, SignificantResultTurningAroundFlipsSignAndClaim) {
  Flips f = flips(d(-4, -7, -1), d(6, 2, 10), d(8, 3, 13));
  EXPECT_TRUE(f.sign);
  EXPECT_FALSE(f.significance);  // significant at both: only the direction changed
  EXPECT_TRUE(f.claim);
  EXPECT_EQ(delta_claim(d(-4, -7, -1)), "unpopulated lower");
}

TEST(SensitivityFlips, LosingSignificanceAtTheHighEndIsASignificanceFlip) {
  Flips f = flips(d(5, 1, 9), d(6, 2, 10), d(3, -1, 7));
  EXPECT_FALSE(f.sign);
  EXPECT_TRUE(f.significance);
  EXPECT_TRUE(f.claim);
}

TEST(SensitivityFlips, AnInsignificantMeanChangingSignIsNotAClaimChange) {
  Flips f = flips(d(-1, -5, 3), d(1, -3, 5), d(2, -2, 6));
  EXPECT_TRUE(f.sign);
  EXPECT_FALSE(f.significance);
  EXPECT_FALSE(f.claim);
  EXPECT_EQ(delta_claim(d(1, -3, 5)), "no significant difference");
}

TEST(SensitivityFlips, BecomingSignificantIsAClaimChange) {
  Flips f = flips(d(1, -3, 5), d(1, -3, 5), d(9, 4, 14));
  EXPECT_FALSE(f.sign);
  EXPECT_TRUE(f.significance);
  EXPECT_TRUE(f.claim);
}

TEST(SensitivityFlips, AMissingEndCountsAsAChange) {
  Flips f = flips(DeltaAt{}, d(6, 2, 10), d(6, 2, 10));
  EXPECT_TRUE(f.sign);
  EXPECT_TRUE(f.claim);
  EXPECT_EQ(delta_claim(DeltaAt{}), "missing");
}

// A compare.json with one delta per metric given as (mean, lo, hi).
nlohmann::json compare_doc(const std::map<std::string, std::array<double, 3>>& deltas) {
  nlohmann::json c;
  c["scenario"] = {{"name", "hand-made"}};
  c["deltas"] = nlohmann::json::object();
  for (const auto& [m, v] : deltas)
    c["deltas"][m] = {{"mean", v[0]}, {"ci95", {v[1], v[2]}}, {"significant", v[1] > 0 || v[2] < 0}};
  return c;
}

SensitivityInput hand_made() {
  SensitivityInput in;
  in.scenario = {{"name", "hand-made"}};
  in.cost_file = "costs.json";
  in.seeds = {1, 2};
  in.baseline_compare = "baseline/compare.json";
  in.baseline = compare_doc({{"latency_mean_ns", {100, 50, 150}}, {"latency_p99_ns", {10, -5, 25}}});
  SensitivityParameter steady{"grant_map_page", 500, 250, 1500, "src", true, {}, {}, "", ""};
  steady.low = compare_doc({{"latency_mean_ns", {90, 40, 140}}, {"latency_p99_ns", {5, -9, 19}}});
  steady.high = compare_doc({{"latency_mean_ns", {130, 70, 190}}, {"latency_p99_ns", {-4, -20, 12}}});
  steady.low_compare = "grant_map_page-low/compare.json";
  steady.high_compare = "grant_map_page-high/compare.json";
  SensitivityParameter flipping{"rcu_grace_period", 8000000, 1000000, 30000000, "src", true, {}, {}, "", ""};
  flipping.low = compare_doc({{"latency_mean_ns", {-20, -60, 20}}, {"latency_p99_ns", {12, -3, 27}}});
  flipping.high = compare_doc({{"latency_mean_ns", {900, 400, 1400}}, {"latency_p99_ns", {60, 20, 100}}});
  flipping.low_compare = "rcu_grace_period-low/compare.json";
  flipping.high_compare = "rcu_grace_period-high/compare.json";
  SensitivityParameter idle{"migrate_page", 2000, 1000, 5500, "src", false, {}, {}, "", ""};
  SensitivityParameter fixed{"spin_lock", 10, 10, 10, "src", true, {}, {}, "", ""};
  in.parameters = {steady, flipping, idle, fixed};
  return in;
}

TEST(Sensitivity, DocumentNamesFlipsVerdictAndParametersNotVaried) {
  nlohmann::json doc = build_sensitivity(hand_made());
  EXPECT_EQ(doc["schema_version"], kSensitivitySchemaVersion);
  const auto& p = doc["parameters"];
  ASSERT_EQ(p.size(), 4u);
  EXPECT_EQ(p[0]["status"], kVaried);
  EXPECT_EQ(p[2]["status"], kNotCharged);
  EXPECT_FALSE(p[2].contains("metrics"));
  EXPECT_EQ(p[3]["status"], kNoRange);
  EXPECT_EQ(doc["not_charged"], nlohmann::json::array({"migrate_page"}));

  const auto& steady = p[0]["metrics"]["latency_mean_ns"];
  EXPECT_EQ(steady["low"]["mean"], 90);
  EXPECT_EQ(steady["default"]["mean"], 100);
  EXPECT_FALSE(steady["sign_flip"].get<bool>());
  EXPECT_FALSE(steady["claim_changes"].get<bool>());
  EXPECT_TRUE(p[0]["metrics"]["latency_p99_ns"]["sign_flip"].get<bool>());  // 10 -> -4, insignificant throughout
  EXPECT_FALSE(p[0]["metrics"]["latency_p99_ns"]["claim_changes"].get<bool>());
  EXPECT_TRUE(p[1]["metrics"]["latency_mean_ns"]["sign_flip"].get<bool>());
  EXPECT_TRUE(p[1]["metrics"]["latency_mean_ns"]["significance_flip"].get<bool>());

  const auto& mean = doc["verdict"]["latency_mean_ns"];
  EXPECT_EQ(mean["claim"], "unpopulated higher");
  EXPECT_FALSE(mean["survives"].get<bool>());
  ASSERT_EQ(mean["changed_by"].size(), 1u);
  EXPECT_EQ(mean["changed_by"][0]["parameter"], "rcu_grace_period");
  EXPECT_EQ(mean["changed_by"][0]["end"], "low");
  EXPECT_EQ(mean["changed_by"][0]["claim"], "no significant difference");
  const auto& p99 = doc["verdict"]["latency_p99_ns"];
  EXPECT_FALSE(p99["survives"].get<bool>());  // significant at rcu_grace_period high
  EXPECT_EQ(p99["changed_by"][0]["end"], "high");
  EXPECT_FALSE(p99["sign_and_significance_unchanged"].get<bool>());
}

TEST(Sensitivity, AClaimUntouchedByEveryRangeSurvives) {
  SensitivityInput in = hand_made();
  in.parameters.erase(in.parameters.begin() + 1);  // without the parameter that flips
  nlohmann::json doc = build_sensitivity(in);
  EXPECT_TRUE(doc["verdict"]["latency_mean_ns"]["survives"].get<bool>());
  EXPECT_TRUE(doc["verdict"]["latency_mean_ns"]["sign_and_significance_unchanged"].get<bool>());
  EXPECT_TRUE(doc["verdict"]["latency_p99_ns"]["survives"].get<bool>());  // still "no significant difference"
  EXPECT_FALSE(doc["verdict"]["latency_p99_ns"]["sign_and_significance_unchanged"].get<bool>());
  EXPECT_EQ(doc["verdict"]["latency_p99_ns"]["sign_flipped_by"], nlohmann::json::array({"grant_map_page"}));
}

TEST(Sensitivity, AnEndEqualToTheDefaultUsesTheBaseline) {
  SensitivityInput in = hand_made();
  in.parameters[0].low_ns = in.parameters[0].default_ns;
  in.parameters[0].low = nullptr;
  nlohmann::json doc = build_sensitivity(in);
  const auto& m = doc["parameters"][0]["metrics"]["latency_mean_ns"];
  EXPECT_EQ(m["low"], m["default"]);
  EXPECT_EQ(doc["parameters"][0]["low_compare"], "baseline/compare.json");
}

TEST(Sensitivity, TornadoOrderIsWidestFirst) {
  nlohmann::json doc = build_sensitivity(hand_made());
  EXPECT_EQ(tornado_order(doc, "latency_mean_ns"), (std::vector<std::size_t>{1, 0}));  // 920 wide, then 40
}

TEST(Sensitivity, ChargedMeansCpuTimeWaitsOrHypercallFrames) {
  nlohmann::json r = nlohmann::json::parse(R"({
    "costs_charged": {"cpu_ns": {"grant_map_page": 500, "migrate_page": 0, "hypercall": 0},
                      "wait_ns": {"rcu_grace_period": 8}},
    "balloon": {"hypercalls": {"populate_physmap": {"calls": 0, "frames": 0},
                               "decrease_reservation": {"calls": 2, "frames": 64}}}})");
  EXPECT_TRUE(cost_charged("grant_map_page", r));
  EXPECT_FALSE(cost_charged("migrate_page", r));
  EXPECT_TRUE(cost_charged("rcu_grace_period", r));
  EXPECT_TRUE(cost_charged("decrease_per_page", r));
  EXPECT_FALSE(cost_charged("populate_per_page", r));
  EXPECT_TRUE(cost_charged("hypercall_base", r));  // no grant hypercalls, but two reservation calls
  r["balloon"]["hypercalls"]["decrease_reservation"] = {{"calls", 0}, {"frames", 0}};
  EXPECT_FALSE(cost_charged("hypercall_base", r));
  EXPECT_TRUE(cost_charged("scrub_page", nlohmann::json{{"seed", 1}}));  // no breakdown: assume charged
}

TEST(SensitivityOutput, EveryFormatListsTheParametersNotVaried) {
  nlohmann::json doc = build_sensitivity(hand_made());
  for (auto f : {CompareFormat::text, CompareFormat::md, CompareFormat::csv, CompareFormat::json}) {
    std::string s = format_sensitivity(doc, f);
    EXPECT_NE(s.find("migrate_page"), std::string::npos) << s;
    EXPECT_NE(s.find(kNotCharged), std::string::npos) << s;
  }
  std::string text = format_sensitivity(doc, CompareFormat::text);
  EXPECT_NE(text.find("latency_mean_ns: default +100 ns [50 ns, 150 ns] * (unpopulated higher) -> changes"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("sign, significance (claim changes)"), std::string::npos) << text;
}

TEST(SensitivityOutput, CsvHasOneRowPerMetricAndParameter) {
  nlohmann::json doc = build_sensitivity(hand_made());
  std::string csv = format_sensitivity(doc, CompareFormat::csv);
  std::size_t lines = 0, fields_in_header = 1;
  for (char c : std::string(sensitivity_csv_header())) fields_in_header += c == ',';
  std::size_t start = 0;
  while (start < csv.size()) {
    std::size_t end = csv.find('\n', start);
    std::string line = csv.substr(start, end - start);
    std::size_t fields = 1;
    for (char c : line) fields += c == ',';
    EXPECT_EQ(fields, fields_in_header) << line;
    ++lines;
    start = end + 1;
  }
  EXPECT_EQ(lines, 1 + sensitivity_headline_metrics().size() * 4);
}

TEST(SensitivityOutput, TornadoPlotsAreWrittenPerMetricWithData) {
  test::TempDir dir;
  PlotResult r = write_tornado_plots(dir.path(), build_sensitivity(hand_made()), PlotOptions{"", false});
  EXPECT_TRUE(std::filesystem::exists(dir / "tornado-latency_mean_ns.gp"));
  std::string dat = test::read_file(dir / "tornado-latency_mean_ns.dat");
  // Widest first = top row (row 1 of 2): rcu_grace_period from -20 to 900 around 100.
  EXPECT_NE(dat.find("1 -20 900 100 \"rcu_grace_period (claim changes)\""), std::string::npos) << dat;
  EXPECT_NE(dat.find("0 90 130 100 \"grant_map_page\""), std::string::npos) << dat;
  EXPECT_FALSE(std::filesystem::exists(dir / "tornado-memmap_bytes.gp"));  // no delta in the baseline
}

}  // namespace
}  // namespace gm
