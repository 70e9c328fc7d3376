#include "sim/engine/engine.h"

#include "sim/engine/actor_death.h"
#include "sim/engine/vcpu_work.h"

#include <simgrid/s4u.hpp>
#include <xbt/log.h>

#include <cmath>
#include <stdexcept>

namespace sg4 = simgrid::s4u;

namespace gm {
namespace {

bool g_deadlock = false;

bool has_prefix(const std::vector<std::string>& args, const std::string& prefix) {
  for (auto& a : args)
    if (a.rfind(prefix, 0) == 0) return true;
  return false;
}

}  // namespace

Engine::Engine(int vcpus, const std::vector<std::string>& simgrid_args) {
  if (vcpus < 1) throw std::invalid_argument("a guest needs at least one vCPU");
  // Quiet by default; any --log= from the user replaces this (design §6).
  if (!has_prefix(simgrid_args, "--log=")) xbt_log_control_set("root.thres:critical");
  argv_storage_.push_back("guestmem");
#ifdef GUESTMEM_SANITIZE_BUILD
  // ASan builds: Debian's SimGrid is not built with ASan, and with raw (or ucontext) contexts an
  // exception unwinding on an actor stack (a simulated BUG_ON, SimGrid's kill) leaves stale shadow
  // bytes that ASan then reports as a stack-buffer-overflow in sigaltstack (measured). The thread
  // factory is exact, and slower (docs/architecture.md).
  if (!has_prefix(simgrid_args, "--cfg=contexts/factory")) argv_storage_.push_back("--cfg=contexts/factory:thread");
#endif
  for (auto& a : simgrid_args) argv_storage_.push_back(a);
  std::vector<char*> argv;
  for (auto& a : argv_storage_) argv.push_back(a.data());
  argv.push_back(nullptr);
  int argc = static_cast<int>(argv.size()) - 1;
  // The engine must outlive this constructor; SimGrid keeps it as a process-wide singleton.
  static sg4::Engine* engine = new sg4::Engine(&argc, argv.data());
  (void)engine;
  if (argc > 1) throw std::invalid_argument(std::string("SimGrid did not accept the argument ") + argv[1]);

  auto* zone = sg4::create_full_zone("guest");
  // One flop = one nanosecond of CPU time (sim/engine/vcpu_work.h).
  for (int i = 0; i < vcpus; ++i)
    vcpu_hosts_.push_back(zone->create_host("vcpu" + std::to_string(i), kVcpuFlopsPerSecond)->seal());
  hypervisor_ = zone->create_host("xen", kVcpuFlopsPerSecond)->seal();
  zone->seal();
  sg4::Engine::on_deadlock_cb([] { g_deadlock = true; });
  sg4::Actor::on_wake_up_cb([this](sg4::Actor const&) { ++events_; });
}

Engine::~Engine() = default;

std::uint64_t Engine::events() const { return events_ + vcpu_work_events(); }

sg4::Host* Engine::vcpu_host(int i) const { return vcpu_hosts_.at(static_cast<std::size_t>(i)); }
sg4::Host* Engine::hypervisor_host() const { return hypervisor_; }

void Engine::spawn(const std::string& name, sg4::Host* host, std::function<void()> body, bool daemon) {
  auto actor = sg4::Actor::init(name, host);
  actor->start([this, body = std::move(body)] {
    watch_actor_death();
    try {
      body();
    } catch (const simgrid::ForcefulKillException&) {
      throw;  // SimGrid unwinds killed actors with this; never swallow it
    } catch (...) {
      if (!first_error_) first_error_ = std::current_exception();
      sg4::Actor::kill_all();
    }
  });
  if (daemon) actor->daemonize();
}

Engine::Outcome Engine::run(SimTime until) {
  g_deadlock = false;
  if (until.ns >= 0)
    sg4::Engine::get_instance()->run_until(until.seconds());
  else
    sg4::Engine::get_instance()->run();
  if (first_error_) std::rethrow_exception(first_error_);
  Outcome o;
  o.deadlock = g_deadlock;
  o.end = now();
  return o;
}

SimTime Engine::now() { return SimTime::from_seconds(sg4::Engine::get_clock()); }

}  // namespace gm
