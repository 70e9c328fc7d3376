// Errors at the edges, as exceptions that carry their exit code (design §6). Inside the models the
// kernel's error codes are used instead; the exceptions live here, in the lowest layer, because the
// readers in models/, the writers in analysis/ and everything in sim/ raise them (header only).
#pragma once

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace gm {

// Exit 2: bad input or usage. Holds every problem found, one line each
// ("FILE: /json/path: found X, expected Y" or "FILE:LINE:COL: ...").
class InputError : public std::runtime_error {
 public:
  explicit InputError(std::string line) : InputError(std::vector<std::string>{std::move(line)}) {}
  explicit InputError(std::vector<std::string> lines)
      : std::runtime_error(lines.empty() ? std::string("invalid input") : lines.front()), lines_(std::move(lines)) {}
  const std::vector<std::string>& lines() const { return lines_; }

 private:
  std::vector<std::string> lines_;
};

// Exit 3: the environment lacks something (packages, /dev/xen/privcmd, a refused backend target).
class EnvironmentError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;       // an expect failed, an invariant broke, a deadlock
inline constexpr int kExitInput = 2;        // bad input or usage
inline constexpr int kExitEnvironment = 3;  // missing environment
inline constexpr int kExitStopped = 4;      // --max-events / --until reached; report "complete": false

}  // namespace gm
