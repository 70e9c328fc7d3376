// compare.json from synthetic reports: pairing by seed, deltas, missing fields, tables and CSV round trip.
#include "analysis/compare.h"

#include <gtest/gtest.h>

#include <sstream>

#include "analysis/compare_output.h"
#include "analysis/compare_table.h"
#include "models/errors.h"
#include "tests/support/run_cli.h"

namespace gm {
namespace {

nlohmann::json report(std::uint64_t seed, double mean_ns, std::int64_t p99_ns, std::int64_t scratch,
                      bool with_frag = true) {
  nlohmann::json r = {
      {"schema_version", 1},
      {"seed", seed},
      {"scenario", {{"name", "unit"}}},
      {"latency",
       {{"overall",
         {{"count", 100},
          {"failures", 0},
          {"mean_ns", mean_ns},
          {"p50_ns", p99_ns / 2},
          {"p90_ns", p99_ns - 1},
          {"p99_ns", p99_ns},
          {"max_ns", p99_ns + 10}}}}},
      {"address_space", {{"scratch_bytes", scratch}, {"memmap_bytes", scratch / 64}, {"hotplugged_bytes", 0}}},
      {"balloon", {{"ballooned_pages", 0}}},
      {"guest_crashes", nlohmann::json::array()}};
  r["latency"]["overall"]["cdf"] = {{"percent", {0, 50, 100}}, {"value_ns", {p99_ns / 4, p99_ns / 2, p99_ns + 10}}};
  if (with_frag)
    r["fragmentation"] = {{"zones",
                           {{{"node", 0}, {"zone", "DMA32"}, {"unusable_index", {0, 0, 0, 0, 0, 0, 0, 0, 0, 0.9}}},
                            {{"node", 0}, {"zone", "Normal"}, {"unusable_index", {0, 0, 0, 0, 0, 0, 0, 0, 0, 0.25}}}}},
                          {"largest_free_order", 10}};
  return r;
}

CompareInput two_strategies() {
  CompareInput in;
  in.seeds = {1, 2, 3};
  in.bootstrap_seed = 1;
  // Runs are given out of seed order on purpose: pairing must follow the seed, not the position.
  in.runs["ballooned"] = {{3, "b3/report.json", report(3, 300, 900, 0)},
                          {1, "b1/report.json", report(1, 100, 700, 0)},
                          {2, "b2/report.json", report(2, 200, 800, 0)}};
  in.runs["unpopulated"] = {{1, "u1/report.json", report(1, 110, 650, 134217728)},
                            {2, "u2/report.json", report(2, 230, 700, 134217728, false)},
                            {3, "u3/report.json", report(3, 360, 800, 142606336)}};
  return in;
}

TEST(Compare, StructureAndPairedDeltas) {
  auto c = build_compare(two_strategies());
  EXPECT_EQ(c["schema_version"], kCompareSchemaVersion);
  EXPECT_EQ(c["scenario"]["name"], "unit");
  EXPECT_EQ(c["seeds"], nlohmann::json({1, 2, 3}));
  EXPECT_EQ(c["strategies"]["ballooned"]["runs"].size(), 3u);
  const auto& bm = c["strategies"]["ballooned"]["metrics"]["latency_mean_ns"];
  EXPECT_EQ(bm["values"], nlohmann::json({100, 200, 300}));  // seed order
  EXPECT_EQ(bm["mean"], 200);
  // t interval: s = 100, half = 4.302653 * 100 / sqrt(3) = 248.4138.
  EXPECT_NEAR(bm["ci95"][0].get<double>(), 200 - 248.4138, 1e-3);
  EXPECT_NEAR(bm["ci95"][1].get<double>(), 200 + 248.4138, 1e-3);
  EXPECT_EQ(bm["interval"], "t");
  // Deltas unpopulated - ballooned per seed: 10, 30, 60 -> mean 33.33.
  const auto& d = c["deltas"]["latency_mean_ns"];
  EXPECT_EQ(d["values"], nlohmann::json({10, 30, 60}));
  EXPECT_NEAR(d["mean"].get<double>(), 100.0 / 3, 1e-9);
  EXPECT_EQ(d["n"], 3);
  // s of {10,30,60} = sqrt(1266.67) = 35.59, half = 4.302653*35.59/sqrt(3) = 88.41: interval contains 0.
  EXPECT_FALSE(d["significant"].get<bool>());
  // Scratch: 128, 128 and 136 MiB more: mean 130.67 MiB, s = 4.62 MiB, half width 11.5 MiB: significant.
  EXPECT_EQ(c["deltas"]["scratch_bytes"]["values"], nlohmann::json({134217728, 134217728, 142606336}));
  EXPECT_TRUE(c["deltas"]["scratch_bytes"]["significant"].get<bool>());
  // Percentiles use the bootstrap.
  // Percentiles use the bootstrap, but not with 3 seeds: too few values, the t interval is used and named.
  EXPECT_EQ(c["strategies"]["unpopulated"]["metrics"]["latency_p99_ns"]["interval"], "t");
  EXPECT_EQ(c["deltas"]["latency_p99_ns"]["interval"], "t");
  EXPECT_EQ(c["metrics"]["latency_p99_ns"]["pointer"], "/latency/overall/p99_ns");
}

TEST(Compare, PercentilesUseTheTIntervalBelowTenSeeds) {
  // With 5-9 seeds the percentile bootstrap is too narrow to back a `*`: the t interval is used and named.
  CompareInput in;
  in.seeds = {1, 2, 3, 4, 5, 6, 7, 8, 9};
  in.bootstrap_seed = 1;
  for (std::size_t i = 0; i < in.seeds.size(); ++i) {
    in.runs["ballooned"].push_back({in.seeds[i], "b", report(in.seeds[i], 100, 700 + 10 * static_cast<std::int64_t>(i), 0)});
    in.runs["unpopulated"].push_back({in.seeds[i], "u", report(in.seeds[i], 100, 690, 4096)});
  }
  auto c = build_compare(in);
  EXPECT_EQ(c["strategies"]["ballooned"]["metrics"]["latency_p99_ns"]["interval"], "t");
  EXPECT_EQ(c["deltas"]["latency_p99_ns"]["interval"], "t");
  EXPECT_EQ(c["deltas"]["latency_max_ns"]["interval"], "t");
  CompareTable t = compare_table(c);
  for (const auto& r : t.rows) {
    if (r.metric == "latency_p99_ns") {
      EXPECT_EQ(r.delta_method, "t");
    }
  }
  // The text table says which method made each interval.
  EXPECT_NE(format_compare_text(t).find("] (t)"), std::string::npos) << format_compare_text(t);
}

TEST(Compare, PercentilesUseTheBootstrapFromTenSeeds) {
  CompareInput in;
  in.seeds = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  in.bootstrap_seed = 1;
  const std::int64_t b99[] = {700, 800, 900, 750, 850, 720, 810, 880, 760, 840},
                     u99[] = {600, 640, 820, 700, 700, 630, 650, 800, 690, 720};
  for (std::size_t i = 0; i < 10; ++i) {
    in.runs["ballooned"].push_back({in.seeds[i], "b", report(in.seeds[i], 100, b99[i], 0)});
    in.runs["unpopulated"].push_back({in.seeds[i], "u", report(in.seeds[i], 100, u99[i], 4096)});
  }
  auto c = build_compare(in);
  const auto& b = c["strategies"]["ballooned"]["metrics"]["latency_p99_ns"];
  EXPECT_EQ(b["interval"], "bootstrap");
  EXPECT_EQ(b["mean"], 801);
  // Resample means lie between the smallest and largest value.
  EXPECT_GE(b["ci95"][0].get<double>(), 700);
  EXPECT_LE(b["ci95"][1].get<double>(), 900);
  EXPECT_LT(b["ci95"][0].get<double>(), 801);
  EXPECT_GT(b["ci95"][1].get<double>(), 801);
  // Deltas -100, -160, -80, -50, -150, -90, -160, -80, -70, -120: all negative, so every resample mean is.
  const auto& d = c["deltas"]["latency_p99_ns"];
  EXPECT_EQ(d["interval"], "bootstrap");
  EXPECT_DOUBLE_EQ(d["mean"].get<double>(), -106);
  EXPECT_LT(d["ci95"][1].get<double>(), 0);
  EXPECT_TRUE(d["significant"].get<bool>());
  EXPECT_EQ(build_compare(in).dump(), c.dump());  // seeded: the same document every time
  // Another bootstrap seed draws other resamples: some bootstrap interval moves (with 10 values the
  // 2.5 % and 97.5 % quantiles of 10,000 resample means are stable enough that one alone may not).
  in.bootstrap_seed = 2;
  auto c2 = build_compare(in);
  bool moved = false;
  for (const char* m : {"latency_p50_ns", "latency_p99_ns", "latency_max_ns"}) {
    moved = moved || c2["deltas"][m]["ci95"] != c["deltas"][m]["ci95"];
    for (const char* s : {"ballooned", "unpopulated"})
      moved = moved || c2["strategies"][s]["metrics"][m]["ci95"] != c["strategies"][s]["metrics"][m]["ci95"];
  }
  EXPECT_TRUE(moved);
}

TEST(Compare, MissingFieldsAreSkippedNotZero) {
  auto c = build_compare(two_strategies());
  // Seed 2 of unpopulated has no fragmentation section.
  const auto& u = c["strategies"]["unpopulated"]["metrics"]["unusable_index_order9"];
  EXPECT_EQ(u["values"], nlohmann::json({0.25, nullptr, 0.25}));
  EXPECT_EQ(u["n"], 2);
  EXPECT_EQ(c["strategies"]["ballooned"]["metrics"]["unusable_index_order9"]["values"][0], 0.25);  // Normal zone
  EXPECT_EQ(c["deltas"]["unusable_index_order9"]["n"], 2);
  EXPECT_FALSE(c["strategies"]["ballooned"]["metrics"].contains("thp_success_rate"));  // in no report
  EXPECT_FALSE(c["deltas"].contains("thp_success_rate"));
  EXPECT_EQ(c["strategies"]["ballooned"]["metrics"]["guest_crashes"]["mean"], 0);
}

TEST(Compare, DeterministicAndOneSeedHasNoInterval) {
  EXPECT_EQ(build_compare(two_strategies()).dump(), build_compare(two_strategies()).dump());
  CompareInput in;
  in.seeds = {7};
  in.runs["ballooned"] = {{7, "b/report.json", report(7, 100, 500, 0)}};
  in.runs["unpopulated"] = {{7, "u/report.json", report(7, 90, 400, 4096)}};
  auto c = build_compare(in);
  EXPECT_TRUE(c["strategies"]["ballooned"]["metrics"]["latency_mean_ns"]["ci95"].is_null());
  EXPECT_TRUE(c["deltas"]["latency_mean_ns"]["ci95"].is_null());
  EXPECT_FALSE(c["deltas"]["latency_mean_ns"]["significant"].get<bool>());
  EXPECT_EQ(c["deltas"]["latency_mean_ns"]["mean"], -10);
}

TEST(Compare, UnavailableStrategyIsNamedWithItsReason) {
  CompareInput in;
  in.seeds = {1};
  in.runs["ballooned"] = {{1, "b/report.json", report(1, 100, 500, 0)}};
  in.unavailable["unpopulated"] = "XEN_UNPOPULATED_ALLOC depends on ZONE_DEVICE, which i386 lacks";
  auto c = build_compare(in);
  EXPECT_EQ(c["unavailable"]["unpopulated"], in.unavailable["unpopulated"]);
  EXPECT_TRUE(c["deltas"].empty());
  std::string text = format_compare(c, CompareFormat::text, 80);
  EXPECT_NE(text.find("n/a"), std::string::npos);
  EXPECT_NE(text.find("unpopulated unavailable: XEN_UNPOPULATED_ALLOC"), std::string::npos);
}

std::vector<std::string> lines_of(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  for (std::string l; std::getline(ss, l);) out.push_back(l);
  return out;
}

TEST(CompareTable, TextFitsTheWidthAndMarksSignificance) {
  auto c = build_compare(two_strategies());
  for (std::size_t width : {160u, 100u, 80u, 60u, 40u, 24u}) {
    std::string text = format_compare(c, CompareFormat::text, width);
    for (const auto& l : lines_of(text)) EXPECT_LE(l.size(), width) << "width " << width << ": " << l;
    EXPECT_NE(text.find("scratch"), std::string::npos) << width;
  }
  std::string text = format_compare(c, CompareFormat::text, 100);
  for (const auto& l : lines_of(text)) {
    if (l.rfind("scratch_bytes", 0) == 0) {
      EXPECT_NE(l.find("131 MiB"), std::string::npos) << l;
      EXPECT_EQ(l.back(), '*') << l;
    }
    if (l.rfind("latency_mean_ns", 0) == 0) {
      EXPECT_NE(l.find("200 ns"), std::string::npos) << l;
      EXPECT_NE(l.back(), '*') << l;
    }
  }
}

TEST(CompareTable, MarkdownIsAGithubTable) {
  std::string md = format_compare(build_compare(two_strategies()), CompareFormat::md);
  auto lines = lines_of(md);
  ASSERT_GE(lines.size(), 3u);
  EXPECT_EQ(lines[0], "| metric | ballooned | unpopulated | delta | 95% interval of delta | |");
  EXPECT_EQ(lines[1], "|---|---:|---:|---:|---|:-:|");
  EXPECT_EQ(lines[2].rfind("| latency_mean_ns | 200 ns [", 0), 0u) << lines[2];
}

TEST(CompareTable, CsvRoundTrips) {
  auto c = build_compare(two_strategies());
  CompareTable t = compare_table(c);
  std::string csv = format_compare_csv(t);
  EXPECT_EQ(lines_of(csv)[0],
            "metric,unit,ballooned_mean,ballooned_ci_lo,ballooned_ci_hi,unpopulated_mean,unpopulated_ci_lo,"
            "unpopulated_ci_hi,delta_mean,delta_ci_lo,delta_ci_hi,significant,delta_ci_method");
  CompareTable back = parse_compare_csv(csv);
  EXPECT_EQ(back.a_name, "ballooned");
  EXPECT_EQ(back.b_name, "unpopulated");
  ASSERT_EQ(back.rows.size(), t.rows.size());
  for (std::size_t i = 0; i < t.rows.size(); ++i) EXPECT_EQ(back.rows[i], t.rows[i]) << t.rows[i].metric;
  EXPECT_EQ(format_compare_csv(back), csv);
  EXPECT_THROW(parse_compare_csv("metric,unit\n"), std::invalid_argument);
}

TEST(CompareTable, FormatNamesAndHumanUnits) {
  EXPECT_EQ(parse_compare_format("md"), CompareFormat::md);
  EXPECT_THROW(parse_compare_format("html"), InputError);
  EXPECT_EQ(human_value(1234567, "ns"), "1.23 ms");
  EXPECT_EQ(human_value(-4200, "ns"), "-4.2 us");
  EXPECT_EQ(human_value(3 * 1048576.0, "bytes"), "3 MiB");
  EXPECT_EQ(human_value(2560, "pages"), "2560");
  EXPECT_EQ(human_value(262144, "frames"), "262144");
  EXPECT_EQ(human_value(26214400, "frames"), "26.2M");
  EXPECT_EQ(human_value(0.6, "count"), "0.6");
  EXPECT_EQ(human_value(0.226, "index"), "0.226");
}

TEST(Compare, LoadRunReadsTheSeedAndRejectsBadFiles) {
  test::TempDir dir;
  test::write_file(dir / "report.json", report(42, 1, 2, 3).dump(2));
  CompareRun run = load_compare_run(dir / "report.json", "runs/x/report.json");
  EXPECT_EQ(run.seed, 42u);
  EXPECT_EQ(run.path, "runs/x/report.json");
  EXPECT_EQ(run.report["address_space"]["scratch_bytes"], 3);
  EXPECT_THROW(load_compare_run(dir / "missing.json", "x"), InputError);
  test::write_file(dir / "bad.json", "{\"seed\": 1,");
  EXPECT_THROW(load_compare_run(dir / "bad.json", "x"), InputError);
  test::write_file(dir / "noseed.json", "{\"seed\": -1}");
  try {
    load_compare_run(dir / "noseed.json", "x");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("/seed: found -1, expected a non-negative integer"), std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace gm

namespace gm {
namespace {

TEST(CompareOutputs, WritesCompareJsonAndPlotScripts) {
  test::TempDir dir;
  PlotOptions o;
  o.render = false;  // rendering is covered by the plots tests
  auto out = write_compare_outputs(dir / "out", two_strategies(), o);
  auto j = nlohmann::json::parse(test::read_file(dir / "out" / "compare.json"));
  EXPECT_EQ(j, out.compare);
  EXPECT_EQ(j["seeds"], nlohmann::json({1, 2, 3}));
  EXPECT_FALSE(out.plots.rendered);
  auto files = dir.files();
  EXPECT_NE(std::find(files.begin(), files.end(), "out/latency_cdf.gp"), files.end());
}

}  // namespace
}  // namespace gm
