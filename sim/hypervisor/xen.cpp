#include "sim/hypervisor/xen.h"

#include <chrono>
#include <string>

#include "models/errors.h"

namespace gm {

void verify_xen_target(XenCalls& calls, const XenTargetExpectation& e) {
  const std::string dom = "--domid " + std::to_string(e.domid);
  // Domain 0 owns the host: ballooning it from a simulator is never what an experiment wants.
  if (e.domid == 0) throw InputError(dom + ": refused, domain 0 is the control domain; create a guest for the run");
  auto info = calls.domain_info(e.domid);
  if (!info) throw InputError(dom + ": refused, no such domain (xl list shows the domains)");
  if (info->dying) throw InputError(dom + ": refused, the domain is dying");
  if (calls.is_own_domain(e.domid))
    throw InputError(dom + ": refused, it is the domain guestmem runs in (its frames would be taken from under it)");
  const std::uint64_t slack = e.tot_pages / 64;
  const std::uint64_t diff =
      info->tot_pages > e.tot_pages ? info->tot_pages - e.tot_pages : e.tot_pages - info->tot_pages;
  if (diff > slack)
    throw InputError(dom + ": refused, the domain has " + std::to_string(info->tot_pages) +
                     " pages (tot_pages), the scenario's guest.memory is " + std::to_string(e.tot_pages) +
                     " pages; create it with the scenario's memory");
  if (info->max_pages < e.max_pages)
    throw InputError(dom + ": refused, the domain's max_pages " + std::to_string(info->max_pages) +
                     " is below the scenario's guest.maxmem " + std::to_string(e.max_pages) + " pages");
}

XenHypervisor::XenHypervisor(XenCalls& calls, XenBackendConfig config) : calls_(calls), cfg_(std::move(config)) {}

template <class Call>
long XenHypervisor::issue(const char* kind, std::span<const Pfn> gfns, HypercallCounts& counts, Call&& call) {
  SimTime start = cfg_.now ? cfg_.now() : SimTime{};
  buf_.assign(gfns.begin(), gfns.end());  // Xen may write frames back: never into the drivers' array
  // The one wall clock of the simulator (design §6): the real call's duration becomes simulated time.
  auto t0 = std::chrono::steady_clock::now();
  long r = call(std::span<Pfn>(buf_));
  auto t1 = std::chrono::steady_clock::now();
  SimTime took{std::chrono::duration_cast<std::chrono::nanoseconds>(t1 - t0).count()};
  if (cfg_.charge) cfg_.charge(took);
  ++counts.calls;
  if (r > 0) counts.frames += static_cast<std::uint64_t>(r);
  if (cfg_.on_call) cfg_.on_call({kind, gfns.size(), r, start, took});
  return r;
}

long XenHypervisor::populate_physmap(std::span<const Pfn> gfns) {
  long r = issue("populate_physmap", gfns, populate_,
                 [&](std::span<Pfn> b) { return calls_.populate_physmap(cfg_.domid, b); });
  // xen/common/memory.c@RELEASE-4.17.0 populate_physmap stops at the first failed extent: the first
  // r gfns are the ones populated.
  if (r > 0 && cfg_.mirror) cfg_.mirror->populate_physmap(gfns.first(static_cast<std::size_t>(r)));
  return r;
}

long XenHypervisor::decrease_reservation(std::span<const Pfn> gfns) {
  long r = issue("decrease_reservation", gfns, decrease_,
                 [&](std::span<Pfn> b) { return calls_.decrease_reservation(cfg_.domid, b); });
  if (r > 0 && cfg_.mirror) cfg_.mirror->decrease_reservation(gfns.first(static_cast<std::size_t>(r)));
  return r;
}

std::uint64_t XenHypervisor::current_reservation() {
  auto info = calls_.domain_info(cfg_.domid);
  return info ? info->tot_pages : 0;
}

std::uint64_t XenHypervisor::maximum_reservation() {
  auto info = calls_.domain_info(cfg_.domid);
  return info ? info->max_pages : 0;
}

}  // namespace gm
