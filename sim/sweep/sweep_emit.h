// Job lists for other schedulers (docs/sweeps.md): GNU parallel reads DIR/jobs.txt, a Slurm array runs
// DIR/sweep.sbatch, one task per line. Every path is relative to DIR, so DIR can be a folder shared by
// several machines (NFS, sshfs) mounted anywhere.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "analysis/sweep_plan.h"

namespace gm {

// One `guestmem run ...` line per available run of the plan, in plan order (unavailable runs are left
// out: they cannot run). The first line is line 1 of the array.
std::string sweep_job_list(const SweepPlan& plan);

// An sbatch script for `cd DIR && sbatch sweep.sbatch`: --array=1-N (with %THROTTLE when given), logs per
// task in logs/%A_%a.out|err, runs line SLURM_ARRAY_TASK_ID of jobs.txt unless its report.json exists.
// $GUESTMEM_BIN_DIR, when set at submission, is put in front of PATH so `guestmem` is found on the nodes.
std::string sweep_sbatch_script(const SweepPlan& plan, std::size_t lines, std::optional<unsigned> throttle);

}  // namespace gm
