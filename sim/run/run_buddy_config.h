// The guest page allocator's configuration for a run: per-CPU page lists on, one per vCPU, with the
// kernel version's pcp rules; and the CPU an allocation runs on, from the SimGrid host of the actor.
#pragma once

#include "models/buddy.h"
#include "sim/engine/engine.h"
#include "sim/scenario/scenario.h"

namespace gm {

// BuddyConfig with pcp{nr_cpus = guest.vcpus}; high-order pcp lists and high from the low watermark
// from 5.14 on (models/per_cpu_pages.h); thp_enabled when the memory_pressure workload takes THP faults.
BuddyConfig run_buddy_config(const Scenario& sc);
// set_cpu_source(): vCPU i for an actor on engine.vcpu_host(i); CPU 0 for the hypervisor host and
// outside any actor (boot before the engine runs).
void attach_vcpu_source(BuddyAllocator& buddy, const Engine& engine);

}  // namespace gm
