// guestmem sweep / collect: strict sweep files (every point validated first), job lists, resumption, gaps.
#include <gtest/gtest.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "tests/support/run_cli.h"

namespace gm::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const std::string kSmall = data_path("sweep/small.json").string();

// A sweep over the embedded default scenario with the given axes (JSON text), for validation tests.
std::string sweep_with_axes(const std::string& axes, const std::string& extra = "") {
  return "{\"name\": \"t\", \"axes\": " + axes + extra + "}";
}

TEST(SweepCommand, AnInvalidPointIsExit2NamingThePointAndThePathAndWritesNothing) {
  TempDir d;
  write_file(d / "s.json", sweep_with_axes(R"([{"pointer": "/guest/vcpus", "values": [2, 0]}])"));
  RunResult r = run_guestmem({"sweep", (d / "s.json").string(), "--out", (d / "out").string()});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("point 1 (/guest/vcpus=0)"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("/guest/vcpus: found"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("point 0"), std::string::npos) << r.err;  // the valid point is not blamed
  EXPECT_FALSE(fs::exists(d / "out"));
}

TEST(SweepCommand, TheSweepFileIsStrict) {
  TempDir d;
  struct Case {
    std::string text, expect;
  };
  const std::vector<Case> cases = {
      {R"({"axis": []})", "/axis: found unknown key, expected one of $schema, name, description, base, axes, "
                          "strategies, seeds (did you mean \"axes\"?)"},
      {sweep_with_axes(R"([{"pointer": "guest/memory", "values": ["1 GiB"]}])"), "/axes/0/pointer: found"},
      {sweep_with_axes(R"([{"pointer": "/guest/memory", "values": []}])"), "/axes/0/values: found"},
      {sweep_with_axes(R"([{"pointer": "/guest/memory", "values": ["1 GiB", "2 GiB"]},
                          {"pointer": "/guest/maxmem", "values": ["2 GiB"], "zip_with": "/guest/memory"}])"),
       "/axes/1/values: found 1 values, expected 2 values"},
      {sweep_with_axes(R"([{"pointer": "/guest/maxmem", "values": ["2 GiB"], "zip_with": "/guest/memory"}])"),
       "/axes/0/zip_with: found"},
      {sweep_with_axes(R"([{"pointer": "/nothing/here", "values": [1]}])"),
       "/axes/0/pointer: found \"/nothing/here\", which cannot be set: its parent /nothing is not in the base"},
      {sweep_with_axes(R"([{"pointer": "/guest/memory", "values": ["1 GiB"]}])", R"(, "seeds": 0)"), "/seeds: found"},
      {sweep_with_axes(R"([{"pointer": "/guest/memory", "values": ["1 GiB"]}])", R"(, "strategies": ["balloon"])"),
       "/strategies/0: found"},
      {sweep_with_axes(R"([{"pointer": "/guest/memory", "values": ["1 GiB"]}])", R"(, "base": "missing.json")"),
       "/base: found a file that cannot be read"},
  };
  for (const auto& c : cases) {
    write_file(d / "s.json", c.text);
    RunResult r = run_guestmem({"sweep", (d / "s.json").string(), "--out", (d / "out").string(), "--emit", "parallel"});
    EXPECT_EQ(r.exit_code, 2) << c.text << "\n" << r.err;
    EXPECT_NE(r.err.find(c.expect), std::string::npos) << c.text << "\n" << r.err;
    EXPECT_FALSE(fs::exists(d / "out")) << c.text;
  }
}

