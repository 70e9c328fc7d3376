// CPU work on a guest vCPU. Each vCPU is a SimGrid host of 1e9 flop/s, so one flop is one nanosecond
// of CPU time; work is an s4u exec of that many flops on the calling actor's host. SimGrid shares a
// host's speed equally among the execs running on it (processor sharing), so two actors busy on one
// vCPU each take twice as long, while actors on different vCPUs run in parallel. Waits that are not
// CPU work (a timer, a wait queue, a lock, an RCU grace period) stay sleeps and leave the vCPU free.
// docs/architecture.md "The CPU model" compares this with the kernel's scheduler.
#pragma once

#include <cstdint>

#include "models/units.h"

namespace gm {

// Host speed of every guest vCPU (and of the hypervisor host): flops per simulated second.
inline constexpr double kVcpuFlopsPerSecond = 1e9;

// Runs `t` of CPU time on the calling actor's vCPU; returns when it is done, which is later than
// now + t when other actors compute on the same vCPU. Nothing happens for t <= 0 (no activity, no
// event). A kill inside marks the actor dying (sim/engine/actor_death.h), as the sleeps do.
void run_on_vcpu(SimTime t);

// Executions completed so far in this process: each is one simulated event, like a sleep completion.
std::uint64_t vcpu_work_events();
// Their CPU time in total (`make bench` gives its matched floor executions of the same mean length).
SimTime vcpu_work_total();

}  // namespace gm
