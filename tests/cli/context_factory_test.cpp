// Every way a simulation ends must also end the process, under each of SimGrid's context factories.
// Regression: a killed actor unwinding through a lock guard used to unlock with a simcall; under the
// thread factory (what the ASan build of `make test` uses) that deadlocked the maestro, so the run
// never returned; under raw contexts the rest of the unwinding was silently dropped. sim/engine/actor_death.h
// has the rule. A hang here ends in ctest's --timeout, which fails the test.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/support/run_cli.h"

namespace gm::test {
namespace {

using json = nlohmann::json;

class ContextFactory : public ::testing::TestWithParam<std::string> {
 protected:
  RunResult run(std::vector<std::string> args, const TempDir& dir) {
    args.push_back("--cfg=contexts/factory:" + GetParam());
    args.insert(args.end(), {"--out", dir.path().string(), "--quiet"});
    return run_guestmem(args);
  }
};

// All callers end, then SimGrid kills the daemon actors (balloon worker, sampler...) where they wait.
TEST_P(ContextFactory, NormalEndKillsTheDaemonsAndReturns) {
  TempDir dir;
  const RunResult r = run({"run", data_path("scenario/pgmap_fault_5_12.json").string(), "--strategy", "ballooned"}, dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json rep = json::parse(read_file(dir / "report.json"));
  EXPECT_TRUE(rep["complete"].get<bool>());
  EXPECT_TRUE(rep["guest_crashes"].empty());
  EXPECT_GT(rep["latency"]["overall"]["count"].get<int>(), 0) << rep["latency"]["overall"].dump();
}

// A simulated BUG_ON kills every other actor mid-operation (sim/run/runner.cpp record_crash).
TEST_P(ContextFactory, GuestCrashKillsEveryActorAndReturns) {
  TempDir dir;
  const RunResult r =
      run({"run", data_path("scenario/pgmap_fault_5_12.json").string(), "--strategy", "unpopulated"}, dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;  // the scenario expects nothing, so a crash is reported, not failed
  const json rep = json::parse(read_file(dir / "report.json"));
  ASSERT_EQ(rep["guest_crashes"].size(), 1u) << rep["guest_crashes"].dump();
  EXPECT_NE(rep["guest_crashes"][0]["what"].get<std::string>().find("dbc03e81586f"), std::string::npos);
}

// --until stops with actors still blocked: nothing is killed, the process exits around them.
TEST_P(ContextFactory, UntilLeavesActorsBlockedAndReturns) {
  TempDir dir;
  const RunResult r = run({"run", data_path("scenario/pgmap_fault_5_12.json").string(), "--strategy", "ballooned",
                           "--until", "500 ms"},
                          dir);
  ASSERT_EQ(r.exit_code, 4) << r.err;
  EXPECT_FALSE(json::parse(read_file(dir / "report.json"))["complete"].get<bool>());
}

#ifdef GUESTMEM_SANITIZE_BUILD
// Under ASan only the thread factory is usable: raw and ucontext switch stacks behind ASan's back and
// its reports on them are false (docs/reliability.md), so the ASan build forces threads anyway.
#define GM_FACTORIES ::testing::Values("thread")
#else
#define GM_FACTORIES ::testing::Values("thread", "raw", "ucontext")
#endif
INSTANTIATE_TEST_SUITE_P(Factories, ContextFactory, GM_FACTORIES,
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });

}  // namespace
}  // namespace gm::test
