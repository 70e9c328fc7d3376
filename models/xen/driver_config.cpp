#include "models/xen/driver_config.h"

namespace gm {

UnpopulatedConfig UnpopulatedConfig::for_version(const KernelVersion& v, bool x86) {
  UnpopulatedConfig c;
  // ee32f32335e8 went to 5.10-rc8 and stable 5.9.y; the v4 patch and 5.9 releases before it use lru.
  c.zone_device_data_list = v.has_change("5.10-rc8");
  // drivers/xen/unpopulated-alloc.c@9e2369c06c8a: res embedded in pgmap; 5.10-rc1 (a4574f63edc6)
  // kept "pgmap first, ret = -ENOMEM" until "consolidate pgmap manipulation" reordered it (5.11-rc1;
  // stable 5.10.38 took it as f8a66e712d40 together with its fix).
  c.pgmap_before_resource = !v.has_change("5.11-rc1", {"5.10.38"});
  // The bug window of reference §2.2 rows 5/6: 5.11 .. 5.13-rc1, fixed by dbc03e81586f in 5.13-rc2 and
  // in the stable releases of 2021-05-19 (5.11.22 read in its review mail; 5.12.5 from the same batch).
  c.fill_list_enomem_bug = v.at_least("5.11-rc1") && !v.has_change("5.13-rc2", {"5.12.5", "5.11.22"});
  c.target_resource = v.at_least("5.17-rc1");
  c.pv_extra_mem_init = !v.at_least("5.18-rc3");
  c.x86_arch_hook_extra_mem = x86 && v.at_least("6.10-rc1");
  // 87af633689ce (6.15-rc2) and 0949c646d646 (7.0-rc1) both went to the 6.12 stable branch (see
  // BalloonConfig below for the points): the seeded extra pages are counted the same way there.
  const bool released = v.has_change("6.15-rc2", {"6.12.24"});
  const bool unpopulated = v.has_change("7.0-rc1", {"6.12.75"});
  c.seeded_pages_count_as_released = c.x86_arch_hook_extra_mem && released && !unpopulated;
  c.seeded_pages_count_as_unpopulated = c.x86_arch_hook_extra_mem && unpopulated;
  return c;
}

BalloonConfig BalloonConfig::for_version(const KernelVersion& v, bool x86) {
  BalloonConfig c;
  c.worker =
      v.has_change("5.15-rc3", {"5.10.70", "5.4.150"}) ? BalloonWorkerKind::kthread : BalloonWorkerKind::workqueue;
  c.xsa300 = v.at_least("5.4-rc1");
  c.max_retry_count = c.xsa300 ? 4 : 0;
  c.wait_finish = v.has_change("5.16-rc1", {"5.15.3", "5.14.19", "5.10.80", "5.4.160"});
  // Stable points read in Debian's linux 6.12.118-1 changelog (the upstream ChangeLog-6.12.N each
  // entry came from): "x86/xen: fix balloon target initialization for PVH dom0" (87af633689ce) in
  // 6.12.24; "Partial revert ..." (0949c646d646) in 6.12.75; b13cd24c15d7 "xen/balloon: improve
  // accuracy of initial balloon target for dom0" in 6.12.111 (split_v7 models the two together, so
  // 6.12.75-6.12.110 get b13cd24c15d7 early). The lab's 6.12.118 PVH dom0 reports current_kb
  // 1572860 (dom0_mem less one page), which only these accountings give (docs/lab.md, L5).
  // Linux 6.1's stable branch took none of them (Debian 6.1.192-3 changelog).
  if (v.has_change("7.0-rc1", {"6.12.75"}))
    c.boot = BalloonBootAccounting::split_v7;
  else if (v.has_change("6.15-rc2", {"6.12.24"}))
    c.boot = BalloonBootAccounting::released;
  else
    c.boot = BalloonBootAccounting::classic;
  // 6.9 (Roger Pau Monné, 20240220174341.56131-1): PVH turns UNUSABLE e820 into extra RAM for x86.
  c.extra_regions_any_guest = x86 && v.at_least("6.9-rc1");
  return c;
}

}  // namespace gm
