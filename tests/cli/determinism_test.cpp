// Determinism across parallelism: the JSON of `compare` and `kconfig --matrix` is byte-identical whether
// the child runs go one at a time (--jobs 1) or two at a time (--jobs 2), whatever order they finish in.
#include <gtest/gtest.h>

#include "tests/support/run_cli.h"

namespace gm::test {
namespace {

// Runs `args` + "--jobs J" in a fresh folder (so relative output paths are the same text) and returns
// stdout plus the named output file.
std::pair<std::string, std::string> run_with_jobs(std::vector<std::string> args, const std::string& jobs,
                                                  const std::string& output) {
  TempDir tmp;
  args.insert(args.end(), {"--jobs", jobs, "--out", "out"});
  RunResult r = run_guestmem(args, tmp.path());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return {r.out, read_file(tmp / ("out/" + output))};
}

TEST(Determinism, CompareJsonIsTheSameForOneAndTwoJobs) {
  TempDir src;
  const std::string scenario = (src / "short.json").string();
  write_file(scenario, R"({"name": "short", "seed": 3, "duration": "1 s", "sampling": "250 ms",
    "guest": {"memory": "512 MiB", "maxmem": "512 MiB", "vcpus": 2},
    "balloon": {"target": [{"at": "0 s", "size": "480 MiB"}]},
    "workload": {"callers": [{"name": "gntdev", "kind": "gntdev", "arrival": {"process": "poisson", "rate_per_s": 50},
      "size": {"distribution": "lognormal", "median_pages": 8, "sigma": 1}, "hold": "50 ms"}]}})");
  const std::vector<std::string> args{"compare", scenario, "--seeds", "3", "--format", "json", "--quiet"};
  auto one = run_with_jobs(args, "1", "compare.json");
  auto two = run_with_jobs(args, "2", "compare.json");
  ASSERT_FALSE(one.second.empty());
  EXPECT_EQ(one.first, two.first);
  EXPECT_EQ(one.second, two.second);
}

TEST(Determinism, KconfigMatrixJsonIsTheSameForOneAndTwoJobs) {
  const std::vector<std::string> args{"kconfig", "--matrix", data_path("kconfig/matrix_small.json").string(),
                                      "--arch", "x86_64,arm64", "--kernel", "5.12,6.12", "--json", "--quiet"};
  auto one = run_with_jobs(args, "1", "matrix.json");
  auto two = run_with_jobs(args, "2", "matrix.json");
  ASSERT_FALSE(one.second.empty());
  EXPECT_EQ(one.first, two.first);
  EXPECT_EQ(one.second, two.second);
}

}  // namespace
}  // namespace gm::test
