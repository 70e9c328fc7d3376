// guestmem run: outputs, determinism, the golden report, exit codes (each run is a child process).
#include <gtest/gtest.h>

#include <cstdlib>
#include <nlohmann/json.hpp>

#include "tests/support/run_cli.h"

namespace gm::test {
namespace {

using nlohmann::json;

std::string tiny() { return data_path("golden/tiny.json").string(); }

// The fields that legitimately change between builds of guestmem: the version, and how many
// invariant checks ran (builds with GUESTMEM_INVARIANTS also check after every request).
json without_version(json r) {
  r.erase("guestmem_version");
  r["invariants"].erase("checks");
  return r;
}

TEST(RunCommand, WithNoArgumentsWritesOutReportAndTimeSeries) {
  TempDir dir;
  auto r = run_guestmem({"run", "--quiet"}, dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(dir.files(), (std::vector<std::string>{"out/report.json", "out/time_series.csv"}));
  json rep = json::parse(read_file(dir / "out/report.json"));
  for (const char* key : {"schema_version", "guestmem_version", "complete", "scenario", "seed", "strategy", "kconfig",
                          "latency", "fragmentation", "address_space", "balloon", "guest_crashes", "time_series",
                          "invariants", "expect"})
    EXPECT_TRUE(rep.contains(key)) << key;
  EXPECT_EQ(rep["scenario"]["name"], "default");
  EXPECT_EQ(rep["complete"], true);
  EXPECT_TRUE(rep["invariants"]["violations"].empty()) << rep["invariants"].dump();
  EXPECT_GT(rep["latency"]["overall"]["count"].get<int>(), 1000);
}

TEST(RunCommand, SameSeedGivesByteIdenticalReports) {
  TempDir dir;
  auto a = run_guestmem({"run", tiny(), "--seed", "7", "--out", "a", "--quiet"}, dir.path());
  auto b = run_guestmem({"run", tiny(), "--seed", "7", "--out", "b", "--quiet"}, dir.path());
  auto c = run_guestmem({"run", tiny(), "--seed", "8", "--out", "c", "--quiet"}, dir.path());
  ASSERT_EQ(a.exit_code, 0) << a.err;
  ASSERT_EQ(b.exit_code, 0) << b.err;
  ASSERT_EQ(c.exit_code, 0) << c.err;
  EXPECT_EQ(read_file(dir / "a/report.json"), read_file(dir / "b/report.json"));
  EXPECT_EQ(read_file(dir / "a/time_series.csv"), read_file(dir / "b/time_series.csv"));
  EXPECT_NE(read_file(dir / "a/report.json"), read_file(dir / "c/report.json"));  // the seed matters
}

TEST(RunCommand, ReportMatchesTheGoldenFile) {
  TempDir dir;
  auto r = run_guestmem({"run", tiny(), "--out", "o", "--quiet"}, dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json got = without_version(json::parse(read_file(dir / "o/report.json")));
  auto golden = data_path("golden/tiny.expected.json");
  if (const char* update = std::getenv("GUESTMEM_UPDATE_GOLDEN"); update && std::string(update) == "1") {
    write_file(golden, got.dump(2) + "\n");
    GTEST_SKIP() << "golden file rewritten: " << golden;
  }
  json want = without_version(json::parse(read_file(golden)));
  // The scenario echo carries the fixture's absolute folder in no field; compare the whole document.
  if (got != want) {
    json patch = json::diff(want, got);
    FAIL() << "report differs from " << golden << " (GUESTMEM_UPDATE_GOLDEN=1 rewrites it after a deliberate "
           << "model change); first differences:\n"
           << patch.dump(1).substr(0, 3000);
  }
}

TEST(RunCommand, JsonPrintsExactlyOneDocument) {
  TempDir dir;
  auto r = run_guestmem({"run", tiny(), "--json"}, dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json doc = json::parse(r.out);  // throws if anything but one document is printed
  EXPECT_EQ(doc["scenario"]["name"], "tiny");
  EXPECT_EQ(doc, json::parse(read_file(dir / "out/report.json")));
}

TEST(RunCommand, UntilStopsEarlyWithExit4AndAnIncompleteReport) {
  TempDir dir;
  auto r = run_guestmem({"run", tiny(), "--until", "1 s", "--quiet"}, dir.path());
  EXPECT_EQ(r.exit_code, 4) << r.err;
  json rep = json::parse(read_file(dir / "out/report.json"));
  EXPECT_EQ(rep["complete"], false);
  EXPECT_LE(rep["time_series"]["t_ns"].back().get<long long>(), 1000000000LL);
}

TEST(RunCommand, MaxEventsStopsEarlyWithExit4) {
  TempDir dir;
  auto r = run_guestmem({"run", tiny(), "--max-events", "50", "--quiet"}, dir.path());
  EXPECT_EQ(r.exit_code, 4) << r.err;
  EXPECT_EQ(json::parse(read_file(dir / "out/report.json"))["complete"], false);
}

TEST(RunCommand, AFailedExpectationIsExit1) {
  TempDir dir;
  std::string text = read_file(tiny());
  const std::string bound = "\"value\": \"10 ms\"";
  auto pos = text.find(bound);
  ASSERT_NE(pos, std::string::npos);
  text.replace(pos, bound.size(), "\"value\": \"0 ns\"");
  write_file(dir / "strict.json", text);
  auto r = run_guestmem({"run", "strict.json", "--quiet"}, dir.path());
  EXPECT_EQ(r.exit_code, 1) << r.err;
  json rep = json::parse(read_file(dir / "out/report.json"));
  EXPECT_EQ(rep["expect"][1]["ok"], false);
  EXPECT_EQ(rep["expect"][0]["ok"], true);
}

TEST(RunCommand, ImpossibleStrategyIsExit2WithTheKconfigReasonAndNoOutput) {
  TempDir dir;
  std::string text = read_file(tiny());
  text.replace(text.find("\"kernel\": \"6.12\""), 16, "\"kernel\": \"6.12\", \"arch\": \"i386\"");
  write_file(dir / "i386.json", text);
  auto r = run_guestmem({"run", "i386.json", "--strategy", "unpopulated"}, dir.path());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("i386.json"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("ZONE_DEVICE"), std::string::npos) << r.err;
  EXPECT_EQ(dir.files(), (std::vector<std::string>{"i386.json"}));
}

TEST(RunCommand, HelpTeachesWithAnExample) {
  auto r = run_guestmem({"run", "--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("Example"), std::string::npos);
  EXPECT_NE(r.out.find("--strategy"), std::string::npos);
  auto u = run_guestmem({"run", "--bogus"});
  EXPECT_EQ(u.exit_code, 2);
}

TEST(CompareCommand, RunsBothStrategiesAndWritesCompareJson) {
  TempDir dir;
  auto r = run_guestmem({"compare", tiny(), "--seeds", "2", "--jobs", "2", "--out", "cmp"}, dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json cmp = json::parse(read_file(dir / "cmp/compare.json"));
  EXPECT_EQ(cmp["seeds"], json({3, 4}));
  EXPECT_EQ(cmp["strategies"]["ballooned"]["runs"].size(), 2u);
  EXPECT_EQ(cmp["strategies"]["unpopulated"]["runs"].size(), 2u);
  // The unpopulated strategy takes one 128 MiB section of scratch on every seed; ballooned takes none.
  EXPECT_EQ(cmp["deltas"]["scratch_bytes"]["mean"], 134217728.0);
  EXPECT_NE(r.out.find("ballooned"), std::string::npos);
  EXPECT_NE(r.out.find("unpopulated"), std::string::npos);
  // Each run's report is the one `run` writes for that seed and strategy.
  json one = json::parse(read_file(dir / "cmp/runs/unpopulated-seed4/report.json"));
  EXPECT_EQ(one["seed"], 4);
  EXPECT_EQ(one["strategy"]["effective"], "unpopulated");
}

TEST(CompareCommand, FormatsCsvAndMarkdown) {
  TempDir dir;
  auto csv = run_guestmem({"compare", tiny(), "--seeds", "1", "--format", "csv", "--out", "a", "--quiet"}, dir.path());
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  EXPECT_EQ(csv.out.rfind("metric,unit,", 0), 0u) << csv.out;
  auto md = run_guestmem({"compare", tiny(), "--seeds", "1", "--format", "md", "--out", "b", "--quiet"}, dir.path());
  ASSERT_EQ(md.exit_code, 0) << md.err;
  EXPECT_NE(md.out.find("| metric"), std::string::npos) << md.out;
}

}  // namespace
}  // namespace gm::test
