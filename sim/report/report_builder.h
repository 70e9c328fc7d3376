// Assembles report.json (design §6) from the state a finished simulation left in the models, and
// samples the time series during the run. Formulas live in models/ (vmstat) and analysis/; this
// file only gathers their inputs.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analysis/latency.h"
#include "analysis/time_series.h"
#include "models/xen/allocator_choice.h"
#include "sim/actors/caller_actor.h"
#include "sim/actors/memory_pressure.h"
#include "sim/engine/engine.h"
#include "sim/run/invariants.h"
#include "sim/run/runner.h"

namespace gm {

class BuddyAllocator;
class Guest;
class XenDrivers;
class SimulatedHypervisor;
class HypervisorBackend;
class SimKernelEnv;

struct GuestCrash {
  SimTime t;
  std::string what;
};

// Per caller spec (all of its instances together).
struct CallerReport {
  std::string name, kind;
  int instances = 0;
  CallerRunStats totals;
  void add(const CallerRunStats& s) {
    ++instances;
    totals.requests += s.requests;
    totals.failures += s.failures;
    totals.pages_mapped += s.pages_mapped;
    totals.enomem += s.enomem;
    totals.held_at_end += s.held_at_end;
  }
};

struct ReportInputs {
  const Scenario& scenario;
  std::uint64_t seed;
  StrategyRequest requested;
  const KconfigResult& kconfig;
  const AllocatorChoice& choice;
  XenDrivers& drivers;
  const Guest& guest;
  const BuddyAllocator& buddy;
  const SimulatedHypervisor& hv;  // the modelled domain's accounting (the real backend's mirror)
  const HypervisorBackend& calls;  // the hypercalls made: every count in the report comes from here
  const SimKernelEnv& env;
  const LatencyRecorder& latency;        // request latency (report `latency`)
  const LatencyRecorder& alloc_latency;  // allocation latency (report `alloc_latency`)
  const TimeSeries& series;
  const Invariants& invariants;
  const std::vector<CallerReport>& callers;
  const std::vector<GuestCrash>& crashes;
  const std::vector<std::string>& notes;
  bool complete;
  const Engine::Outcome& outcome;
  const PressureStats* pressure = nullptr;  // workload.memory_pressure, when the scenario has one
};

nlohmann::json build_report(const ReportInputs& in);

// Time-series sampling: declare_series() once, then one collect_sample() per row (same order).
void declare_series(TimeSeries& series, unsigned max_order);
struct SeriesSample {
  std::vector<double> values;
};
SeriesSample collect_sample(const BuddyAllocator& buddy, const Guest& guest, XenDrivers& drivers,
                            const SimulatedHypervisor& hv, const HypervisorBackend& calls);

}  // namespace gm
