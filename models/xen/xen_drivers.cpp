#include "models/xen/xen_drivers.h"

namespace gm {

XenDriversSetup XenDriversSetup::for_version(const KernelVersion& v, bool x86, XenPagesChoice choice) {
  XenDriversSetup s;
  s.unpopulated = UnpopulatedConfig::for_version(v, x86);
  s.balloon = BalloonConfig::for_version(v, x86);
  s.choice = choice;
  // The run-time fallback exists only from 5.17 (9dd060afe2df made the balloon helpers always built).
  s.choice.runtime_fallback = choice.runtime_fallback && s.unpopulated.target_resource;
  return s;
}

XenDrivers::XenDrivers(KernelEnv& env, Hypervisor& hv, XenDriversSetup setup) : setup_(std::move(setup)) {
  balloon_ = std::make_unique<Balloon>(env, hv, setup_.balloon);
  if (setup_.choice.kind == XenPagesKind::unpopulated)
    unpopulated_ = std::make_unique<UnpopulatedAllocator>(env, setup_.unpopulated);
  pages_ = make_xen_pages(setup_.choice, unpopulated_.get(), *balloon_);
}

Errno XenDrivers::boot() {
  std::vector<PfnExtent> for_balloon = setup_.extra_mem;
  BalloonBootInfo boot = setup_.boot;
  if (unpopulated_) {
    unpopulated_->init_target();
    // Both seedings (x86 arch hook at early_initcall, PV init at subsys_initcall) run before
    // balloon_init() looks at xen_extra_mem, so the balloon sees only what is left.
    for_balloon = unpopulated_->seed_extra_memory(setup_.extra_mem, &seeded_);
    if (setup_.unpopulated.seeded_pages_count_as_released) boot.xen_released_pages += seeded_;
    if (setup_.unpopulated.seeded_pages_count_as_unpopulated) boot.xen_unpopulated_pages += seeded_;
  }
  return balloon_->init(boot, for_balloon);
}

}  // namespace gm
