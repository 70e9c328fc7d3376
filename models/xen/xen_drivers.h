// The Xen drivers of one guest wired together in the kernel's boot order: the unpopulated allocator
// (when built), the balloon, and the xen_pages seam callers use. This is what sim/ instantiates.
#pragma once

#include <memory>
#include <vector>

#include "models/kernel_version.h"
#include "models/xen/balloon.h"
#include "models/xen/unpopulated_alloc.h"
#include "models/xen/xen_pages_backends.h"

namespace gm {

// Everything the drivers need to know at boot. for_version() fills the version switches; the caller
// then applies scenario knobs (balloon.scrub, max_retry_count, hotplug_unpopulated...).
struct XenDriversSetup {
  UnpopulatedConfig unpopulated;
  BalloonConfig balloon;
  XenPagesChoice choice;
  std::vector<PfnExtent> extra_mem;  // xen_extra_mem[] from arch/x86/xen/setup.c (may be empty)
  BalloonBootInfo boot;

  static XenDriversSetup for_version(const KernelVersion& v, bool x86, XenPagesChoice choice);
};

// Contract: construct, then boot() once before any caller runs; worker_main() of balloon() goes to
// one actor. pages() is the only allocator callers may use.
class XenDrivers {
 public:
  XenDrivers(KernelEnv& env, Hypervisor& hv, XenDriversSetup setup);

  // early_initcall: unpopulated target (5.17+) and the x86 6.10+ arch hook seeding; subsys_initcall:
  // the PV seeding (5.9-5.17) and balloon_init with the regions nobody took. Returns balloon_init's
  // result (-ERANGE on its accounting underflow).
  Errno boot();
  // The same in two halves, for a boot sequence that runs other initcalls in between (core_initcall
  // PVH grant frames): early_initcall() = unpopulated_init (target) and the x86 6.10+ arch hook
  // seeding; subsys_initcall() = the 5.9-5.17 PV seeding and balloon_init(). boot() = both.
  void early_initcall();
  Errno subsys_initcall();

  Balloon& balloon() { return *balloon_; }
  UnpopulatedAllocator* unpopulated() { return unpopulated_.get(); }  // null when UNPOPULATED=n
  XenPages& pages() { return *pages_; }
  const XenDriversSetup& setup() const { return setup_; }
  std::uint64_t pages_seeded_to_unpopulated() const { return seeded_; }

 private:
  void seed();  // seed_extra_memory() and the boot accounting of what it took

  XenDriversSetup setup_;
  MemHotplugLock hotplug_lock_;  // mm/memory_hotplug.c mem_hotplug_lock, shared by both hot-add paths
  std::unique_ptr<Balloon> balloon_;
  std::unique_ptr<UnpopulatedAllocator> unpopulated_;
  std::unique_ptr<XenPages> pages_;
  std::uint64_t seeded_ = 0;
  std::vector<PfnExtent> for_balloon_;  // the extra regions no unpopulated seeding took
  BalloonBootInfo boot_info_;
};

}  // namespace gm
