// Runs a sweep on this machine: one child process per run (sim/engine/process_pool.h), J at a time, each into a
// temporary directory renamed to runs/ID when it ends, so a killed sweep resumes where it stopped.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "sim/sweep/sweep_file.h"

namespace gm {

// Contract: creates DIR, writes DIR/plan.json and DIR/points/*.json atomically (idempotent: the same
// sweep file gives the same bytes). gm::EnvironmentError when a file cannot be written.
void write_sweep_setup(const std::filesystem::path& dir, const SweepExpansion& sweep);

struct SweepRunOptions {
  std::string program;                    // this executable (run as PROGRAM run points/... --out ...)
  unsigned jobs = 1;
  bool quiet = false;
  std::vector<std::string> simgrid_args;  // --cfg=/--log= passed on to every run
};

struct SweepRunSummary {
  std::size_t total = 0;        // runs in the plan
  std::size_t unavailable = 0;  // strategy impossible at that point (not run)
  std::size_t skipped = 0;      // finished before this call
  std::size_t computed = 0;     // run now and finished (report.json written)
  std::size_t failed = 0;       // run now without a report (their logs stay in runs/ID/)
  std::size_t nonzero = 0;      // run now, finished, but exited 1 or 4 (expect failed, stopped early)
};

// Contract: runs every available run of `plan` whose DIR/runs/ID/report.json is missing. A run goes to
// DIR/runs/.tmp-ID-PID/ (stdout.txt, stderr.txt, exit_code, and what `guestmem run` writes) and is renamed to
// DIR/runs/ID when its process ends, replacing a failed earlier attempt; leftovers of killed sweeps
// (.tmp-*) are removed first. Progress lines go to stderr unless quiet.
SweepRunSummary run_sweep_locally(const std::filesystem::path& dir, const SweepPlan& plan, const SweepRunOptions& o);

}  // namespace gm
