#include "sim/engine/vcpu_work.h"

#include <simgrid/s4u.hpp>

#include "sim/engine/actor_death.h"

namespace sg4 = simgrid::s4u;

namespace gm {
namespace {

std::uint64_t g_executions = 0;  // one engine per process (design §4)
SimTime g_executed{};

}  // namespace

void run_on_vcpu(SimTime t) {
  if (t.ns <= 0) return;
  killable([&] { sg4::this_actor::execute(static_cast<double>(t.ns) * (kVcpuFlopsPerSecond / 1e9)); });
  ++g_executions;
  g_executed = g_executed + t;
}

std::uint64_t vcpu_work_events() { return g_executions; }
SimTime vcpu_work_total() { return g_executed; }

}  // namespace gm
