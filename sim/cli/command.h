// Registry of CLI subcommands. Each command lives in its own file under sim/cli/ and registers
// itself with a static GUESTMEM_COMMAND(...) line, so adding one touches no shared file.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <vector>

namespace gm::cli {

struct Context {
  int exit_code = 0;
  std::vector<std::string> simgrid_args;  // --cfg=... / --log=... passed through to SimGrid unchanged
  std::string argv0;                      // path of this executable (compare re-executes it)
};

// `install` adds one subcommand to `app`; its callback sets ctx.exit_code or throws gm::InputError /
// gm::EnvironmentError. `order` sorts the commands in --help.
using Installer = std::function<void(CLI::App& app, Context& ctx)>;
bool register_command(int order, Installer install);
std::vector<std::pair<int, Installer>>& registered_commands();

}  // namespace gm::cli

#define GUESTMEM_CONCAT2(a, b) a##b
#define GUESTMEM_CONCAT(a, b) GUESTMEM_CONCAT2(a, b)
#define GUESTMEM_COMMAND(order, fn) \
  static const bool GUESTMEM_CONCAT(gm_cmd_registered_, __LINE__) = ::gm::cli::register_command(order, fn)
