// The CPU model (sim/engine/vcpu_work.h): charged work is an exec on the calling actor's vCPU, so actors on
// one vCPU share it and actors on different vCPUs do not; a sleep on a vCPU takes none of its time.
// One engine per process (SimGrid's is a singleton), so all cases run in this one simulation.
#include <gtest/gtest.h>

#include <simgrid/s4u.hpp>

#include <vector>

#include "sim/engine/engine.h"
#include "sim/engine/vcpu_work.h"

namespace gm {
namespace {

TEST(VcpuWork, ActorsOnOneVcpuShareItAndActorsOnOthersDoNot) {
  constexpr int kActors = 8;
  constexpr SimTime kWork = microseconds(10);
  // vCPU 0: eight actors computing; vCPUs 1..8: one computing actor each; vCPU 9: one actor
  // computing next to one that only sleeps.
  Engine engine(10, {});
  std::vector<SimTime> shared(kActors), alone(kActors);
  SimTime beside_sleeper{}, sleeper{};
  for (int i = 0; i < kActors; ++i) {
    engine.spawn("shared" + std::to_string(i), engine.vcpu_host(0), [&shared, i, kWork] {
      run_on_vcpu(kWork);
      shared[static_cast<std::size_t>(i)] = Engine::now();
    });
    engine.spawn("alone" + std::to_string(i), engine.vcpu_host(1 + i), [&alone, i, kWork] {
      run_on_vcpu(kWork);
      alone[static_cast<std::size_t>(i)] = Engine::now();
    });
  }
  engine.spawn("computes", engine.vcpu_host(9), [&] {
    run_on_vcpu(kWork);
    run_on_vcpu(SimTime{0});  // no work: no activity, no time
    beside_sleeper = Engine::now();
  });
  engine.spawn("sleeps", engine.vcpu_host(9), [&] {
    simgrid::s4u::this_actor::sleep_for(kWork.seconds());
    sleeper = Engine::now();
  });
  const std::uint64_t events_before = engine.events();
  engine.run();
  for (int i = 0; i < kActors; ++i) {
    // Processor sharing: eight equal execs on one vCPU all end together, after 8 x the work.
    EXPECT_EQ(shared[static_cast<std::size_t>(i)].ns, 8 * kWork.ns) << i;
    EXPECT_EQ(alone[static_cast<std::size_t>(i)].ns, kWork.ns) << i;
  }
  EXPECT_EQ(beside_sleeper.ns, kWork.ns);
  EXPECT_EQ(sleeper.ns, kWork.ns);
  // 17 executions and one sleep completion; the zero-cost charge is no event.
  EXPECT_EQ(engine.events() - events_before, 2u * kActors + 1 + 1);
}

}  // namespace
}  // namespace gm
