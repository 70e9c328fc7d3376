// One rule for text that is not UTF-8 (models/utf8.h, docs/reliability.md): every command refuses it at
// the input edge with exit 2 and the line:column of the first bad byte, writes nothing, and never reaches a
// writer (before the rule, `guestmem buddyinfo FILE --json` ended in nlohmann's type_error 316, exit 1).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/support/run_cli.h"

namespace gm::test {
namespace {

// A byte that can never appear in UTF-8.
const std::string kBad = "\xFF";

void expect_refused(const RunResult& r, const std::string& where) {
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find(where + ": found byte 0xFF that is not UTF-8"), std::string::npos)
      << "expected \"" << where << ": found byte 0xFF that is not UTF-8\" in:\n"
      << r.err;
  EXPECT_EQ(r.err.find("internal error"), std::string::npos) << r.err;
}

TEST(Utf8Input, BuddyinfoZoneNameIsRefusedWithLineAndColumn) {
  TempDir tmp;
  const std::string file = (tmp / "buddyinfo.txt").string();
  write_file(file,
             "Node 0, zone      DMA      1      1      0      0      2      1      1      0      1      1      3\n"
             "Node 0, zone   Nor" + kBad + "al     10      5      2      0      1      0      0      0      0      0      0\n");
  for (bool json : {true, false}) {
    std::vector<std::string> args{"buddyinfo", file};
    if (json) args.push_back("--json");
    RunResult r = run_guestmem(args);
    expect_refused(r, file + ":2:19");
    EXPECT_TRUE(r.out.empty()) << r.out;
  }
}

TEST(Utf8Input, E820TypeIsRefused) {
  TempDir tmp;
  const std::string file = (tmp / "map.txt").string();
  write_file(file,
             "BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff] usable\n"
             "BIOS-e820: [mem 0x0000000000100000-0x000000007fffffff] us" + kBad + "ble\n");
  for (bool json : {true, false}) {
    std::vector<std::string> args{"e820", file};
    if (json) args.push_back("--json");
    RunResult r = run_guestmem(args);
    expect_refused(r, file + ":2:58");
    EXPECT_TRUE(r.out.empty()) << r.out;
  }
}

TEST(Utf8Input, IomemNameAndItsE820AreRefused) {
  TempDir tmp;
  const std::string iomem = (tmp / "iomem.txt").string();
  const std::string e820 = (tmp / "map.txt").string();
  write_file(iomem, "00000000-00000fff : Reserved\n00100000-7fffffff : System " + kBad + "RAM\n");
  expect_refused(run_guestmem({"iomem", iomem, "--json"}), iomem + ":2:28");
  write_file(iomem, "00000000-00000fff : Reserved\n00100000-7fffffff : System RAM\n");
  write_file(e820, "BIOS-e820: [mem 0x0000000000000000-0x000000007fffffff] usable " + kBad + "\n");
  expect_refused(run_guestmem({"iomem", iomem, "--e820", e820, "--json"}), e820 + ":1:63");
}

// Files a scenario imports reach report.json (address_space.iomem names): refused before anything runs.
TEST(Utf8Input, ScenarioImportsAreRefusedAndNothingIsWritten) {
  TempDir tmp;
  write_file(tmp / "iomem.txt", "00000000-00000fff : Reserved\n00100000-7fffffff : System RAM\n"
                                "fee00000-fee00fff : Local " + kBad + "APIC\n");
  write_file(tmp / "host.e820", "BIOS-e820: [mem 0x0000000000000000-0x000000007fffffff] usable\n"
                                "BIOS-e820: [mem 0x00000000fee00000-0x00000000fee00fff] reserved" + kBad + "\n");
  write_file(tmp / "costs.json", "{\"source\": \"" + kBad + "\"}\n");
  write_file(tmp / "iomem.json", R"({"guest": {"memory": "2 GiB", "iomem": "iomem.txt"}})");
  write_file(tmp / "e820.json", R"({"guest": {"memory": "2 GiB", "e820": {"file": "host.e820"}}})");
  write_file(tmp / "costs_file.json", R"({"costs": {"file": "costs.json"}})");
  const std::pair<std::string, std::string> cases[] = {
      {"iomem.json", (tmp / "iomem.txt").string() + ":3:27"},
      {"e820.json", (tmp / "host.e820").string() + ":2:64"},
      {"costs_file.json", (tmp / "costs.json").string() + ":1:13"},
  };
  for (const auto& [scenario, where] : cases) {
    SCOPED_TRACE(scenario);
    RunResult r = run_guestmem({"run", (tmp / scenario).string(), "--json", "--out", (tmp / "out").string()});
    expect_refused(r, where);
    EXPECT_TRUE(r.out.empty()) << r.out;
    EXPECT_FALSE(std::filesystem::exists(tmp / "out"));
  }
}

TEST(Utf8Input, CalibrateTraceAndBaseAreRefused) {
  TempDir tmp;
  const std::string trace = (tmp / "calls.jsonl").string();
  const std::string good = read_file(data_path("traces/small.jsonl"));
  write_file(trace, good + "{\"kind\":\"populate_" + kBad + "physmap\"}\n");
  const auto lines = static_cast<std::size_t>(std::count(good.begin(), good.end(), '\n'));
  expect_refused(run_guestmem({"calibrate", trace, "--json"}), trace + ":" + std::to_string(lines + 1) + ":19");
  write_file(trace, good);
  const std::string base = (tmp / "base.json").string();
  write_file(base, "{\n  \"source\": \"a" + kBad + "\"\n}\n");
  expect_refused(run_guestmem({"calibrate", trace, "--base", base, "--json"}), base + ":2:15");
}

TEST(Utf8Input, CommandLineArgumentsAreRefused) {
  TempDir tmp;
  RunResult r = run_guestmem({"kconfig", "--set", "XEN_" + kBad + "=y", "--json"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("argument 3: found byte 0xFF at byte 5 that is not UTF-8"), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty()) << r.out;
  r = run_guestmem({"run", "--json", "--out", (tmp / ("out" + kBad)).string()});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("argument 4: found byte 0xFF"), std::string::npos) << r.err;
  EXPECT_TRUE(tmp.files().empty());
}

// Valid UTF-8 of every length is carried, not refused: names of 2-, 3- and 4-byte characters and control
// characters (JSON escapes) come back unchanged from every JSON writer.
TEST(Utf8Input, ValidUtf8IsCarriedIntoEveryJsonOutput) {
  TempDir tmp;
  const std::string zone = "Z\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80";  // Zé€😀
  write_file(tmp / "buddyinfo.txt", "Node 0, zone " + zone + "  1 2 3\n");
  RunResult r = run_guestmem({"buddyinfo", (tmp / "buddyinfo.txt").string(), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["zones"][0]["zone"], zone);

  write_file(tmp / "iomem.txt", "00000000-00000fff : Reserved\n00100000-7fffffff : System RAM\n"
                                "fee00000-fee00fff : " + zone + "\x01\n");
  write_file(tmp / "s.json", R"({"name": ")" + zone + R"(\u0001", "duration": "2 s", "sampling": "500 ms",
    "guest": {"memory": "2 GiB", "iomem": "iomem.txt"}})");
  r = run_guestmem({"run", (tmp / "s.json").string(), "--json", "--quiet", "--out", (tmp / "out").string(), "--trace",
                    (tmp / "out/trace.json").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto report = nlohmann::json::parse(r.out);
  EXPECT_EQ(report["scenario"]["name"], zone + "\x01");
  bool found = false;
  for (const auto& e : report["address_space"]["iomem"]) found = found || e["name"] == zone + "\x01";
  EXPECT_TRUE(found) << report["address_space"]["iomem"].dump();
  EXPECT_EQ(nlohmann::json::parse(read_file(tmp / "out/report.json")), report);
  EXPECT_TRUE(nlohmann::json::accept(read_file(tmp / "out/trace.json")));
}

}  // namespace
}  // namespace gm::test
