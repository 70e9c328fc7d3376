#include "sim/hypervisor/backend.h"

#include <cstdio>
#include <functional>
#include <optional>
#include <ostream>
#include <string>

#include "models/errors.h"
#include "sim/hypervisor/hypercall_trace.h"
#ifdef GUESTMEM_WITH_XEN
#include "sim/hypervisor/xen.h"
#include "sim/hypervisor/xen_calls.h"
#endif

namespace gm {

void check_backend_request(const BackendRequest& req, const std::filesystem::path& privcmd) {
  if (req.kind == BackendKind::sim) {
    if (req.domid) throw InputError("--domid: found a domain with --backend sim, expected --backend xen");
    if (req.dry_run) throw InputError("--dry-run: found --backend sim, expected --backend xen");
    return;
  }
  if (!req.domid) throw InputError("--backend xen: found no --domid, expected the target domain's id (xl list)");
  if (*req.domid == 0)
    throw InputError("--domid 0: refused, domain 0 is the control domain; create a guest for the run");
  if (req.dry_run) return;  // prints only: needs no Xen
  std::error_code ec;
  if (!std::filesystem::exists(privcmd, ec)) throw EnvironmentError(std::string(kNoPrivcmdMessage));
#ifndef GUESTMEM_WITH_XEN
  throw EnvironmentError("this guestmem was built without libxenctrl (install libxen-dev and reconfigure)");
#endif
}

std::vector<std::string> hypercall_fault_refusal(const BackendRequest& req, const std::vector<std::string>& faults) {
  if (!HypervisorBackend::model_is_mirror(req) || faults.empty()) return {};
  std::vector<std::string> lines;
  for (const auto& f : faults)
    lines.push_back(f + ": refused with --backend xen: the drivers' hypercalls go to the target domain" +
                    (req.domid ? " " + std::to_string(*req.domid) : std::string()) +
                    " and the simulated domain only mirrors it, so an injected failure would fail no call that is "
                    "made; remove the fault, or use --dry-run (the simulated domain answers and applies it)");
  return lines;
}

std::vector<std::string> scenario_hypercall_faults(const Scenario& sc) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < sc.xen.faults.size(); ++i) {
    const FaultWhat w = sc.xen.faults[i].what;
    if (w == FaultWhat::populate_physmap || w == FaultWhat::decrease_reservation)
      out.push_back(sc.source + ": /xen/faults/" + std::to_string(i) + " (" + std::string(to_string(w)) + ")");
  }
  return out;
}

namespace {

// Installs the trace writer on whichever backend reports calls.
std::shared_ptr<HypercallTraceWriter> open_trace(const BackendRequest& req) {
  if (!req.hypercall_trace) return nullptr;
  return std::make_shared<HypercallTraceWriter>(*req.hypercall_trace, req.domid);
}

// Records every call of the backend it wraps (the simulated backend's on_call stays free for the
// runner's Chrome trace): start and duration in simulated time, which is what the call charged.
class TracingHypervisor final : public Hypervisor {
 public:
  TracingHypervisor(Hypervisor& inner, std::function<SimTime()> now, std::shared_ptr<HypercallTraceWriter> trace)
      : inner_(inner), now_(std::move(now)), trace_(std::move(trace)) {}
  long populate_physmap(std::span<const Pfn> gfns) override {
    return record("populate_physmap", gfns, [&] { return inner_.populate_physmap(gfns); });
  }
  long decrease_reservation(std::span<const Pfn> gfns) override {
    return record("decrease_reservation", gfns, [&] { return inner_.decrease_reservation(gfns); });
  }
  std::vector<XenMemoryMapEntry> memory_map() override { return inner_.memory_map(); }
  std::uint64_t current_reservation() override { return inner_.current_reservation(); }
  std::uint64_t maximum_reservation() override { return inner_.maximum_reservation(); }
  std::optional<std::string> guest_wrote(std::span<const Pfn> gfns) override { return inner_.guest_wrote(gfns); }

 private:
  template <class F>
  long record(const char* kind, std::span<const Pfn> gfns, F&& call) {
    SimTime start = now_ ? now_() : SimTime{};
    long r = call();
    SimTime end = now_ ? now_() : SimTime{};
    trace_->write({kind, gfns.size(), r, start, end - start});
    return r;
  }
  Hypervisor& inner_;
  std::function<SimTime()> now_;
  std::shared_ptr<HypercallTraceWriter> trace_;
};

// The simulated backend: the model itself, traced when asked.
class SimBackend final : public HypervisorBackend {
 public:
  SimBackend(SimulatedHypervisor& model, std::function<SimTime()> now, std::shared_ptr<HypercallTraceWriter> trace)
      : model_(model) {
    if (trace) traced_.emplace(model_, std::move(now), std::move(trace));
  }
  Hypervisor& hypervisor() override { return traced_ ? static_cast<Hypervisor&>(*traced_) : model_; }
  HypercallCounts populate_counts() const override { return model_.populate_counts(); }
  HypercallCounts decrease_counts() const override { return model_.decrease_counts(); }
  void observe_calls(std::function<void(const HypercallRecord&)> observer) override {
    model_.on_call(std::move(observer));
  }

