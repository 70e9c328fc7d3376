// Chooses and builds the hypervisor backend of a run (`guestmem run --backend sim|xen`): the simulated
// one, a dry run that prints the hypercalls the real one would make, or the real PV backend. Always
// built; the real backend only exists when GUESTMEM_WITH_XEN found libxenctrl.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "models/xen/hypervisor.h"
#include "sim/hypervisor/simulated.h"
#include "sim/scenario/scenario.h"

namespace gm {

enum class BackendKind { sim, xen };

class XenCalls;  // sim/hypervisor/xen_calls.h: the libxen layer (only built with GUESTMEM_WITH_XEN)

inline constexpr std::string_view kNoPrivcmdMessage =
    "the real Xen backend needs a Xen domain with /dev/xen/privcmd; this machine has none";

struct BackendRequest {
  BackendKind kind = BackendKind::sim;
  std::optional<std::uint32_t> domid;                    // the target (required with xen)
  bool dry_run = false;                                  // xen: print the hypercalls, touch nothing
  std::optional<std::filesystem::path> hypercall_trace;  // JSON lines, both backends
  // Tests: a double of the libxen layer instead of open_libxen() (no privcmd needed); real runs leave it empty.
  std::function<std::unique_ptr<XenCalls>()> libxen;
};

// Usage checks before anything runs: --domid/--dry-run only with --backend xen, xen needs --domid,
// domain 0 is refused (gm::InputError, exit 2); a real (not dry) run without `privcmd` is an
// gm::EnvironmentError (exit 3) with kNoPrivcmdMessage, as is a build without libxen.
void check_backend_request(const BackendRequest& req, const std::filesystem::path& privcmd = "/dev/xen/privcmd");

// What the runner knows that a backend needs.
struct BackendContext {
  SimulatedHypervisor& model;  // the modelled domain: the simulated backend itself, else the mirror
  std::uint64_t expected_tot_pages = 0, expected_max_pages = 0;
  std::function<void(SimTime)> charge;  // sleep in the calling actor
  std::function<SimTime()> now;
  std::ostream* dry_run_out = nullptr;  // where --dry-run prints (stdout, or stderr under --json)
  // The scenario's injected hypercall faults ("FILE: /xen/faults/N: populate_physmap"): the real backend
  // refuses them (hypercall_fault_refusal), the others apply them to the model that answers the drivers.
  std::vector<std::string> hypercall_faults;
};

// The one source of hypercall facts: with the real backend the drivers' calls go to the target and the
// model is only a mirror of its accounting, so a fault injected into the model would fail calls nobody
// makes. Returns the refusal (gm::InputError lines, exit 2) for `faults` under `req`, or nothing.
std::vector<std::string> hypercall_fault_refusal(const BackendRequest& req, const std::vector<std::string>& faults);

// The scenario's populate_physmap / decrease_reservation faults, as hypercall_fault_refusal names them.
std::vector<std::string> scenario_hypercall_faults(const Scenario& sc);

// Owns the backend of one run. Contract: hypervisor() is what the drivers call; populate_counts() and
// decrease_counts() are the calls made to it, whichever backend it is, and observe_calls() sees each of
// those calls once, with the time it charged: every hypercall count and span of every output (report,
// time series, Chrome trace) comes from here, never from a mirror.
class HypervisorBackend {
 public:
  virtual ~HypervisorBackend() = default;
  virtual Hypervisor& hypervisor() = 0;
  virtual HypercallCounts populate_counts() const = 0;
  virtual HypercallCounts decrease_counts() const = 0;
  virtual void observe_calls(std::function<void(const HypercallRecord&)> observer) = 0;
  // True when the model must charge no cost-model time (the real backend charges measured time).
  static bool model_is_mirror(const BackendRequest& req) { return req.kind == BackendKind::xen && !req.dry_run; }
};

// Builds the backend after check_backend_request(). For the real backend it opens libxen and verifies
// the target (verify_xen_target) before returning: no hypercall is made on a refused target.
std::unique_ptr<HypervisorBackend> make_hypervisor_backend(const BackendRequest& req, BackendContext ctx);

#ifdef GUESTMEM_WITH_XEN
class XenCalls;
// The real backend over a given libxen layer (make_hypervisor_backend passes open_libxen(); tests a
// double): verifies the target first, then wraps XenHypervisor with the model as its mirror.
std::unique_ptr<HypervisorBackend> make_xen_backend(std::unique_ptr<XenCalls> calls, const BackendRequest& req,
                                                    BackendContext ctx);
#endif

}  // namespace gm
