// Temp file + fsync + rename: the POSIX recipe for replacing a file atomically.
#include "analysis/atomic_write.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <system_error>
#include <vector>

#include "models/errors.h"

namespace gm {
namespace {

[[noreturn]] void fail(const std::filesystem::path& path, const char* what, int err) {
  throw EnvironmentError("cannot write " + path.string() + ": " + what + ": " + std::strerror(err));
}

// Writes everything, retrying short writes and EINTR. Returns 0 or an errno value.
int write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return 0;
}

}  // namespace

void create_parent_directories(const std::filesystem::path& path) {
  const std::filesystem::path dir = path.parent_path();
  if (dir.empty()) return;
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw EnvironmentError("cannot create directory " + dir.string() + " for " + path.string() + ": " + ec.message());
}

void write_file_atomically(const std::filesystem::path& path, std::string_view content) {
  create_parent_directories(path);
  std::filesystem::path dir = path.parent_path();
  if (dir.empty()) dir = ".";
  // A dot-prefixed name keeps the temporary out of globs such as *.json while it exists.
  std::string tmpl = (dir / ("." + path.filename().string() + ".tmp.XXXXXX")).string();
  std::vector<char> name(tmpl.begin(), tmpl.end());
  name.push_back('\0');
  int fd = ::mkstemp(name.data());
  if (fd < 0) fail(path, "creating a temporary file", errno);
  const std::string tmp(name.data());

  int err = write_all(fd, content);
  const char* step = "writing";
  if (err == 0 && ::fchmod(fd, 0644) != 0) err = errno, step = "setting permissions";  // mkstemp makes 0600
  if (err == 0 && ::fsync(fd) != 0) err = errno, step = "fsync";
  if (::close(fd) != 0 && err == 0) err = errno, step = "closing";
  if (err == 0 && ::rename(tmp.c_str(), path.c_str()) != 0) err = errno, step = "renaming";
  if (err != 0) {
    ::unlink(tmp.c_str());
    fail(path, step, err);
  }
  // Make the rename itself durable; failing to open the directory is not worth failing the run.
  int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
}

}  // namespace gm
