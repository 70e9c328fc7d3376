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
#include <string_view>

#include "models/xen/hypervisor.h"
#include "sim/hypervisor/simulated.h"

namespace gm {

enum class BackendKind { sim, xen };

inline constexpr std::string_view kNoPrivcmdMessage =
    "the real Xen backend needs a Xen domain with /dev/xen/privcmd; this machine has none";

struct BackendRequest {
  BackendKind kind = BackendKind::sim;
  std::optional<std::uint32_t> domid;                    // the target (required with xen)
  bool dry_run = false;                                  // xen: print the hypercalls, touch nothing
  std::optional<std::filesystem::path> hypercall_trace;  // JSON lines, both backends
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
};

// Owns the backend of one run. Contract: hypervisor() is what the drivers call; populate_counts() and
// decrease_counts() are the calls made to it (report balloon.hypercalls), whichever backend it is.
class HypervisorBackend {
 public:
  virtual ~HypervisorBackend() = default;
  virtual Hypervisor& hypervisor() = 0;
  virtual HypercallCounts populate_counts() const = 0;
  virtual HypercallCounts decrease_counts() const = 0;
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
