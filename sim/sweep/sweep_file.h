// Sweep files (docs/sweep-format.md): a base scenario, axes as JSON pointers into it with their values
// (crossed, or zipped with an earlier axis), strategies and seeds. Expanding one gives the plan and the
// scenario of every point, each validated by the scenario loader before anything runs.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "analysis/sweep_plan.h"

namespace gm {

// The expanded sweep: the plan, and per point the scenario text to write to DIR/points/ (plan.points[i].scenario).
struct SweepExpansion {
  SweepPlan plan;
  std::vector<std::string> point_texts;
};

// Upper bound on points x strategies x seeds (a typo like 1e6 values must not start a million runs).
inline constexpr std::size_t kMaxSweepRuns = 100000;

// Contract: reads `sweep_file` strictly (unknown keys, types, ranges: every problem collected) and checks
// every point with the scenario loader, its relative file references resolved against the base
// scenario's folder and rewritten relative to OUT/points/. Throws gm::InputError with one line per
// problem, each naming the sweep file, the point ("point 3 (/guest/memory=\"1 TiB\")") and the JSON path.
// A strategy the point's kernel/arch/Kconfig cannot have is not an error: its runs carry `unavailable`.
// Writes nothing.
SweepExpansion expand_sweep_file(const std::filesystem::path& sweep_file, const std::filesystem::path& out_dir);

}  // namespace gm
