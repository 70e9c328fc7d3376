// SimKernelEnv's sleeping locks (sim/engine/kernel_env.cpp): a free lock is taken and released without
// a simcall and without simulated time; a taken one queues its waiters and hands the lock over in
// arrival order; the stats count acquisitions, the contended ones and the time waited.
// One engine per process (SimGrid's is a singleton), so the case runs in this one simulation.
#include <gtest/gtest.h>

#include <simgrid/s4u.hpp>

#include <string>
#include <vector>

#include "sim/engine/engine.h"
#include "sim/engine/kernel_env.h"
#include "sim/engine/vcpu_work.h"
#include "tests/support/fake_guest_kernel.h"

namespace gm {
namespace {

TEST(SimKernelEnv, MutexIsFreeWhenUncontendedAndHandsOverInArrivalOrder) {
  Engine engine(4, {});
  const CostModel costs = CostModel::defaults();
  test::FakeGuestKernel kernel;
  SimKernelEnv env(costs, kernel);
  std::unique_ptr<KMutex> m = env.create_mutex("test_mutex");
  std::vector<std::string> order;
  std::vector<SimTime> got;
  SimTime uncontended_at{-1};
  std::uint64_t events_around_uncontended = 1;
  bool locked_inside = false, locked_after = true;
  bool other_ran = false, other_ran_inside = true;

  engine.spawn("holder", engine.vcpu_host(0), [&] {
    const std::uint64_t e0 = engine.events();
    m->lock();  // free: no simcall (no other actor runs in between), no time, no event
    locked_inside = m->is_locked();
    other_ran_inside = other_ran;
    m->unlock();
    locked_after = m->is_locked();
    uncontended_at = Engine::now();
    events_around_uncontended = engine.events() - e0;
    m->lock();
    run_on_vcpu(microseconds(10));
    m->unlock();
  });
  // Ready at 0 too: it runs only once the holder makes its first simcall.
  engine.spawn("other", engine.vcpu_host(1), [&] { other_ran = true; });
  // Arrive at 2 us, 1 us and 3 us while the holder computes: served 1 us, 2 us, 3 us.
  for (int i : {2, 1, 3}) {
    engine.spawn("waiter" + std::to_string(i), engine.vcpu_host(i), [&, i] {
      simgrid::s4u::this_actor::sleep_for(microseconds(i).seconds());
      m->lock();
      order.push_back("waiter" + std::to_string(i));
      got.push_back(Engine::now());
      run_on_vcpu(microseconds(5));
      m->unlock();
    });
  }
  engine.run();

  EXPECT_TRUE(locked_inside);
  EXPECT_FALSE(other_ran_inside);
  EXPECT_TRUE(other_ran);
  EXPECT_FALSE(locked_after);
  EXPECT_EQ(uncontended_at.ns, 0);
  EXPECT_EQ(events_around_uncontended, 0u);
  EXPECT_EQ(order, (std::vector<std::string>{"waiter1", "waiter2", "waiter3"}));
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].ns, microseconds(10).ns);  // when the holder unlocks
  EXPECT_EQ(got[1].ns, microseconds(15).ns);
  EXPECT_EQ(got[2].ns, microseconds(20).ns);
  EXPECT_FALSE(m->is_locked());
  const LockStats& s = env.lock_stats().at("test_mutex");
  EXPECT_EQ(s.acquisitions, 5u);
  EXPECT_EQ(s.contended, 3u);
  EXPECT_EQ(s.total_wait.ns, microseconds((10 - 1) + (15 - 2) + (20 - 3)).ns);
}

}  // namespace
}  // namespace gm
