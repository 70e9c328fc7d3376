// The typed scenario the runner consumes (design §7): plain value types, one struct per section, every
// default already resolved by the loader. The one parameter table (scenario_params.h) declares each
// field's JSON path, default, unit, range and description; docs/scenario-format.md is generated from it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "models/arch.h"
#include "models/kernel_version.h"
#include "models/units.h"
#include "models/xen/callers.h"

namespace gm {

// Arch and GuestType come from models/arch.h.
enum class Firmware { dt, acpi };
enum class ExpectCheck { no_enomem, no_guest_crash, guest_crash, effective_strategy, metric_max, metric_min };
enum class FaultWhat { populate_physmap, decrease_reservation, pgmap_alloc, p2m_alloc, memremap };
// CallerKind comes from models/xen/callers.h (the drivers' callers).
enum class ArrivalProcess { poisson, periodic, burst, once };
enum class SizeDistribution { fixed, uniform, lognormal, choice };
enum class PciKind { window, bar };

// One `expect` entry: a check the run must satisfy for exit 0.
struct Expectation {
  ExpectCheck check = ExpectCheck::no_enomem;
  std::string metric;              // metric_max / metric_min: the metric's name
  std::string value;               // metric bound as written ("10 ms", or a number printed as JSON)
  bool value_is_number = false;    // true when `value` was a JSON number
  std::string strategy;            // effective_strategy: "ballooned" | "unpopulated"
};

// One e820 entry given inline; `range.end` is inclusive, as the kernel prints it.
struct E820EntrySpec {
  AddrRange range;
  std::string type;  // as the kernel prints it: "usable", "reserved", "ACPI data", ...
};

struct GuestSpec {
  GuestType type = GuestType::pvh;
  bool dom0 = false;
  Bytes memory = GiB(4);
  Bytes maxmem = GiB(4);  // defaults to memory; always >= memory
  int vcpus = 2;
  int phys_bits = 46;  // x86_phys_bits: iomem_resource.end = 2^bits - 1 (arch/x86/kernel/setup.c)
  Firmware firmware = Firmware::acpi;
  bool pci_use_e820 = true;  // false: the "pci=no_e820" command line (x86, 5.19+): no e820 clip
  std::vector<E820EntrySpec> e820;               // inline entries (empty when none or when e820_file is set)
  std::optional<std::filesystem::path> e820_file;  // {"file": ...}, resolved against the scenario's folder
  std::optional<std::filesystem::path> iomem;      // a /proc/iomem dump, resolved likewise
};

struct FaultSpec {
  FaultWhat what = FaultWhat::populate_physmap;
  SimTime at;
  int count = 1;  // how many consecutive calls fail from `at`
};

struct XenSpec {
  std::string version = "4.19";
  Bytes host_free_memory = GiB(64);
  std::vector<AddrRange> extended_regions;  // Arm: ranges Xen advertises as safe for foreign mappings
  std::vector<FaultSpec> faults;
};

struct TargetChange {
  SimTime at;
  Bytes size;  // what the toolstack writes to memory/target
};

struct BalloonSpec {
  bool scrub = true;
  int max_retry_count = 4;  // 0 = unlimited
  SimTime max_schedule_delay = seconds(32);
  bool hotplug_unpopulated = false;
  bool auto_online = true;
  SimTime online_delay = seconds(0);
  std::vector<TargetChange> target;
  int vcpu = 0;  // the vCPU the balloon worker (and the onlining it does) computes on
};

struct CostsSpec {
  std::optional<std::filesystem::path> file;     // resolved against the scenario's folder
  std::map<std::string, std::string> overrides;  // cost name -> value with unit ("1500 ns")
};

struct ArrivalSpec {
  ArrivalProcess process = ArrivalProcess::poisson;
  double rate_per_s = 100.0;            // poisson / burst: mean requests (bursts) per second
  SimTime period = milliseconds(10);    // periodic: time between requests
  int burst_size = 1;                   // burst: requests per burst
};

struct SizeSpec {
  SizeDistribution distribution = SizeDistribution::fixed;
  std::int64_t pages = 1;         // fixed
  std::int64_t min_pages = 1;     // uniform
  std::int64_t max_pages = 16;    // uniform
  double median_pages = 4.0;      // lognormal
  double sigma = 1.0;             // lognormal
  std::vector<std::int64_t> choices;  // choice: equally likely sizes
};

struct CallerSpec {
  std::string name;  // defaults to the kind's name
  CallerKind kind = CallerKind::gntdev;
  int count = 1;     // identical callers / queues / devices
  ArrivalSpec arrival;
  SizeSpec size;
  SimTime hold = milliseconds(10);  // how long each mapping is kept
  SimTime start = seconds(0);
  SimTime stop = seconds(60);       // defaults to the scenario duration
  std::uint64_t max_requests = 0;   // 0 = unlimited
  std::optional<int> vcpu;          // every instance on this vCPU; absent: round robin over the vCPUs
};

struct MemoryPressureSpec {
  double anon_rate_per_s = 0;
  double slab_rate_per_s = 0;
  int order = 0;  // 0..10
  SimTime lifetime = seconds(1);
  double thp_attempts_per_s = 0;
  Bytes target_used = GiB(0);
  std::optional<int> vcpu;  // the allocating generator's vCPU; absent: the last one
  int kcompactd_vcpu = 0;
  double file_rate_per_s = 0;  // page cache pages read per second (clean, reclaimable)
};

struct PciEventSpec {
  SimTime at;
  PciKind kind = PciKind::window;
  std::string name;
  PhysAddr start;
  Bytes size;
};

struct WorkloadSpec {
  std::vector<CallerSpec> callers;
  std::optional<MemoryPressureSpec> memory_pressure;
  std::vector<PciEventSpec> pci;
};

struct Scenario {
  std::string name = "unnamed";
  std::string description;
  std::uint64_t seed = 1;
  KernelVersion kernel = KernelVersion::from("6.12");
  Arch arch = Arch::x86_64;
  SimTime duration = seconds(60);
  SimTime sampling = seconds(1);
  std::vector<Expectation> expect;
  GuestSpec guest;
  std::map<std::string, std::string> kconfig;  // SYMBOL -> "y" | "m" | "n" | decimal integer
  std::optional<std::filesystem::path> kconfig_file;  // a real .config as the Kconfig base (sim/kconfig/kconfig_file.h)
  XenSpec xen;
  BalloonSpec balloon;
  CostsSpec costs;
  WorkloadSpec workload;

