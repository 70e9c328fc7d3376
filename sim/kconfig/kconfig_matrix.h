// `guestmem kconfig --matrix`: runs one scenario over arch x kernel x {ZONE_DEVICE, XEN_UNPOPULATED_ALLOC,
// XEN_BALLOON_MEMORY_HOTPLUG} (issue 7), one `guestmem run` child per distinct configuration, and
// classifies each cell as the kernel's expected behaviour (served, -ENOMEM, a known bug of that version)
// or as unexpected (invariant violation, unexplained failure or crash, deadlock, internal error).
#pragma once

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "models/arch.h"
#include "models/kernel_version.h"
#include "models/units.h"

namespace gm {

// The three symbols the matrix toggles, in column order.
inline constexpr std::string_view kMatrixSymbols[] = {"ZONE_DEVICE", "XEN_UNPOPULATED_ALLOC",
                                                      "XEN_BALLOON_MEMORY_HOTPLUG"};

// The kernels the matrix covers by default: one per Kconfig stage plus the run-time changes that
// matter to the allocators (5.12: fill_list BUG_ON window; 6.10: x86 arch hook seeds the list).
std::vector<std::string> matrix_default_kernels();

struct MatrixOptions {
  std::string scenario;                 // scenario file; empty: the embedded scenarios/default.json
  std::string kconfig_file;             // a real .config as every cell's Kconfig base (overrides the scenario's)
  std::vector<Arch> archs;              // empty: x86_64, i386, arm64, arm, riscv64
  std::vector<KernelVersion> kernels;   // empty: matrix_default_kernels()
  std::optional<SimTime> max_duration;  // cells run min(scenario duration, this); nullopt: as written
  // false (the default cut, only a speed-up): a cut that would drop events runs in full instead of throwing.
  bool max_duration_explicit = false;
  unsigned jobs = 1;
  std::filesystem::path out;            // DIR: writes DIR/cells/*.json, DIR/cells/<id>/, DIR/matrix.json
  std::string self;                     // this executable, re-executed as `run`
  std::vector<std::string> extra_args;  // passed to every child (SimGrid --cfg/--log)
  bool progress = false;                // one line per finished child on stderr
};

// How a cell ended. `expected` says whether that is what the configured kernel does.
struct MatrixCell {
  std::string id;  // "x86_64-6.12-ZDy-UAy-BHy"
  Arch arch = Arch::x86_64;
  KernelVersion kernel;
  std::vector<std::string> requested;  // per kMatrixSymbols: "y"/"n"; empty for an n/a row
  std::vector<std::string> effective;  // what Kconfig resolves them to ("n" when absent)
  std::vector<std::string> notes;      // requested values Kconfig ignored, and why
  std::string allocator;               // "unpopulated" | "ballooned" | "" (not run)
  bool runtime_fallback = false;
  std::string outcome;  // ok | enomem | known-bug | n/a | invariant | crash | failure | deadlock | incomplete |
                        // mismatch | error
  bool expected = true;
  std::string reason;
  std::string same_as;        // id of the cell whose run this one shares (identical resolved Kconfig)
  std::string scenario_file;  // relative to DIR
  std::string run_dir;        // relative to DIR ("" when not run)
  int exit_code = 0;
  // Key metrics (from the run's report.json); nullopt when not run.
  std::optional<std::uint64_t> requests, failures, enomem, scratch_bytes, ballooned_pages, hypercalls;
  std::optional<std::int64_t> p99_ns;
};

struct MatrixResult {
  std::string scenario_name;
  std::string scenario_source;
  SimTime duration;           // what each cell ran for
  std::string duration_note;  // why the default cut was not applied, or empty
  unsigned jobs = 1;
  std::size_t runs = 0;  // child processes started
  std::vector<MatrixCell> cells;
  std::size_t unexpected() const;
};

struct Scenario;

// Why the -ENOMEM failures of a run are what the kernel does, by a named rule, or nullopt when no rule
// explains them (the cell is then unexpected). `allocator` is the run's strategy.effective, `report` its
// report.json. Rules, in order:
//  - "fault injected": the scenario injects a failure on that allocator's path (unpopulated: pgmap_alloc,
//    memremap, p2m_alloc; ballooned: decrease_reservation, populate_physmap, p2m_alloc);
//  - "no allocator built": the allocator callers get has no driver in the run (no "unpopulated" state in the
//    report, or a note that balloon_init failed);
//  - "out of memory by construction": ballooned pages come out of guest RAM, and the guest's free memory ran
//    out (the lowest sampled free_bytes is at most 1/64 of the guest RAM of that sample, below which the
//    kernel's reserves and XSA-300's si_mem_available() check refuse to balloon out).
std::optional<std::string> explain_enomem(const std::string& allocator, const Scenario& sc,
                                          const nlohmann::json& report);

// Contract: throws gm::InputError when the scenario (or its --max-duration cut) is invalid and
// gm::EnvironmentError when DIR cannot be written; never throws for a cell's failure (it is classified).
MatrixResult run_kconfig_matrix(const MatrixOptions& opt);

nlohmann::json matrix_to_json(const MatrixResult& r);
std::string format_matrix_text(const MatrixResult& r);

}  // namespace gm
