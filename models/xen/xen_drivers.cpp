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
  // One mem_hotplug_lock per kernel: both hot-add paths see the same rcu_sync state.
  balloon_->share_hotplug_lock(hotplug_lock_);
  if (unpopulated_) unpopulated_->share_hotplug_lock(hotplug_lock_);
}

Errno XenDrivers::boot() {
  early_initcall();
  return subsys_initcall();
}

void XenDrivers::early_initcall() {
  for_balloon_ = setup_.extra_mem;
  boot_info_ = setup_.boot;
  if (!unpopulated_) return;
  unpopulated_->init_target();
  // x86 6.10+ arch hook (arch_xen_unpopulated_init, early_initcall): takes the extra regions now.
  if (setup_.unpopulated.x86_arch_hook_extra_mem) seed();
}

Errno XenDrivers::subsys_initcall() {
  // 5.9-5.17 unpopulated-alloc.c init() (subsys_initcall, PV) runs before balloon_init() in link
  // order, so the balloon sees only what is left.
  if (unpopulated_ && !setup_.unpopulated.x86_arch_hook_extra_mem) seed();
  return balloon_->init(boot_info_, for_balloon_);
}

void XenDrivers::seed() {
  std::uint64_t n = 0;
  for_balloon_ = unpopulated_->seed_extra_memory(setup_.extra_mem, &n);
  seeded_ += n;
  if (setup_.unpopulated.seeded_pages_count_as_released) boot_info_.xen_released_pages += n;
  if (setup_.unpopulated.seeded_pages_count_as_unpopulated) boot_info_.xen_unpopulated_pages += n;
}

}  // namespace gm
