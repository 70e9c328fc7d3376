// `guestmem run --max-model-memory`: a model estimated above the limit is bad input (exit 2), no output.
#include <gtest/gtest.h>

#include "tests/support/run_cli.h"

namespace gm::test {
namespace {

TEST(RunModelBudget, AboveTheLimitIsExit2WithTheEstimateAndNoOutput) {
  TempDir dir;
  const RunResult r = run_guestmem({"run", "--max-model-memory", "16 MiB", "--out", (dir / "o").string(), "--quiet"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("estimated"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--max-model-memory 16 MiB"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "o" / "report.json"));
}

TEST(RunModelBudget, ABadSizeIsExit2) {
  TempDir dir;
  const RunResult r = run_guestmem({"run", "--max-model-memory", "lots", "--out", (dir / "o").string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--max-model-memory: found \"lots\""), std::string::npos) << r.err;
}

}  // namespace
}  // namespace gm::test
