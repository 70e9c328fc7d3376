// `guestmem kconfig --matrix` end to end on a small fixture (tests/data/kconfig/matrix_small.json: every
// pgmap allocation fails), over x86_64, i386 and arm64 x 5.12, 5.17, 6.12 x the 8 toggle combinations.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "tests/support/run_cli.h"

namespace gm {
namespace {

using nlohmann::json;

// One matrix run shared by the tests below (about 40 child runs). Under ctest that run is the fixture
// test `kconfig_matrix.run` (tests/CMakeLists.txt), done once for all of them, and its output folder
// arrives in GUESTMEM_KCONFIG_MATRIX_DIR; run by hand, the suite runs the matrix itself.
class KconfigMatrixCliTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new test::TempDir();
    const char* shared = std::getenv("GUESTMEM_KCONFIG_MATRIX_DIR");
    if (shared != nullptr && *shared != '\0') {
      out_ = new std::filesystem::path(shared);
      // The fixture test failed when it did not exit 0, and ctest then skips this suite.
      result_ = new test::RunResult{0, test::read_file(*out_ / "matrix.json"), ""};
    } else {
      out_ = new std::filesystem::path(dir_->path() / "m");
      result_ = new test::RunResult(test::run_guestmem(
          {"kconfig", "--matrix", test::data_path("kconfig/matrix_small.json").string(), "--arch",
           "x86_64,i386,arm64", "--kernel", "5.12,5.17,6.12", "--jobs", "2", "--out", out_->string(), "--json",
           "--quiet"}));
    }
    doc_ = new json(json::parse(result_->out));  // stdout is exactly one JSON document
  }
  static void TearDownTestSuite() {
    delete out_;
    delete doc_;
    delete result_;
    delete dir_;
  }
  static const json& cell(const std::string& id) {
    for (const auto& c : (*doc_)["cells"])
      if (c["id"] == id) return c;
    static const json none;
    ADD_FAILURE() << "no cell " << id;
    return none;
  }
  static test::TempDir* dir_;
  static std::filesystem::path* out_;
  static test::RunResult* result_;
  static json* doc_;
};
test::TempDir* KconfigMatrixCliTest::dir_ = nullptr;
std::filesystem::path* KconfigMatrixCliTest::out_ = nullptr;
test::RunResult* KconfigMatrixCliTest::result_ = nullptr;
json* KconfigMatrixCliTest::doc_ = nullptr;

TEST_F(KconfigMatrixCliTest, EveryCellIsExpectedAndExitIsZero) {
  EXPECT_EQ(result_->exit_code, 0) << result_->err;
  EXPECT_EQ((*doc_)["summary"]["cells"], 3 * 3 * 8);
  EXPECT_EQ((*doc_)["summary"]["unexpected"], 0);
  for (const auto& c : (*doc_)["cells"]) EXPECT_TRUE(c["expected"].get<bool>()) << c.dump();
  // Fewer runs than cells: cells whose Kconfig resolves identically share one run.
  EXPECT_LT((*doc_)["runs"].get<int>(), 72);
  EXPECT_GT((*doc_)["runs"].get<int>(), 9);
}

TEST_F(KconfigMatrixCliTest, X86_64_612DefaultsAreUnpopulatedAndGetEnomem) {
  const json& c = cell("x86_64-6.12-ZDy-UAy-BHy");
  EXPECT_EQ(c["allocator"], "unpopulated");
  EXPECT_EQ(c["runtime_fallback"], false);
  // Every fill_list() fails: the 49 periodic requests (20 ms .. 980 ms) all get -ENOMEM, as 5.13-rc2+ returns it.
  EXPECT_EQ(c["outcome"], "enomem");
  EXPECT_EQ(c["metrics"]["requests"], 49);
  EXPECT_EQ(c["metrics"]["failures"], 49);
  EXPECT_EQ(c["metrics"]["enomem"], 49);
  EXPECT_TRUE(c["metrics"]["p99_ns"].is_null());  // no request completed
}

TEST_F(KconfigMatrixCliTest, Kernel512HitsTheFillListBugOn) {
  const json& c = cell("x86_64-5.12-ZDy-UAy-BHy");
  EXPECT_EQ(c["allocator"], "unpopulated");
  EXPECT_EQ(c["outcome"], "known-bug");
  EXPECT_TRUE(c["expected"].get<bool>());
  EXPECT_NE(c["reason"].get<std::string>().find("dbc03e81586f"), std::string::npos) << c["reason"];
  EXPECT_NE(c["reason"].get<std::string>().find("pgmap_alloc"), std::string::npos) << c["reason"];
}

TEST_F(KconfigMatrixCliTest, BallooningIsUntouchedByPgmapFaults) {
  const json& c = cell("x86_64-5.12-ZDy-UAn-BHy");
  EXPECT_EQ(c["allocator"], "ballooned");
  EXPECT_EQ(c["outcome"], "ok");
  EXPECT_EQ(c["metrics"]["requests"], 49);
  EXPECT_EQ(c["metrics"]["failures"], 0);
  EXPECT_EQ(c["metrics"]["scratch_bytes"], 0);
  EXPECT_GT(c["metrics"]["hypercalls"].get<int>(), 0);  // decrease_reservation for the ballooned pages
}

TEST_F(KconfigMatrixCliTest, I386IsBallooned) {
  const json& c = cell("i386-6.12-ZDy-UAy-BHy");
  EXPECT_EQ(c["allocator"], "ballooned");
  EXPECT_EQ(c["outcome"], "ok");
  EXPECT_EQ(c["effective"]["ZONE_DEVICE"], "n");
  EXPECT_EQ(c["effective"]["XEN_UNPOPULATED_ALLOC"], "n");
  ASSERT_FALSE(c["notes"].empty());
  EXPECT_EQ(c["notes"][0].get<std::string>().rfind("ZONE_DEVICE=y ignored, Kconfig gives n", 0), 0u) << c["notes"];
}

