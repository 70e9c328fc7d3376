// Writes the GNU parallel job list and the Slurm array script of a sweep (see sweep_emit.h).
#include "sim/sweep/sweep_emit.h"

#include <cctype>

namespace gm {

std::string sweep_job_list(const SweepPlan& plan) {
  std::string out;
  for (const auto& r : plan.runs)
    if (r.unavailable.empty()) out += sweep_run_command(plan, r) + "\n";
  return out;
}

std::string sweep_sbatch_script(const SweepPlan& plan, std::size_t lines, std::optional<unsigned> throttle) {
  std::string name = "guestmem-";
  for (char c : plan.name) name += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.') ? c : '_';
  std::string array = "1-" + std::to_string(lines) + (throttle ? "%" + std::to_string(*throttle) : "");
  return "#!/bin/bash\n"
         "# Written by `guestmem sweep --emit slurm`: one array task per line of jobs.txt.\n"
         "# Submit from the sweep directory (a folder every node sees at the same relative place):\n"
         "#   cd DIR && sbatch sweep.sbatch            (GUESTMEM_BIN_DIR=/path/to/bin if guestmem is not on PATH)\n"
         "# Then `guestmem collect DIR`. Resubmitting skips tasks whose report.json exists.\n"
         "#SBATCH --job-name=" + name + "\n"
         "#SBATCH --array=" + array + "\n"
         "#SBATCH --output=logs/%A_%a.out\n"
         "#SBATCH --error=logs/%A_%a.err\n"
         "#SBATCH --ntasks=1\n"
         "#SBATCH --cpus-per-task=1\n"
         "set -euo pipefail\n"
         "cd \"${SLURM_SUBMIT_DIR:-.}\"\n"
         "if [ -n \"${GUESTMEM_BIN_DIR:-}\" ]; then export PATH=\"$GUESTMEM_BIN_DIR:$PATH\"; fi\n"
         "line=$(sed -n \"${SLURM_ARRAY_TASK_ID}p\" jobs.txt)\n"
         "if [ -z \"$line\" ]; then echo \"jobs.txt has no line ${SLURM_ARRAY_TASK_ID}\" >&2; exit 2; fi\n"
         "out=$(printf '%s\\n' \"$line\" | sed -n 's/.* --out \\([^ ]*\\).*/\\1/p')\n"
         "if [ -n \"$out\" ] && [ -f \"$out/report.json\" ]; then echo \"$out: finished before, skipped\"; exit 0; fi\n"
         "echo \"task ${SLURM_ARRAY_TASK_ID} on $(hostname): $line\"\n"
         "exec bash -c \"$line\"\n";
}

}  // namespace gm
