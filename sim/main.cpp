// guestmem: the thin CLI. Parses with CLI11, hands --cfg=/--log= to SimGrid, maps errors to exit codes.
#include <algorithm>
#include <cstdio>
#include <iostream>

#include "models/errors.h"
#include "models/utf8.h"
#include "sim/cli/command.h"

namespace gm::cli {

std::vector<std::pair<int, Installer>>& registered_commands() {
  static std::vector<std::pair<int, Installer>> commands;
  return commands;
}

bool register_command(int order, Installer install) {
  registered_commands().emplace_back(order, std::move(install));
  return true;
}

}  // namespace gm::cli

int main(int argc, char** argv) {
  gm::cli::Context ctx;
  ctx.argv0 = argv[0];
  // SimGrid's own options never reach CLI11 (and SimGrid never sees --help): design §6.
  std::vector<std::string> args;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a.rfind("--cfg=", 0) == 0 || a.rfind("--log=", 0) == 0)
      ctx.simgrid_args.push_back(a);
    else
      args.push_back(a);
  }

  CLI::App app{
      "guestmem: a discrete-event simulator of a Xen guest's physical memory.\n"
      "Compares how a guest gets pages for foreign mappings: ballooned RAM or unpopulated (ZONE_DEVICE)\n"
      "address space. Start with `guestmem compare` (embedded default scenario) or `guestmem run --help`.\n"
      "SimGrid options (--cfg=..., --log=...) are passed through to the engine unchanged.",
      "guestmem"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("guestmem ") + GUESTMEM_VERSION);
  auto& cmds = gm::cli::registered_commands();
  std::stable_sort(cmds.begin(), cmds.end(), [](auto& a, auto& b) { return a.first < b.first; });
  for (auto& [order, install] : cmds) install(app, ctx);

  try {
    // One rule for text that is not UTF-8 (models/utf8.h): arguments are inputs too (paths, --set values,
    // names end up in the JSON outputs), refused here with exit 2.
    for (int i = 1; i < argc; ++i) gm::require_utf8_string(argv[i], "argument " + std::to_string(i));
    std::reverse(args.begin(), args.end());  // CLI11 takes a vector in reverse order
    app.parse(args);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return gm::kExitInput;  // every usage error is exit 2 (design §6)
  } catch (const gm::InputError& e) {
    for (const auto& line : e.lines()) std::cerr << "error: " << line << '\n';
    return gm::kExitInput;
  } catch (const gm::EnvironmentError& e) {
    std::cerr << "error: " << e.what() << '\n';
    return gm::kExitEnvironment;
  } catch (const std::exception& e) {
    std::cerr << "internal error: " << e.what() << '\n';
    return gm::kExitFailed;
  }
  return ctx.exit_code;
}
