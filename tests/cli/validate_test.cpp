// `guestmem validate`: summaries for good files, every error for bad ones, exit codes, --json, --help.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/support/run_cli.h"

namespace gm::test {
namespace {

TEST(ValidateCli, GoodFilesPrintASummaryAndExitZero) {
  const auto def = source_path("scenarios/default.json").string();
  const auto full = data_path("scenario/full.json").string();
  auto r = run_guestmem({"validate", def, full});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  // default.json: gntdev + blkback + 2 netback queues; full.json: 3 gntdev + disk + qemu.
  EXPECT_NE(r.out.find(def + ": ok (4 callers, kernel 6.12, x86_64, pvh domU 4 GiB, 1 min)"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find(full + ": ok (5 callers, kernel 5.10.70, x86_64, pv dom0 2 GiB, 90 s)"), std::string::npos)
      << r.out;
}

TEST(ValidateCli, OneBadFileMakesExitTwoAndEveryErrorIsPrinted) {
  TempDir tmp;
  const auto bad = (tmp / "bad.json").string();
  write_file(bad, R"({"guest": {"vcpus": 0, "memory": 4096}, "arch": "amd64"})");
  const auto def = source_path("scenarios/default.json").string();
  auto r = run_guestmem({"validate", def, bad});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.out.find(def + ": ok"), std::string::npos);
  EXPECT_NE(r.err.find("error: " + bad + ": /arch: found \"amd64\""), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("error: " + bad + ": /guest/memory: found 4096"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("error: " + bad + ": /guest/vcpus: found 0"), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 3);
}

TEST(ValidateCli, JsonIsOneDocument) {
  TempDir tmp;
  const auto bad = (tmp / "bad.json").string();
  write_file(bad, R"({"seed": -1})");
  const auto def = source_path("scenarios/default.json").string();
  auto r = run_guestmem({"validate", "--json", def, bad});
  EXPECT_EQ(r.exit_code, 2);
  auto j = nlohmann::json::parse(r.out);  // throws if stdout holds anything else
  EXPECT_FALSE(j["ok"].get<bool>());
  ASSERT_EQ(j["files"].size(), 2u);
  EXPECT_TRUE(j["files"][0]["ok"].get<bool>());
  EXPECT_EQ(j["files"][0]["summary"]["callers"], 4);
  EXPECT_EQ(j["files"][0]["summary"]["memory"], "4 GiB");
  EXPECT_FALSE(j["files"][1]["ok"].get<bool>());
  ASSERT_EQ(j["files"][1]["errors"].size(), 1u);
  EXPECT_EQ(j["files"][1]["errors"][0], bad + ": /seed: found -1, expected an integer in [0, 18446744073709551615]");
}

TEST(ValidateCli, MissingFileIsExitTwo) {
  auto r = run_guestmem({"validate", "no-such-scenario.json"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("no-such-scenario.json: found no such file"), std::string::npos) << r.err;
}

TEST(ValidateCli, HelpTeachesWithAnExample) {
  auto r = run_guestmem({"validate", "--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("Example: guestmem validate"), std::string::npos) << r.out;
  EXPECT_NE(run_guestmem({"validate"}).exit_code, 0);
  EXPECT_EQ(run_guestmem({"validate"}).exit_code, 2);
}

}  // namespace
}  // namespace gm::test
