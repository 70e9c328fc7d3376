// Runs child processes, at most `jobs` at a time (design §4: one simulation per process). Used by
// `compare` and the Kconfig matrix to fan out (scenario, strategy, seed) runs of this executable.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace gm {

struct ChildJob {
  std::vector<std::string> argv;     // argv[0] is the program path
  std::filesystem::path stdout_file;  // where its stdout goes (created/truncated)
  std::filesystem::path stderr_file;  // where its stderr goes
};

struct ChildResult {
  int exit_code = -1;  // exit status, or 128 + signal
};

// Runs every job; returns results in job order. `on_done(index, result)` is called as each child
// finishes (for progress on stderr). Throws std::runtime_error when a child cannot be started.
std::vector<ChildResult> run_children(const std::vector<ChildJob>& jobs, unsigned max_parallel,
                                      const std::function<void(std::size_t, const ChildResult&)>& on_done = {});

// This executable's path (for re-executing it), from /proc/self/exe; falls back to `argv0`.
std::string self_executable(const std::string& argv0);

}  // namespace gm
