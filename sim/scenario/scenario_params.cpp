#include "sim/scenario/scenario_params.h"

#include <string>

namespace gm {
namespace {

using T = ParamType;

// Default markers: "" optional (null when absent), "!" required, "=PATH" same as another parameter.
std::vector<ParamSpec> build() {
  const std::vector<std::string_view> kinds{"gntdev", "blkback", "netback", "privcmd",
                                            "xenbus", "pvh_grant_frames", "drm_front"};
  return {
      {"", T::object, "{}", "", "", "", "A guestmem scenario: one simulated Xen guest, its kernel and its workload."},
      {"/$schema", T::string, "", "", "", "",
       "Editor hint: the path or URL of scenario.schema.json. Accepted and ignored by guestmem."},
      {"/name", T::string, "\"unnamed\"", "", "", "", "Short name, used in reports and plots."},
      {"/description", T::string, "\"\"", "", "", "", "Free text: what the scenario shows."},
      {"/seed", T::integer, "1", "", "0", "18446744073709551615",
       "Random seed; every actor derives its own stream from it. `--seed` overrides it."},
      {"/kernel", T::kernel_version, "\"6.12\"", "", "5.4", "7.x",
       "Guest kernel version: MAJOR.MINOR[.PATCH][-rcN] or \"v4-patch\". Selects version-dependent behaviour."},
      {"/arch", T::enumeration, "\"x86_64\"", "", "", "", "Guest architecture (Kconfig dependencies, address width).",
       {"x86_64", "i386", "arm64", "arm", "riscv64"}},
      {"/duration", T::duration, "\"60 s\"", "time", "1 ms", "720 h", "Simulated time to run."},
      {"/sampling", T::duration, "\"1 s\"", "time", "1 us", "720 h",
       "Interval between time-series samples; at most `duration`."},
      {"/expect", T::array, "[]", "", "", "", "Checks the run must satisfy for exit 0."},
      {"/expect/*", T::object, "!", "", "", "", "One check."},
      {"/expect/*/check", T::enumeration, "!", "", "", "", "What to check.",
       {"no_enomem", "no_guest_crash", "guest_crash", "effective_strategy", "metric_max", "metric_min"}},
      {"/expect/*/metric", T::string, "\"\"", "", "", "", "metric_max / metric_min: the metric's name."},
      {"/expect/*/value", T::scalar, "", "", "", "",
       "metric_max / metric_min: the bound, a number or a size/duration with its unit."},
      {"/expect/*/strategy", T::enumeration, "", "", "", "", "effective_strategy: the strategy callers must get.",
       {"ballooned", "unpopulated"}},

      {"/guest", T::object, "{}", "", "", "", "The guest domain."},
      {"/guest/type", T::enumeration, "\"pvh\"", "", "", "", "Guest type (PV needs x86; dom0 cannot be HVM).",
       {"pv", "pvh", "hvm"}},
      {"/guest/dom0", T::boolean, "false", "", "", "", "True for the control domain (dom0)."},
      {"/guest/memory", T::size, "\"4 GiB\"", "bytes", "16 MiB", "64 TiB",
       "Initial memory (xl `memory`); a multiple of 4 KiB."},
      {"/guest/maxmem", T::size, "=memory", "bytes", "16 MiB", "64 TiB",
       "Maximum memory (xl `maxmem`); at least `memory`. The balloon can grow the guest up to it."},
      {"/guest/vcpus", T::integer, "2", "", "1", "128", "Virtual CPUs."},
      {"/guest/phys_bits", T::integer, "46", "", "32", "52",
       "x86: the CPU's physical address bits (CPUID 0x80000008, `x86_phys_bits`). /proc/iomem's root ends "
       "at 2^bits - 1, so free-range searches (Xen scratch, hot-add) stop there. QEMU's TCG `-cpu max` "
       "reports 40."},
      {"/guest/firmware", T::enumeration, "\"acpi\"", "", "", "", "How the guest discovers its hardware.",
       {"dt", "acpi"}},
      {"/guest/pci_use_e820", T::boolean, "true", "", "", "", "x86: clip allocate_resource() to avoid e820 "
       "reserved ranges (arch/x86/kernel/resource.c); false is the \"pci=no_e820\" command line (5.19+)."},
      {"/guest/e820", T::entries_or_file, "", "", "", "", "The guest's memory map: an array of entries, or "
       "{\"file\": PATH} to import one (dmesg, (XEN) prints, /sys/firmware/memmap, guestmem JSON). "
       "Absent: built from `memory` and the arch's usual layout."},
      {"/guest/e820/*", T::object, "!", "", "", "", "One entry."},
      {"/guest/e820/*/start", T::address, "!", "address", "", "", "First address (integer or \"0x...\")."},
      {"/guest/e820/*/end", T::address, "!", "address", "", "", "Last address, inclusive."},
      {"/guest/e820/*/type", T::string, "!", "", "", "",
       "Type as the kernel prints it: \"usable\", \"reserved\", \"ACPI data\", \"ACPI NVS\", \"unusable\", ..."},
      {"/guest/e820/file", T::path, "!", "", "", "", "A memory-map file, relative to the scenario file."},
      {"/guest/iomem", T::path, "", "", "", "",
       "A /proc/iomem dump (read as root) used as the starting resource tree, relative to the scenario file."},

      {"/kconfig", T::map, "{}", "", "", "", "Kconfig symbol overrides, e.g. {\"ZONE_DEVICE\": \"n\"}."},
      {"/kconfig/<SYMBOL>", T::kconfig_value, "!", "", "", "",
       "A symbol (upper case, without CONFIG_) set to \"y\", \"m\", \"n\" or an integer."},
      {"/kconfig_file", T::path, "", "", "", "",
       "A real kernel configuration (a .config, /boot/config-*, /proc/config.gz content gzipped or not, or "
       "CONFIG_X=y lines), relative to the scenario file: the Kconfig base instead of the built-in distro dom0 "
       "config; `kconfig` overrides apply on top (docs/kconfig.md)."},

      {"/xen", T::object, "{}", "", "", "", "The hypervisor."},
      {"/xen/version", T::xen_version, "\"4.19\"", "", "", "", "Xen version, MAJOR.MINOR."},
      {"/xen/host_free_memory", T::size, "\"64 GiB\"", "bytes", "0 B", "1024 TiB",
       "Free host memory Xen can populate from."},
      {"/xen/extended_regions", T::array, "[]", "", "", "", "Arm: ranges Xen advertises as safe for foreign "
       "mappings (device tree), used as the unpopulated allocator's target resource."},
      {"/xen/extended_regions/*", T::object, "!", "", "", "", "One region."},
      {"/xen/extended_regions/*/start", T::address, "!", "address", "", "", "First address."},
      {"/xen/extended_regions/*/end", T::address, "!", "address", "", "", "Last address, inclusive."},
      {"/xen/faults", T::array, "[]", "", "", "", "Failures to inject."},
      {"/xen/faults/*", T::object, "!", "", "", "", "One fault."},
      {"/xen/faults/*/what", T::enumeration, "!", "", "", "", "The operation that fails.",
       {"populate_physmap", "decrease_reservation", "pgmap_alloc", "p2m_alloc", "memremap"}},
      {"/xen/faults/*/at", T::duration, "\"0 s\"", "time", "0 ns", "720 h", "When the failures start."},
      {"/xen/faults/*/count", T::integer, "1", "", "1", "1000000", "How many consecutive calls fail."},

      {"/balloon", T::object, "{}", "", "", "", "The balloon driver (drivers/xen/balloon.c)."},
      {"/balloon/scrub", T::boolean, "true", "", "", "", "Scrub pages before giving them back (xen_scrub_pages)."},
      {"/balloon/max_retry_count", T::integer, "4", "", "0", "1000000",
       "Balloon worker retries before giving up on a target; 0 = unlimited (balloon_stats.max_retry_count)."},
      {"/balloon/max_schedule_delay", T::duration, "\"32 s\"", "time", "1 s", "720 h",
       "Longest back-off between worker runs (balloon_stats.max_schedule_delay)."},
      {"/balloon/hotplug_unpopulated", T::boolean, "false", "", "", "",
       "xen.balloon.hotplug_unpopulated: hot-add unpopulated memory to satisfy allocations."},
      {"/balloon/auto_online", T::boolean, "true", "", "", "", "Hot-added memory blocks are onlined automatically."},
      {"/balloon/online_delay", T::duration, "\"0 s\"", "time", "0 ns", "720 h",
       "Delay before a hot-added block is onlined (udev or the toolstack)."},
      {"/balloon/vcpu", T::integer, "0", "", "0", "127",
       "The vCPU the balloon worker computes on, with the hypercalls and the onlining it does; below "
       "`guest.vcpus` (docs/architecture.md \"The CPU model\")."},
      {"/balloon/target", T::array, "[]", "", "", "", "Target changes, as the toolstack writes memory/target."},
      {"/balloon/target/*", T::object, "!", "", "", "", "One change."},
      {"/balloon/target/*/at", T::duration, "!", "time", "0 ns", "720 h", "When it is written."},
      {"/balloon/target/*/size", T::size, "!", "bytes", "0 B", "64 TiB", "The new target; at most `guest.maxmem`."},

      {"/costs", T::object, "{}", "", "", "", "The cost model."},
      {"/costs/file", T::path, "", "", "", "",
       "A cost file (like scenarios/costs/default.json), relative to the scenario file; absent: the default."},
      {"/costs/overrides", T::map, "{}", "", "", "", "Individual costs, e.g. {\"scrub_page\": \"300 ns\"}."},
      {"/costs/overrides/<NAME>", T::duration, "!", "time", "0 ns", "1 h", "A cost parameter's new value."},

      {"/workload", T::object, "{}", "", "", "", "What the guest does."},
      {"/workload/callers", T::array, "[]", "", "", "", "Users of foreign-mapping pages."},
      {"/workload/callers/*", T::object, "!", "", "", "", "One kind of caller (see reference §5)."},
      {"/workload/callers/*/name", T::string, "=kind", "", "", "", "Name in reports; unique."},
      {"/workload/callers/*/kind", T::enumeration, "!", "", "", "", "The kernel user it models.", kinds},
      {"/workload/callers/*/count", T::integer, "1", "", "1", "10000",
       "Identical callers (queues, devices); one simulated actor each."},
      {"/workload/callers/*/arrival", T::object, "{}", "", "", "", "When requests arrive."},
      {"/workload/callers/*/arrival/process", T::enumeration, "\"poisson\"", "", "", "",
       "poisson: exponential gaps at `rate_per_s`; periodic: every `period`; burst: `burst_size` requests at "
       "a time, bursts at `rate_per_s`; once: one request at `start`.",
       {"poisson", "periodic", "burst", "once"}},
      {"/workload/callers/*/arrival/rate_per_s", T::number, "100", "1/s", "0", "1000000000",
       "Mean arrivals per second (poisson, burst); must be > 0 for them."},
      {"/workload/callers/*/arrival/period", T::duration, "\"10 ms\"", "time", "1 ns", "720 h",
       "Time between arrivals (periodic)."},
      {"/workload/callers/*/arrival/burst_size", T::integer, "1", "", "1", "100000", "Requests per burst (burst)."},
      {"/workload/callers/*/size", T::object, "{}", "", "", "", "Pages per request."},
      {"/workload/callers/*/size/distribution", T::enumeration, "\"fixed\"", "", "", "",
       "fixed: `pages`; uniform: `min_pages`..`max_pages`; lognormal: `median_pages`, `sigma`; choice: one of "
       "`choices`, equally likely.",
       {"fixed", "uniform", "lognormal", "choice"}},
      {"/workload/callers/*/size/pages", T::integer, "1", "pages", "1", "16777216", "Pages per request (fixed)."},
      {"/workload/callers/*/size/min_pages", T::integer, "1", "pages", "1", "16777216", "Smallest request (uniform)."},
      {"/workload/callers/*/size/max_pages", T::integer, "16", "pages", "1", "16777216",
       "Largest request (uniform); at least `min_pages`."},
      {"/workload/callers/*/size/median_pages", T::number, "4", "pages", "1", "16777216", "Median (lognormal)."},
      {"/workload/callers/*/size/sigma", T::number, "1", "", "0", "10", "Shape: sd of the log (lognormal)."},
      {"/workload/callers/*/size/choices", T::array, "[]", "", "", "", "Sizes to pick from (choice); not empty."},
      {"/workload/callers/*/size/choices/*", T::integer, "!", "pages", "1", "16777216", "One size."},
      {"/workload/callers/*/hold", T::duration, "\"10 ms\"", "time", "0 ns", "720 h",
       "How long each mapping is kept before it is freed."},
      {"/workload/callers/*/start", T::duration, "\"0 s\"", "time", "0 ns", "720 h", "First arrival not before."},
      {"/workload/callers/*/stop", T::duration, "=/duration", "time", "0 ns", "720 h",
       "No arrivals from then on; after `start`, at most `duration`."},
      {"/workload/callers/*/max_requests", T::integer, "0", "", "0", "18446744073709551615",
       "Stop after this many requests; 0 = unlimited."},
      {"/workload/callers/*/vcpu", T::integer, "", "", "0", "127",
       "The vCPU every instance computes on; below `guest.vcpus`. Absent: the instances of all callers are "
       "spread round robin over the vCPUs, in the order they are listed."},
      {"/workload/memory_pressure", T::object, "", "", "", "",
       "Ordinary guest allocations that fragment memory; absent: none."},
      {"/workload/memory_pressure/anon_rate_per_s", T::number, "0", "1/s", "0", "1000000000",
       "Movable (anonymous) allocations per second."},
      {"/workload/memory_pressure/slab_rate_per_s", T::number, "0", "1/s", "0", "1000000000",
       "Unmovable (slab) allocations per second."},
      {"/workload/memory_pressure/order", T::integer, "0", "", "0", "10", "Buddy order of each allocation."},
      {"/workload/memory_pressure/lifetime", T::duration, "\"1 s\"", "time", "0 ns", "720 h",
       "Mean lifetime of an allocation."},
      {"/workload/memory_pressure/thp_attempts_per_s", T::number, "0", "1/s", "0", "1000000000",
       "Order-9 (THP) allocation attempts per second; their success rate is reported."},
      {"/workload/memory_pressure/target_used", T::size, "\"0 B\"", "bytes", "0 B", "64 TiB",
       "Stop allocating above this much used memory; at most `guest.memory`."},
      {"/workload/memory_pressure/vcpu", T::integer, "", "", "0", "127",
       "The vCPU the allocation generator computes on; below `guest.vcpus`. Absent: the last vCPU."},
      {"/workload/memory_pressure/kcompactd_vcpu", T::integer, "0", "", "0", "127",
       "The vCPU kcompactd and kswapd compute on (per-node kthreads, one node); below `guest.vcpus`."},
      {"/workload/memory_pressure/file_rate_per_s", T::number, "0", "1/s", "0", "1000000000",
       "File pages read into the page cache per second: clean and reclaimable, never freed by the "
       "workload, so the cache grows until kswapd and direct reclaim take it back. Not counted in "
       "`target_used` (anonymous and slab memory, not reclaimable without swap)."},
      {"/workload/pci", T::array, "[]", "", "", "", "PCI windows and BARs claimed at given times."},
      {"/workload/pci/*", T::object, "!", "", "", "", "One claim."},
      {"/workload/pci/*/at", T::duration, "!", "time", "0 ns", "720 h", "When it is claimed."},
      {"/workload/pci/*/kind", T::enumeration, "!", "", "", "", "A bridge window or a device BAR.",
       {"window", "bar"}},
      {"/workload/pci/*/name", T::string, "!", "", "", "", "Name in /proc/iomem."},
      {"/workload/pci/*/start", T::address, "!", "address", "", "", "First address."},
      {"/workload/pci/*/size", T::size, "!", "bytes", "1 B", "1024 TiB", "Length."},
  };
}

std::string_view parent_of(std::string_view path) {
  auto slash = path.rfind('/');
  return slash == std::string_view::npos ? std::string_view{} : path.substr(0, slash);
}

}  // namespace

const std::vector<ParamSpec>& scenario_params() {
  static const std::vector<ParamSpec> table = build();
  return table;
}

const ParamSpec* find_param(std::string_view pattern_path) {
  for (const auto& p : scenario_params())
    if (p.path == pattern_path) return &p;
  return nullptr;
}

std::vector<const ParamSpec*> param_children(std::string_view pattern_path) {
  std::vector<const ParamSpec*> out;
  for (const auto& p : scenario_params())
    if (!p.path.empty() && parent_of(p.path) == pattern_path) out.push_back(&p);
  return out;
}

std::string_view param_key(const ParamSpec& p) {
  auto slash = p.path.rfind('/');
  return slash == std::string_view::npos ? p.path : p.path.substr(slash + 1);
}

std::string_view to_string(ParamType t) {
  switch (t) {
    case T::object: return "object";
    case T::array: return "array";
    case T::map: return "map";
    case T::entries_or_file: return "array or {\"file\": path}";
    case T::string: return "string";
    case T::boolean: return "boolean";
    case T::integer: return "integer";
    case T::number: return "number";
    case T::size: return "size";
    case T::duration: return "duration";
    case T::enumeration: return "enum";
    case T::kernel_version: return "kernel version";
    case T::xen_version: return "Xen version";
    case T::path: return "file path";
    case T::address: return "address";
    case T::kconfig_value: return "y|m|n|integer";
    case T::scalar: return "string or number";
  }
  return "?";
}

}  // namespace gm
