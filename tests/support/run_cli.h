// Test helpers: run the guestmem binary in a child process (one simulation per process, design §4)
// and make scratch directories that clean up after themselves.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace gm::test {

struct RunResult {
  int exit_code = -1;  // the child's exit status, or 128+signal
  std::string out;     // stdout
  std::string err;     // stderr
};

// Runs GUESTMEM_BIN with `args` in `cwd` (the current directory when empty).
RunResult run_guestmem(const std::vector<std::string>& args, const std::filesystem::path& cwd = {});

// A fresh directory under the system temp dir, removed with its contents on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }
  // Every regular file below the directory, relative, sorted.
  std::vector<std::string> files() const;

 private:
  std::filesystem::path path_;
};

std::string read_file(const std::filesystem::path& p);
void write_file(const std::filesystem::path& p, const std::string& text);
std::filesystem::path data_path(const std::string& relative);  // tests/data/<relative>
std::filesystem::path source_path(const std::string& relative);  // <repo>/<relative>

}  // namespace gm::test
