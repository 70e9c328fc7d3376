#include "sim/run/runner.h"

#include <simgrid/s4u.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <limits>

#include "sim/run/expectations.h"
#include "analysis/latency.h"
#include "analysis/time_series.h"
#include "analysis/trace.h"
#include "models/buddy.h"
#include "sim/engine/model_budget.h"
#include "models/guest.h"
#include "models/xen/allocator_choice.h"
#include "models/xen/xen_drivers.h"
#include "sim/actors/memory_pressure.h"
#include "sim/run/run_buddy_config.h"
#include "sim/boot/boot_info.h"
#include "sim/boot/grant_frames.h"
#include "sim/boot/initcalls.h"
#include "sim/boot/pci_claims.h"
#include "sim/run/caller_servers.h"
#include "sim/engine/engine.h"
#include "models/errors.h"
#include "sim/run/guest_builder.h"
#include "sim/hypervisor/backend.h"
#include "sim/hypervisor/simulated.h"
#include "sim/run/invariants.h"
#include "sim/kconfig/kconfig_embedded.h"
#include "sim/kconfig/kconfig_file.h"
#include "sim/engine/kernel_env.h"
#include "sim/report/report_builder.h"
#include "sim/engine/rng.h"
#include "sim/engine/vcpu_work.h"

namespace sg4 = simgrid::s4u;

namespace gm {

std::string_view to_string(StrategyRequest s) {
  switch (s) {
    case StrategyRequest::automatic: return "auto";
    case StrategyRequest::ballooned: return "ballooned";
    case StrategyRequest::unpopulated: return "unpopulated";
  }
  return "?";
}

CostModel load_costs(const Scenario& sc) {
  CostModel m = sc.costs.file ? CostModel::from_json_text(read_input_file(*sc.costs.file), sc.costs.file->string())
                              : CostModel::defaults();
  m.apply_overrides(sc.costs.overrides, sc.source + ": /costs/overrides");
  return m;
}

namespace {

void sleep_until(SimTime t) {
  SimTime n = Engine::now();
  if (t > n) sg4::this_actor::sleep_for((t - n).seconds());
}

std::optional<XenAllocator> forced(StrategyRequest s) {
  if (s == StrategyRequest::ballooned) return XenAllocator::ballooned;
  if (s == StrategyRequest::unpopulated) return XenAllocator::unpopulated;
  return std::nullopt;
}

// Xen advertises extended regions from 4.16 on (xen/arch/arm/domain_build.c find_unallocated_memory).
bool xen_at_least_4_16(const std::string& version) {
  int major = 0, minor = 0;
  if (std::sscanf(version.c_str(), "%d.%d", &major, &minor) != 2) return false;
  return major > 4 || (major == 4 && minor >= 16);
}

// --backend xen: the modelled domain only mirrors the target's accounting, the real calls charge
// their measured time; so its own hypercall costs are zero.
CostModel model_costs(const CostModel& costs, const BackendRequest& backend) {
  CostModel m = costs;
  if (HypervisorBackend::model_is_mirror(backend))
    m.apply_overrides({{"hypercall_base", "0 ns"}, {"populate_per_page", "0 ns"}, {"decrease_per_page", "0 ns"}},
                      "<real backend mirror>");
  return m;
}

// Everything one simulation owns, in construction order (the engine first: SimGrid objects need it).
class Simulation {
 public:
  Simulation(const Scenario& sc, const RunOptions& opt)
      : sc_(sc),
        opt_(opt),
        seed_(opt.seed.value_or(sc.seed)),
        kconfig_file_(sc.kconfig_file ? std::optional<KconfigFile>(read_kconfig_file(sc.kconfig_file->string()))
                                      : std::nullopt),
        strategy_(resolve_kconfig_for_strategy(sc.arch, sc.kernel, sc.kconfig, forced(opt.strategy), "scenario",
                                               kconfig_file_ ? &kconfig_file_->base : nullptr)),
        choice_(choose(strategy_)),
        guest_cfg_(make_guest_config(sc, strategy_.config)),
        // Refused (exit 2) before any per-frame state exists when the model would not fit (model_budget.h).
        layout_(within_model_budget(build_guest_layout(guest_cfg_), sc, opt.max_model_memory)),
        buddy_(layout_.managed_ram(), run_buddy_config(sc)),
        guest_(guest_cfg_, buddy_),
        costs_(load_costs(sc)),
        engine_(sc.guest.vcpus, opt.simgrid_args),
        model_costs_(model_costs(costs_, opt.backend)),
        hv_(make_domain(), model_costs_),
        backend_(make_backend()),
        env_(costs_, guest_),
        drivers_(env_, backend_->hypervisor(), driver_setup()),
        gnttab_(drivers_.pages(), &env_) {
    attach_vcpu_source(buddy_, engine_);  // pcp lists per vCPU: the running actor's host is its CPU
  }