 private:
  SimulatedHypervisor& model_;
  std::optional<TracingHypervisor> traced_;
};

// --dry-run: the simulated domain answers (and charges the cost model); every call is printed as the
// hypercall the real backend would make on the target.
class DryRunBackend final : public HypervisorBackend, private Hypervisor {
 public:
  DryRunBackend(SimulatedHypervisor& model, std::uint32_t domid, std::ostream* out, std::function<SimTime()> now,
                std::shared_ptr<HypercallTraceWriter> trace)
      : model_(model), domid_(domid), out_(out) {
    if (trace) traced_.emplace(static_cast<Hypervisor&>(*this), std::move(now), std::move(trace));
  }
  Hypervisor& hypervisor() override { return traced_ ? static_cast<Hypervisor&>(*traced_) : *this; }
  HypercallCounts populate_counts() const override { return model_.populate_counts(); }
  HypercallCounts decrease_counts() const override { return model_.decrease_counts(); }
  void observe_calls(std::function<void(const HypercallRecord&)> observer) override {
    model_.on_call(std::move(observer));  // the model answers every call the drivers make
  }

 private:
  long populate_physmap(std::span<const Pfn> gfns) override {
    print("XENMEM_populate_physmap", gfns);
    return model_.populate_physmap(gfns);
  }
  long decrease_reservation(std::span<const Pfn> gfns) override {
    print("XENMEM_decrease_reservation", gfns);
    return model_.decrease_reservation(gfns);
  }
  std::vector<XenMemoryMapEntry> memory_map() override { return model_.memory_map(); }
  std::uint64_t current_reservation() override { return model_.current_reservation(); }
  std::uint64_t maximum_reservation() override { return model_.maximum_reservation(); }

  void print(const char* op, std::span<const Pfn> gfns) {
    if (!out_) return;
    char range[64] = "";
    if (!gfns.empty())
      std::snprintf(range, sizeof range, " gfns 0x%llx..0x%llx", static_cast<unsigned long long>(gfns.front().value),
                    static_cast<unsigned long long>(gfns.back().value));
    *out_ << "dry-run: " << op << " domid " << domid_ << " nr_extents " << gfns.size() << " extent_order 0" << range
          << '\n';
  }
  SimulatedHypervisor& model_;
  std::uint32_t domid_;
  std::ostream* out_;
  std::optional<TracingHypervisor> traced_;
};

#ifdef GUESTMEM_WITH_XEN
// The real backend: owns the libxen layer and the XenHypervisor over it.
// The mirror's own call hook stays unset: its calls are the done extents replayed, not calls made.
class RealXenBackend final : public HypervisorBackend {
 public:
  RealXenBackend(std::unique_ptr<XenCalls> calls, XenBackendConfig cfg)
      : calls_(std::move(calls)), hv_(*calls_, with_observer(std::move(cfg))) {}
  Hypervisor& hypervisor() override { return hv_; }
  HypercallCounts populate_counts() const override { return hv_.populate_counts(); }
  HypercallCounts decrease_counts() const override { return hv_.decrease_counts(); }
  void observe_calls(std::function<void(const HypercallRecord&)> observer) override {
    *observer_ = std::move(observer);
  }

 private:
  XenBackendConfig with_observer(XenBackendConfig cfg) {
    auto trace = std::move(cfg.on_call);
    cfg.on_call = [trace, observer = observer_](const HypercallRecord& r) {
      if (trace) trace(r);
      if (*observer) (*observer)(r);
    };
    return cfg;
  }
  std::shared_ptr<std::function<void(const HypercallRecord&)>> observer_ =
      std::make_shared<std::function<void(const HypercallRecord&)>>();
  std::unique_ptr<XenCalls> calls_;
  XenHypervisor hv_;
};
#endif

}  // namespace

#ifdef GUESTMEM_WITH_XEN
std::unique_ptr<HypervisorBackend> make_xen_backend(std::unique_ptr<XenCalls> calls, const BackendRequest& req,
                                                    BackendContext ctx) {
  if (auto refusal = hypercall_fault_refusal(req, ctx.hypercall_faults); !refusal.empty()) throw InputError(refusal);
  verify_xen_target(*calls, {req.domid.value_or(0), ctx.expected_tot_pages, ctx.expected_max_pages});
  auto trace = open_trace(req);
  XenBackendConfig cfg;
  cfg.domid = *req.domid;
  cfg.charge = ctx.charge;
  cfg.now = ctx.now;
  if (trace) cfg.on_call = [trace](const HypercallRecord& r) { trace->write(r); };
  cfg.mirror = &ctx.model;
  cfg.memory_map = ctx.model.memory_map();
  return std::make_unique<RealXenBackend>(std::move(calls), std::move(cfg));
}
#endif

std::unique_ptr<HypervisorBackend> make_hypervisor_backend(const BackendRequest& req, BackendContext ctx) {
#ifdef GUESTMEM_WITH_XEN
  if (req.libxen && req.kind == BackendKind::xen && !req.dry_run) {  // a test double: no privcmd to check
    if (!req.domid || *req.domid == 0) check_backend_request(req);     // the usage refusals still apply
    return make_xen_backend(req.libxen(), req, std::move(ctx));
  }
#endif
  check_backend_request(req);
  if (req.kind == BackendKind::sim) return std::make_unique<SimBackend>(ctx.model, ctx.now, open_trace(req));
  if (req.dry_run)
    return std::make_unique<DryRunBackend>(ctx.model, *req.domid, ctx.dry_run_out, ctx.now, open_trace(req));
#ifdef GUESTMEM_WITH_XEN
  return make_xen_backend(open_libxen(), req, std::move(ctx));
#else
  throw EnvironmentError("this guestmem was built without libxenctrl (install libxen-dev and reconfigure)");
#endif
}

}  // namespace gm