  std::string source;                // where it came from (the file name as given, or a display name)
  std::filesystem::path base_dir;    // folder relative paths were resolved against
};

// Loads and validates a scenario file. Throws gm::InputError carrying EVERY problem found, one line each
// ("FILE: /json/path: found X, expected Y" or "FILE:LINE:COL: ..."). Files above kMaxScenarioBytes are refused.
Scenario load_scenario_file(const std::filesystem::path& path);
// Same for text already in memory; `display_name` prefixes error lines; relative file references are
// resolved against `base_dir` (and must exist).
Scenario load_scenario_text(std::string_view text, std::string_view display_name, std::filesystem::path base_dir);

inline constexpr std::uint64_t kMaxScenarioBytes = std::uint64_t{64} << 20;  // 64 MiB
inline constexpr int kMaxScenarioDepth = 64;                                 // JSON nesting levels

// The scenario with every default resolved, as report.json's "scenario": sizes and durations as normalised
// unit strings ("4 GiB", "200 ms"), addresses as integers, enums as their names, unset optionals as null.
nlohmann::json to_json(const Scenario& s);

std::string_view to_string(Arch a);
std::string_view to_string(GuestType t);
std::string_view to_string(Firmware f);
std::string_view to_string(ExpectCheck c);
std::string_view to_string(FaultWhat w);
std::string_view to_string(CallerKind k);
std::string_view to_string(ArrivalProcess p);
std::string_view to_string(SizeDistribution d);
std::string_view to_string(PciKind k);

}  // namespace gm