  RunOutcome run();

 private:
  AllocatorChoice choose(const StrategyKconfig& s) {
    if (!s.possible) {
      std::vector<std::string> lines{sc_.source + ": --strategy " + std::string(to_string(opt_.strategy)) +
                                     " is impossible for " + std::string(arch_name(sc_.arch)) + ", kernel " +
                                     sc_.kernel.str()};
      lines.insert(lines.end(), s.why_not.begin(), s.why_not.end());
      throw InputError(lines);
    }
    TargetResourceFacts facts{sc_.guest.firmware == Firmware::acpi,
                              !sc_.xen.extended_regions.empty() && xen_at_least_4_16(sc_.xen.version)};
    return choose_xen_allocator(s.config, has_target_resource(sc_.arch, facts));
  }

  std::unique_ptr<HypervisorBackend> make_backend() {
    BackendContext ctx{hv_, bytes_to_pages(sc_.guest.memory), bytes_to_pages(sc_.guest.maxmem),
                       [](SimTime t) { run_on_vcpu(t); },  // a real call's measured time keeps the vCPU busy
                       [] { return Engine::now(); }, opt_.dry_run_out, scenario_hypercall_faults(sc_)};
    return make_hypervisor_backend(opt_.backend, std::move(ctx));
  }

  SimulatedDomain make_domain() const {
    SimulatedDomain d;
    d.tot_pages = bytes_to_pages(sc_.guest.memory);
    // An HVM/PVH domU built below maxmem runs on populate-on-demand (libxl: memory < maxmem): every
    // RAM gfn of its e820 is a PoD entry and the PoD cache holds `memory` pages, so tot_pages =
    // populated + cache = memory from the start (models/pod.h). The guest must balloon down to
    // `memory` before it touches more than the cache holds (reference S9).
    if (sc_.guest.type != GuestType::pv && !sc_.guest.dom0 && sc_.guest.maxmem > sc_.guest.memory) {
      std::vector<PfnExtent> ram = layout_.e820.ram_extents();
      std::uint64_t limit = 0;
      for (const auto& e : ram) limit = std::max(limit, e.end().value);
      d.pod.emplace(ram, bytes_to_pages(sc_.guest.memory), limit);
      d.tot_pages = d.pod->counts().tot_pages();
    }
    d.max_pages = bytes_to_pages(sc_.guest.maxmem);
    d.host_free_pages = bytes_to_pages(sc_.xen.host_free_memory);
    return d;
  }

  XenDriversSetup driver_setup() const {
    XenPagesChoice c;
    c.kind = choice_.allocator == XenAllocator::unpopulated || choice_.runtime_fallback ? XenPagesKind::unpopulated
                                                                                         : XenPagesKind::ballooned;
    c.runtime_fallback = runtime_fallback_exists(strategy_.config);
    XenDriversSetup s = XenDriversSetup::for_version(sc_.kernel, is_x86(sc_.arch), c);
    s.balloon.scrub = sc_.balloon.scrub;
    s.balloon.max_retry_count = static_cast<std::uint32_t>(sc_.balloon.max_retry_count);
    s.balloon.max_schedule_delay = static_cast<std::uint32_t>(sc_.balloon.max_schedule_delay.ns / 1000000000);
    s.balloon.memory_hotplug = guest_cfg_.balloon_hotplug;
    s.balloon.hotplug_unpopulated = sc_.balloon.hotplug_unpopulated && guest_cfg_.balloon_hotplug;
    s.extra_mem = guest_.xen_extra_mem();
    s.boot = balloon_boot_info(layout_, sc_.guest.memory);
    return s;
  }