TEST(SweepCommand, EmitWritesRelativeJobListsForParallelAndSlurm) {
  TempDir d;
  RunResult r = run_guestmem({"sweep", kSmall, "--out", (d / "sw").string(), "--emit", "slurm", "--jobs", "3"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::istringstream jobs(read_file(d / "sw/jobs.txt"));
  std::set<std::string> dirs;
  std::size_t n = 0;
  const std::regex line(R"(guestmem run (points/[0-9a-f]{16}\.json) --strategy (ballooned|unpopulated) --seed [12] )"
                        R"(--out (runs/[0-9a-f]{16}) --quiet)");
  for (std::string l; std::getline(jobs, l); ++n) {
    std::smatch m;
    ASSERT_TRUE(std::regex_match(l, m, line)) << l;
    EXPECT_TRUE(fs::exists(d / "sw" / m[1].str())) << l;  // the point scenario is in DIR
    dirs.insert(m[3]);
    EXPECT_EQ(l.find(d.path().string()), std::string::npos);  // no absolute path
  }
  EXPECT_EQ(n, 8u);
  EXPECT_EQ(dirs.size(), 8u);  // every run has its own directory
  std::string sbatch = read_file(d / "sw/sweep.sbatch");
  EXPECT_NE(sbatch.find("#SBATCH --array=1-8%3\n"), std::string::npos) << sbatch;
  EXPECT_NE(sbatch.find("#SBATCH --output=logs/%A_%a.out"), std::string::npos);
  EXPECT_TRUE(fs::is_directory(d / "sw/logs"));
  // The same sweep file gives the same plan and job list (hash-named runs), wherever it is written.
  ASSERT_EQ(run_guestmem({"sweep", kSmall, "--out", (d / "again").string(), "--emit", "parallel"}).exit_code, 0);
  EXPECT_EQ(read_file(d / "sw/jobs.txt"), read_file(d / "again/jobs.txt"));
  EXPECT_FALSE(fs::exists(d / "again/sweep.sbatch"));
}

// Every report.json under DIR/runs -> its modification time (ns).
std::map<std::string, std::int64_t> finished_reports(const fs::path& dir) {
  std::map<std::string, std::int64_t> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir / "runs", ec)) {
    fs::path rep = e.path() / "report.json";
    struct stat st {};
    if (e.path().filename().string().rfind(".tmp-", 0) != 0 && ::stat(rep.c_str(), &st) == 0)
      out[e.path().filename().string()] = st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec;
  }
  return out;
}