TEST_F(KconfigMatrixCliTest, Arm64_517WithoutExtendedRegionsFallsBackAtRunTime) {
  const json& c = cell("arm64-5.17-ZDy-UAy-BHy");
  EXPECT_EQ(c["effective"]["XEN_UNPOPULATED_ALLOC"], "y");
  EXPECT_EQ(c["allocator"], "ballooned");
  EXPECT_EQ(c["runtime_fallback"], true);
  EXPECT_EQ(c["outcome"], "ok");
  EXPECT_EQ(c["metrics"]["failures"], 0);
}

TEST_F(KconfigMatrixCliTest, IdenticalConfigurationsShareARun) {
  // ZONE_DEVICE=n makes XEN_UNPOPULATED_ALLOC=n whatever was asked: the UA=n cell reuses the UA=y run.
  const json& first = cell("x86_64-6.12-ZDn-UAy-BHy");
  const json& second = cell("x86_64-6.12-ZDn-UAn-BHy");
  EXPECT_TRUE(first["same_as"].is_null());
  EXPECT_EQ(first["run_dir"], "cells/x86_64-6.12-ZDn-UAy-BHy");
  EXPECT_EQ(second["same_as"], "x86_64-6.12-ZDn-UAy-BHy");
  EXPECT_TRUE(second["run_dir"].is_null());
  EXPECT_EQ(first["effective"]["XEN_UNPOPULATED_ALLOC"], "n");
  EXPECT_EQ(second["metrics"], first["metrics"]);
}

TEST_F(KconfigMatrixCliTest, WritesCellScenariosAndTheTable) {
  const std::filesystem::path& m = *out_;
  json cell_sc = json::parse(test::read_file(m / "cells/x86_64-5.12-ZDy-UAn-BHy.json"));
  EXPECT_EQ(cell_sc["arch"], "x86_64");
  EXPECT_EQ(cell_sc["kernel"], "5.12");
  EXPECT_EQ(cell_sc["kconfig"]["XEN_UNPOPULATED_ALLOC"], "n");
  EXPECT_EQ(cell_sc["kconfig"]["ZONE_DEVICE"], "y");
  EXPECT_FALSE(cell_sc.contains("expect"));  // the matrix judges cells itself
  EXPECT_TRUE(std::filesystem::exists(m / "cells/x86_64-5.12-ZDy-UAn-BHy/report.json"));
  EXPECT_EQ(json::parse(test::read_file(m / "matrix.json")), *doc_);
  std::string text = test::read_file(m / "matrix.txt");
  EXPECT_NE(text.find("arch    kernel"), std::string::npos) << text;
  EXPECT_NE(text.find("unexpected: 0"), std::string::npos) << text;
}

TEST(KconfigMatrixCliUsageTest, Riscv64IsNotApplicableAndRunsNothing) {
  test::TempDir dir;
  auto r = test::run_guestmem({"kconfig", "--matrix", test::data_path("kconfig/matrix_small.json").string(), "--arch",
                               "riscv64", "--kernel", "6.12", "--out", (dir.path() / "m").string(), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json j = json::parse(r.out);
  EXPECT_EQ(j["runs"], 0);
  ASSERT_EQ(j["cells"].size(), 1u);
  EXPECT_EQ(j["cells"][0]["outcome"], "n/a");
  EXPECT_EQ(j["cells"][0]["expected"], true);
}

TEST(KconfigMatrixCliUsageTest, DefaultCutRunsInFullWhenItWouldDropEvents) {
  test::TempDir dir;
  auto r = test::run_guestmem({"kconfig", "--matrix", test::data_path("kconfig/matrix_late_event.json").string(),
                               "--arch", "x86_64", "--kernel", "6.12", "--out", (dir.path() / "m").string(), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json j = json::parse(r.out);
  EXPECT_EQ(j["duration_ns"], 12'000'000'000LL);  // not cut to 10 s: the fault at 11 s would be dropped
  EXPECT_NE(j["duration_note"].get<std::string>().find("/xen/faults/0/at"), std::string::npos) << j["duration_note"];
  EXPECT_EQ(j["cells"][0]["metrics"]["requests"], 11);  // periodic 1 s: requests at 1 s .. 11 s
  // Asked explicitly, the same cut is refused.
  r = test::run_guestmem({"kconfig", "--matrix", test::data_path("kconfig/matrix_late_event.json").string(), "--arch",
                          "x86_64", "--kernel", "6.12", "--max-duration", "10 s", "--out",
                          (dir.path() / "m2").string()});
  EXPECT_EQ(r.exit_code, 2);
}

TEST(KconfigMatrixCliUsageTest, BadOptionsExit2) {
  test::TempDir dir;
  std::string sc = test::data_path("kconfig/matrix_small.json").string();
  std::string out = (dir.path() / "m").string();
  auto r = test::run_guestmem({"kconfig", "--matrix", sc, "--set", "ZONE_DEVICE=n", "--out", out});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--matrix"), std::string::npos) << r.err;
  r = test::run_guestmem({"kconfig", "--matrix", sc, "--arch", "x86_64,sparc", "--out", out});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("sparc"), std::string::npos) << r.err;
  r = test::run_guestmem({"kconfig", "--matrix", sc, "--max-duration", "soon", "--out", out});
  EXPECT_EQ(r.exit_code, 2);
  // The fixture's fault at 0 s fits any cut; a caller that stops late does not: named, not silently cut.
  r = test::run_guestmem(
      {"kconfig", "--matrix", test::data_path("golden/tiny.json").string(), "--max-duration", "1 ms", "--out", out});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--max-duration"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace gm