  void boot();
  void start_actors();
  void run_caller_instance(const CallerSpec& spec, const std::string& name, RequestServer& server,
                           LatencyRecorder::CallerId id);
  void run_toolstack();
  void run_pci_events();
  void arm_fault(const FaultSpec& f);
  void run_faults();
  void run_sampler();
  void sample();
  void record_crash(const KernelBug& bug);
  void touch_guest_pages(Pfn first, std::uint64_t pages);
  void enable_trace();
  bool stopping() const { return crashed_ || engine_.stop_requested(); }
  // Runs `body` as a guest-kernel context: a BUG_ON ends the guest (recorded), not the process.
  template <class F>
  void guarded(F&& body) {
    try {
      body();
    } catch (const KernelBug& bug) {
      record_crash(bug);
    }
  }

  const Scenario& sc_;
  const RunOptions& opt_;
  std::uint64_t seed_;
  std::optional<KconfigFile> kconfig_file_;  // the scenario's kconfig_file, the Kconfig base when set
  StrategyKconfig strategy_;
  AllocatorChoice choice_;
  GuestConfig guest_cfg_;
  GuestLayout layout_;
  BuddyAllocator buddy_;
  Guest guest_;
  CostModel costs_;
  Engine engine_;
  CostModel model_costs_;  // the modelled domain's hypercall costs: zero when it mirrors a real target
  SimulatedHypervisor hv_;
  std::unique_ptr<HypervisorBackend> backend_;  // --backend: what the drivers call (hv_ itself for sim)
  SimKernelEnv env_;
  XenDrivers drivers_;
  GrantTable gnttab_;