TEST(SweepCommand, AKilledSweepResumesAndComputesOnlyTheMissingRuns) {
  TempDir d;
  const std::string out = (d / "sw").string();
  // Start the sweep one run at a time in its own process group, and kill the group (the sweep and its
  // running child, like Ctrl-C or a cancelled batch job) once 3 of its 8 runs have finished.
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    ::setpgid(0, 0);
    int devnull = ::open("/dev/null", O_WRONLY);
    ::dup2(devnull, 1), ::dup2(devnull, 2);
    ::execl(GUESTMEM_BIN, GUESTMEM_BIN, "sweep", kSmall.c_str(), "--out", out.c_str(), "--jobs", "1",
            static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::setpgid(pid, pid);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(240);
  while (finished_reports(out).size() < 3 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  ::kill(-pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the sweep ended before it was killed";
  const auto before = finished_reports(out);
  ASSERT_GE(before.size(), 3u);
  ASSERT_LT(before.size(), 8u);

  // collect lists what is not there instead of dropping it, and says so with exit 1.
  RunResult partial = run_guestmem({"collect", out, "--format", "json", "--no-plots"});
  EXPECT_EQ(partial.exit_code, 1) << partial.err;
  json pj = json::parse(partial.out);
  std::size_t gaps = 0;
  for (const auto& g : pj["gaps"]) gaps += g["status"] == "missing" || g["status"] == "failed";
  EXPECT_EQ(gaps, 8 - before.size()) << pj["gaps"].dump(1);

  RunResult again = run_guestmem({"sweep", kSmall, "--out", out, "--jobs", "2"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("8 runs: " + std::to_string(before.size()) + " finished before, " +
                           std::to_string(8 - before.size()) + " computed now, 0 failed"),
            std::string::npos)
      << again.out;
  const auto after = finished_reports(out);
  EXPECT_EQ(after.size(), 8u);
  for (const auto& [id, mtime] : before) EXPECT_EQ(after.at(id), mtime) << id << " was computed twice";
  for (const auto& e : fs::directory_iterator(fs::path(out) / "runs"))
    EXPECT_NE(e.path().filename().string().rfind(".tmp-", 0), 0u) << "left behind: " << e.path();

  // A third run computes nothing; collect is complete.
  RunResult third = run_guestmem({"sweep", kSmall, "--out", out, "--jobs", "2"});
  EXPECT_NE(third.out.find("8 finished before, 0 computed now"), std::string::npos) << third.out;
  RunResult full = run_guestmem({"collect", out, "--format", "csv", "--no-plots"});
  EXPECT_EQ(full.exit_code, 0) << full.err;
  EXPECT_EQ(full.out, read_file(fs::path(out) / "sweep.csv"));
}

TEST(SweepCommand, AFailedRunIsListedAndRetried) {
  TempDir d;
  const fs::path out = d / "sw";
  ASSERT_EQ(run_guestmem({"sweep", kSmall, "--out", out.string(), "--jobs", "2", "--quiet"}).exit_code, 0);
  RunResult ok = run_guestmem({"collect", out.string(), "--format", "csv", "--no-plots"});
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  // Break one run as a crashed scheduler task would leave it: its directory without report.json.
  json plan = json::parse(read_file(out / "plan.json"));
  const std::string dir = plan["runs"][5]["dir"];
  fs::remove(out / dir / "report.json");
  write_file(out / dir / "stderr.txt", "killed by the scheduler\n");
  RunResult broken = run_guestmem({"collect", out.string(), "--format", "text", "--no-plots"});
  EXPECT_EQ(broken.exit_code, 1);
  EXPECT_NE(broken.out.find("failed: point 1"), std::string::npos) << broken.out;
  EXPECT_NE(broken.out.find(dir + ": no report.json"), std::string::npos) << broken.out;
  EXPECT_NE(broken.out.find("killed by the scheduler"), std::string::npos) << broken.out;
  EXPECT_NE(broken.out.find("1/2"), std::string::npos) << broken.out;  // that row has one seed of two
  RunResult retry = run_guestmem({"sweep", kSmall, "--out", out.string(), "--jobs", "2"});
  EXPECT_NE(retry.out.find("7 finished before, 1 computed now"), std::string::npos) << retry.out;
  RunResult again = run_guestmem({"collect", out.string(), "--format", "csv", "--no-plots"});
  EXPECT_EQ(again.exit_code, 0);
  EXPECT_EQ(again.out, ok.out);  // deterministic for a seed: the recomputed run gives the same table
}

TEST(CollectCommand, WritesTablesAndOneCurvePerMetricAndNumericAxis) {
  TempDir d;
  const fs::path out = d / "sw";
  ASSERT_EQ(run_guestmem({"sweep", kSmall, "--out", out.string(), "--jobs", "2", "--quiet"}).exit_code, 0);
  RunResult r = run_guestmem({"collect", out.string(), "--format", "json", "--no-plots"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json j = json::parse(r.out);
  EXPECT_EQ(j, json::parse(read_file(out / "sweep.json")));
  ASSERT_EQ(j["rows"].size(), 4u);  // 2 points x 2 strategies
  EXPECT_EQ(j["rows"][1]["values"]["/guest/memory"], "1 GiB");
  EXPECT_EQ(j["rows"][1]["strategy"], "unpopulated");
  const json& m = j["rows"][0]["metrics"]["latency_mean_ns"];
  ASSERT_TRUE(m["ci95"].is_array()) << m.dump();
  EXPECT_LE(m["ci95"][0].get<double>(), m["mean"].get<double>());
  EXPECT_GE(m["ci95"][1].get<double>(), m["mean"].get<double>());
  // Both latencies of the time model: the allocation is a part of the request.
  const json& alloc = j["rows"][0]["metrics"]["alloc_latency_mean_ns"];
  ASSERT_TRUE(alloc["mean"].is_number()) << j["rows"][0].dump();
  EXPECT_GT(alloc["mean"].get<double>(), 0);
  EXPECT_LE(alloc["mean"].get<double>(), m["mean"].get<double>());
  EXPECT_TRUE(j["rows"][0]["metrics"].contains("alloc_latency_p99_ns"));
  // The CSV header names the axes and the interval columns.
  std::string csv = read_file(out / "sweep.csv");
  EXPECT_EQ(csv.rfind("point,/guest/memory,/guest/maxmem,strategy,planned,finished,expect_failed,latency_mean_ns_mean,"
                      "latency_mean_ns_ci_lo,latency_mean_ns_ci_hi,",
                      0),
            0u)
      << csv;
  // One plot script per headline metric against the leading numeric axis; none for the zipped one.
  EXPECT_TRUE(fs::exists(out / "plots/latency_mean_ns-vs-guest_memory.gp"));
  EXPECT_TRUE(fs::exists(out / "plots/memmap_bytes-vs-guest_memory.dat"));
  EXPECT_FALSE(fs::exists(out / "plots/latency_mean_ns-vs-guest_maxmem.gp"));
  // And one with both mean latencies: request (solid) and allocation (dashed), one colour per strategy.
  const std::string both = read_file(out / "plots/latency-vs-guest_memory.gp");
  EXPECT_NE(both.find("title 'ballooned: request'"), std::string::npos) << both;
  EXPECT_NE(both.find("dt 2 title 'unpopulated: allocation'"), std::string::npos) << both;
  EXPECT_EQ(run_guestmem({"collect", (d / "nothing").string()}).exit_code, 2);
}

}  // namespace
}  // namespace gm::test
