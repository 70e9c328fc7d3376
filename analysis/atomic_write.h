// Writing result files so that a reader never sees a half-written one (report.json, compare.json, traces).
#pragma once

#include <filesystem>
#include <string_view>

namespace gm {

// Contract: writes `content` to `path` through a temporary file in the same directory (so the final
// rename(2) cannot cross file systems), fsync(2)s it, renames it over `path` and fsyncs the directory.
// A reader sees the old file or the new one, never a mixture. On any failure the temporary file is
// removed, `path` is left as it was, and gm::EnvironmentError names the file and the system error.
// Missing parent directories are created first (create_parent_directories), as for every file option.
void write_file_atomically(const std::filesystem::path& path, std::string_view content);

// Creates the directories above `path` that do not exist yet (mkdir -p of its parent), so every output
// option (--out, --trace, --hypercall-trace, calibrate --out/--plots, ...) accepts a path in a folder that
// does not exist yet. gm::EnvironmentError (exit 3) names the directory and the system error.
void create_parent_directories(const std::filesystem::path& path);

}  // namespace gm