  LatencyRecorder latency_;        // request latency: the caller's whole service of a request
  LatencyRecorder alloc_latency_;  // allocation latency: the xen_alloc_*_pages part of it
  TimeSeries series_;
  std::optional<TraceWriter> trace_;  // --trace
  std::unique_ptr<MemoryPressure> pressure_;  // workload.memory_pressure
  Invariants invariants_;
  std::vector<std::unique_ptr<RequestServer>> servers_;
  std::vector<CallerReport> callers_;
  std::vector<GuestCrash> crashes_;
  std::vector<std::string> notes_;
  std::int64_t hv_minus_balloon_ = 0;  // tot_pages - current_pages right after boot (must not drift)
  bool crashed_ = false;
  bool booted_ = false;
  std::chrono::steady_clock::time_point wall_start_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_progress_ = wall_start_;
};

void Simulation::record_crash(const KernelBug& bug) {
  crashes_.push_back({Engine::now(), bug.what});
  crashed_ = true;
  sg4::Actor::kill_all();  // the guest is dead: every other context stops here
}

// The guest writes frames it had not written before. On a PoD domain each PoD gfn is demand-populated
// from the cache; an empty cache is Xen's domain_crash (p2m_pod_demand_populate, reference S9).
void Simulation::touch_guest_pages(Pfn first, std::uint64_t pages) {
  for (std::uint64_t i = 0; i < pages; ++i) {
    std::optional<bool> r = hv_.touch(first + i);
    if (r && !*r) throw KernelBug{"domain_crash: " + hv_.domain().pod->out_of_memory_message(1)};
  }
}

// --trace: hypercalls and lock waits as spans on the track of the actor that made them.
void Simulation::enable_trace() {
  trace_.emplace();
  backend_->observe_calls([this](const HypercallRecord& h) {  // the calls made, not the mirror's replays
    trace_->span(trace_->track("guest", sg4::this_actor::get_name()), h.kind, "hypercall", h.start, h.duration,
                 {{"extents", std::to_string(h.extents)}, {"done", std::to_string(h.result)}});
  });
  drivers_.balloon().set_iteration_observer([this](SimTime start, SimTime end, long credit, BalloonState st) {
    trace_->span(trace_->track("guest", "balloon"), "balloon iteration", "balloon", start, end - start,
                 {{"credit", std::to_string(credit)}, {"state", std::string(balloon_state_name(st))}});
  });
  env_.on_lock_wait([this](const std::string& lock, SimTime start, SimTime end) {
    trace_->span(trace_->track("guest", sg4::this_actor::get_name()), "wait " + lock, "lock", start, end - start);
  });
  // The kernel steps of a hot-add or section fill (models/xen/hotplug_steps.h), one span each.
  env_.on_step([this](std::string_view step, SimTime start, SimTime end) {
    const bool whole = step.substr(0, kHotAddSpanPrefix.size()) == kHotAddSpanPrefix;
    trace_->span(trace_->track("guest", sg4::this_actor::get_name()), std::string(step),
                 whole ? "hot_add" : "hotplug_step", start, end - start);
  });
}

// The guest kernel's boot in initcall order (docs/address-space.md "Boot sequence"). setup_arch()
// (e820, memblock, xen_extra_mem, e820__reserve_resources) ran when the Guest was built.
void Simulation::boot() {
  // Until balloon_init() the balloon counts nothing; a guest dying before it keeps this baseline.
  hv_minus_balloon_ = static_cast<std::int64_t>(hv_.domain().guest_frames()) -
                      static_cast<std::int64_t>(drivers_.balloon().stats().current_pages);
  BootSequence seq([this](const BootStep& st) {
    if (trace_) trace_->span(trace_->track("guest", "boot"), st.name, st.level, st.start, st.end - st.start, st.args);
  });
  seq.run("setup_arch", "xen_memory_setup / e820__memory_setup", [this](BootStep& st) {
    std::uint64_t extra = 0;
    for (const auto& x : guest_.xen_extra_mem()) extra += x.count;
    st.args.emplace_back("e820_entries", std::to_string(guest_.e820().entries().size()));
    st.args.emplace_back("xen_extra_mem_pages", std::to_string(extra));
  });
  // unpopulated_init(): the target resource; x86 6.10+ takes the extra regions here.
  seq.run("early_initcall", "unpopulated_init", [this](BootStep& st) {
    drivers_.early_initcall();
    st.args.emplace_back("seeded_pages", std::to_string(drivers_.pages_seeded_to_unpopulated()));
  });
  // xen_pvh_gnttab_setup(): before any PCI window or late e820 entry is in iomem (reference S5).
  seq.run("core_initcall", "xen_pvh_gnttab_setup", [this](BootStep& st) {
    int major = 0, minor = 0;
    std::sscanf(sc_.xen.version.c_str(), "%d.%d", &major, &minor);
    GrantFramesOutcome g = pvh_gnttab_setup(drivers_.pages(), sc_.guest.type, default_max_grant_frames(major, minor));
    st.args.emplace_back("frames", std::to_string(g.ran ? g.frames : 0));
    if (!g.message.empty()) {
      st.args.emplace_back("error", g.message);
      notes_.push_back(g.message);
    }
  });
  // acpi_init: host-bridge windows; pcibios_resource_survey: BARs, then e820__reserve_resources_late;
  // balloon_init after them in link order (drivers/xen after drivers/acpi and drivers/pci) [M].
  seq.run("subsys_initcall", "acpi_pci_root_add / pcibios_resource_survey", [this](BootStep& st) {
    int claimed = 0, failed = 0;
    for (PciKind kind : {PciKind::window, PciKind::bar})
      for (const auto& ev : sc_.workload.pci) {
        if (ev.at.ns != 0 || ev.kind != kind) continue;
        if (auto msg = claim_pci(guest_, ev)) {
          notes_.push_back(*msg);
          ++failed;
        } else {
          ++claimed;
        }
      }
    guest_.reserve_resources_late();
    st.args.emplace_back("claimed", std::to_string(claimed));
    st.args.emplace_back("failed", std::to_string(failed));
  });
  seq.run("subsys_initcall", "balloon_init", [this](BootStep& st) {
    if (Errno e = drivers_.subsys_initcall(); e != Errno::ok) {
      notes_.push_back("balloon_init failed with -" + std::string(errno_name(e)) +
                       " (the driver stays uninitialised)");
      st.args.emplace_back("error", "-" + std::string(errno_name(e)));
    }
    st.args.emplace_back("current_pages", std::to_string(drivers_.balloon().stats().current_pages));
    // The worker runs on the vCPU that queued it: the xenstore watch fires in xenwatch, woken by the
    // xenstore event channel, which is bound to vCPU 0 (docs/architecture.md "The CPU model").
    engine_.spawn(
        "balloon", engine_.vcpu_host(sc_.balloon.vcpu),
        [this] { guarded([this] { drivers_.balloon().worker_main([this] { return stopping(); }); }); },
        /*daemon=*/true);
  });
  // The toolstack wrote a domU's memory/target (KiB) at domain creation; registering the xenbus watch
  // fires it once at boot, which is when target_diff is fixed (drivers/xen/xen-balloon.c watch_target).
  // Nobody writes dom0's node before its balloon starts: watch_target()'s xenbus_scanf fails and
  // returns, so dom0 keeps balloon_init()'s target_pages = current_pages (drivers/xen/balloon.c@v6.1;
  // the lab's PVH dom0s show target_kb == current_kb at boot and after the tools start, docs/lab.md L2).
  seq.run("device_initcall", "balloon_init_watcher", [this](BootStep& st) {
    if (sc_.guest.dom0) {
      st.args.emplace_back("memory/target", "absent (dom0)");
      return;
    }
    drivers_.balloon().on_xenstore_target(sc_.guest.memory.value >> 10, sc_.guest.maxmem.value >> 10);
  });
  hv_minus_balloon_ = static_cast<std::int64_t>(hv_.domain().guest_frames()) -
                      static_cast<std::int64_t>(drivers_.balloon().stats().current_pages);
  // late_initcall_sync balloon_wait_finish() (40fdea0284bb): a guest still above its target (PoD)
  // waits for the worker to deflate it; no progress for xen.balloon_boot_timeout = panic.
  seq.run("late_initcall_sync", "balloon_wait_finish", [this](BootStep&) {
    if (drivers_.balloon().wait_finish()) throw KernelBug{"panic: Initial ballooning failed! (balloon_wait_finish)"};
  });
  booted_ = true;
}

void Simulation::run_caller_instance(const CallerSpec& spec, const std::string& name, RequestServer& server,
                                     LatencyRecorder::CallerId id) {
  CallerObserver obs;
  obs.on_request = [this, id, name](SimTime arrival, SimTime done, std::uint32_t pages, Errno err, SimTime alloc_start,
                                    SimTime alloc) {
    if (err == Errno::ok) {
      latency_.record(id, done - arrival);
      alloc_latency_.record(id, alloc);
    } else {
      latency_.record_failure(id);
      alloc_latency_.record_failure(id);
    }
    if (trace_) {
      std::vector<std::pair<std::string, std::string>> args{{"pages", std::to_string(pages)}};
      if (err != Errno::ok) args.emplace_back("error", "-" + std::string(errno_name(err)));
      // The request span (arrival to served: queueing, allocation, grant operations) and the
      // allocation span inside it, on the caller's track.
      trace_->span(trace_->track("guest", name), "request " + std::to_string(pages) + " pages", "request", arrival,
                   done - arrival, args);
      trace_->span(trace_->track("guest", name), "alloc " + std::to_string(pages) + " pages", "alloc", alloc_start,
                   alloc, args);
    }
#ifdef GUESTMEM_INVARIANTS
    invariants_.check(Engine::now(), "after a caller request");
#endif
  };
  CallerRunStats st = run_caller(spec, stream_seed(seed_, name), server, obs, sc_.duration,
                                 [this] { return stopping(); });
  for (auto& c : callers_)
    if (c.name == spec.name) c.add(st);
}

void Simulation::run_toolstack() {
  // xl mem-set writes memory/target (KiB); the watch hands it to the balloon with static-max.
  const std::uint64_t static_max_kib = sc_.guest.maxmem.value >> 10;
  for (const auto& change : sc_.balloon.target) {
    sleep_until(change.at);
    if (stopping()) return;
    drivers_.balloon().on_xenstore_target(change.size.value >> 10, static_max_kib);
  }
}

// workload.pci claims with `at` > 0: hot-plug events (those at 0 were claimed during boot).
void Simulation::run_pci_events() {
  for (const auto& ev : sc_.workload.pci) {
    if (ev.at.ns == 0) continue;
    sleep_until(ev.at);
    if (stopping()) return;
    if (auto msg = claim_pci(guest_, ev)) notes_.push_back(*msg);
  }
}

// xen.faults: a fault at 0 s is armed before boot (it can hit the boot-time initcalls); later ones
// by the "faults" actor at their time.
void Simulation::arm_fault(const FaultSpec& f) {
  auto n = static_cast<std::uint32_t>(f.count);
  switch (f.what) {
    case FaultWhat::populate_physmap: hv_.fail_next_populate(n); break;
    case FaultWhat::decrease_reservation: hv_.fail_next_decrease(n); break;
    case FaultWhat::pgmap_alloc:
      if (auto* u = drivers_.unpopulated()) {
        auto left = std::make_shared<std::uint32_t>(n);
        u->set_pgmap_alloc_fault([left] { return *left > 0 && (*left)-- > 0; });
      }
      break;
    case FaultWhat::p2m_alloc:  // xen_alloc_p2m_entry() / set_phys_to_machine(): PV only
      if (sc_.guest.type != GuestType::pv)
        notes_.push_back("fault p2m_alloc: a " + std::string(guest_type_name(sc_.guest.type)) +
                         " guest keeps no p2m; nothing to fail");
      guest_.inject_p2m_alloc_faults(n);
      break;
    case FaultWhat::memremap: guest_.inject_memremap_faults(n); break;
  }
}

void Simulation::run_faults() {
  for (const auto& f : sc_.xen.faults) {
    if (f.at.ns == 0) continue;  // armed before boot
    sleep_until(f.at);
    if (stopping()) return;
    arm_fault(f);
  }
}

void Simulation::sample() {
  SeriesSample s = collect_sample(buddy_, guest_, drivers_, hv_, *backend_);
  if (series_.metrics().empty()) declare_series(series_, buddy_.max_order());
  series_.add_row(Engine::now(), s.values);
  if (trace_)
    trace_->counter("guest", "memory", Engine::now(),
                    {{"guest_ram_bytes", s.values[0]}, {"free_bytes", s.values[1]}, {"scratch_bytes", s.values[3]}});
  if (trace_)
    trace_->counter("guest", "pools", Engine::now(), {{"ballooned_pages", s.values[2]}, {"unpopulated_list_pages", s.values[5]}});
#ifdef GUESTMEM_INVARIANTS
  invariants_.check(Engine::now(), "at a sample", /*full=*/true);  // debug/sanitizer builds: full scans too
#else
  invariants_.check(Engine::now(), "at a sample");
#endif
  if (opt_.progress) {
    auto wall = std::chrono::steady_clock::now();
    if (wall - last_progress_ > std::chrono::seconds(2)) {
      last_progress_ = wall;
      std::fprintf(stderr, "guestmem: simulated %.1f s of %.1f s\n", Engine::now().seconds(), sc_.duration.seconds());
    }
  }
}

void Simulation::run_sampler() {
  SimTime end = opt_.until ? std::min(*opt_.until, sc_.duration) : sc_.duration;
  for (SimTime t{0}; t <= end && !stopping(); t = t + sc_.sampling) {
    sleep_until(t);
    sample();
  }
}

void Simulation::start_actors() {
  sg4::Host* host0 = engine_.vcpu_host(0);
  if (!sc_.balloon.target.empty()) engine_.spawn("toolstack", engine_.hypervisor_host(), [this] { run_toolstack(); });
  if (!sc_.workload.pci.empty()) engine_.spawn("pci", host0, [this] { run_pci_events(); });
  if (std::any_of(sc_.xen.faults.begin(), sc_.xen.faults.end(), [](const FaultSpec& f) { return f.at.ns != 0; }))
    engine_.spawn("faults", engine_.hypervisor_host(), [this] { run_faults(); });
  if (sc_.workload.memory_pressure) {
    pressure_ = std::make_unique<MemoryPressure>(*sc_.workload.memory_pressure, buddy_, env_,
                                                 stream_seed(seed_, "memory_pressure"));
    if (hv_.domain().pod)
      pressure_->set_touch_hook([this](Pfn first, std::uint64_t pages) { touch_guest_pages(first, pages); });
    const MemoryPressureSpec& mp = *sc_.workload.memory_pressure;
    engine_.spawn("memory_pressure", engine_.vcpu_host(mp.vcpu.value_or(engine_.vcpus() - 1)), [this] {
      guarded([this] { pressure_->run_workload(sc_.duration, [this] { return stopping(); }); });
    });
    engine_.spawn("kcompactd", engine_.vcpu_host(mp.kcompactd_vcpu), [this] {
      guarded([this] { pressure_->run_kcompactd(sc_.duration, [this] { return stopping(); }); });
    });
    // kswapd and kcompactd are per-node kthreads (mm/vmscan.c, mm/compaction.c); one node here, and
    // both run where kcompactd_vcpu says.
    engine_.spawn("kswapd", engine_.vcpu_host(mp.kcompactd_vcpu), [this] {
      guarded([this] { pressure_->run_kswapd(sc_.duration, [this] { return stopping(); }); });
    });
  }
  // Instances without a placement are spread round robin, as the backends spread their per-queue
  // kthreads and interrupts over the vCPUs (docs/architecture.md "The CPU model").
  int vcpu = 0;
  for (const auto& spec : sc_.workload.callers) {
    callers_.push_back(CallerReport{spec.name, std::string(caller_kind_name(spec.kind)), 0, {}});
    auto id = latency_.caller(spec.name, caller_kind_name(spec.kind));
    alloc_latency_.caller(spec.name, caller_kind_name(spec.kind));  // same registration order, same ids
    for (int i = 0; i < spec.count; ++i) {
      auto server = make_request_server(spec.kind, gnttab_, drivers_.pages(), sc_.guest.type);
      if (!server) {
        notes_.push_back(spec.name + ": " + std::string(caller_kind_name(spec.kind)) + " does not take pages from "
                         "xen_alloc_unpopulated_pages on a " + std::string(guest_type_name(sc_.guest.type)) +
                         " guest; not simulated");
        break;
      }
      RequestServer* srv = server.get();
      servers_.push_back(std::move(server));
      std::string name = spec.name + "#" + std::to_string(i);
      int on = spec.vcpu ? *spec.vcpu : vcpu++ % engine_.vcpus();
      engine_.spawn(name, engine_.vcpu_host(on),
                    [this, &spec, name, srv, id] { guarded([&] { run_caller_instance(spec, name, *srv, id); }); });
    }
  }
}

RunOutcome Simulation::run() {
  if (opt_.max_events) engine_.set_event_limit(*opt_.max_events);
  if (opt_.trace) enable_trace();
  invariants_.add_default_checks(buddy_, guest_, drivers_, hv_, hv_minus_balloon_);
  for (const auto& f : sc_.xen.faults)
    if (f.at.ns == 0) arm_fault(f);
  // Boot runs to completion before anything else: the sampler and the callers start from it.
  engine_.spawn("boot", engine_.vcpu_host(0), [this] {
    guarded([this] { boot(); });
    if (crashed_) return;
    engine_.spawn("sampler", engine_.vcpu_host(0), [this] { guarded([this] { run_sampler(); }); });
    start_actors();
  });
  SimTime limit = opt_.until ? std::min(*opt_.until, sc_.duration) : sc_.duration;
  Engine::Outcome out = engine_.run(limit + SimTime{1});
  bool stopped_early = engine_.stop_requested() || (opt_.until && *opt_.until < sc_.duration);
  invariants_.check(Engine::now(), "at the end (full scan)", /*full=*/true);

  ReportInputs in{sc_, seed_, opt_.strategy, strategy_.config, choice_, drivers_, guest_, buddy_, hv_, *backend_,
                  env_, latency_, alloc_latency_, series_, invariants_, callers_, crashes_, notes_, !stopped_early, out,
                  pressure_ ? &pressure_->stats() : nullptr};
  RunOutcome r;
  r.report = build_report(in);
  if (trace_) trace_->write(*opt_.trace);
  r.report["expect"] = evaluate_expectations(sc_.expect, r.report);
  r.time_series_csv = series_.to_csv();
  r.events = engine_.events();
  bool expect_ok = true;
  for (const auto& e : r.report["expect"]) expect_ok = expect_ok && e.value("ok", false);
  if (stopped_early)
    r.exit_code = kExitStopped;
  else if (!expect_ok || !invariants_.violations().empty() || out.deadlock)
    r.exit_code = kExitFailed;
  return r;
}

}  // namespace

RunOutcome run_simulation(const Scenario& scenario, const RunOptions& options) {
  // One engine per process (SimGrid's is a singleton). When a run stops early (--until, a guest
  // crash) actors are still blocked on the simulation's mutexes and condition variables, and SimGrid
  // aborts if those are destroyed in use; so the simulation lives until the process exits. The
  // static pointer keeps it reachable (no leak report under LeakSanitizer).
  static Simulation* sim = nullptr;
  if (sim) throw std::logic_error("run_simulation: one simulation per process (design §4)");
  sim = new Simulation(scenario, options);
  return sim->run();
}

}  // namespace gm
