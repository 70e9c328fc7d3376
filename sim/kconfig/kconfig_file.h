// Reading a real kernel configuration as the Kconfig base: a `.config`, a `/boot/config-*` file,
// `/proc/config.gz` content (gzipped or not) or a few `CONFIG_X=y` lines (docs/kconfig.md, "A real
// .config"). The arch and kernel version a full .config was written for are read from it too.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "models/arch.h"
#include "models/kconfig_resolve.h"
#include "models/kernel_version.h"

namespace gm {

struct KconfigFile {
  KconfigBaseConfig base;                // label = the path as given
  std::optional<Arch> arch;              // from CONFIG_X86_64 / X86_32 / ARM64 / ARM / RISCV, if set
  std::optional<KernelVersion> kernel;   // from the "# Linux/ARCH VERSION Kernel Configuration" header
  bool gzipped = false;
};

// Parses .config text; `label` names it in messages. Throws InputError "LABEL:LINE:1: found ..., expected
// ..." on a line that is neither a CONFIG_ assignment, a comment nor blank.
KconfigFile parse_kconfig_file(std::string_view label, std::string_view text);
// Reads and parses a file, inflating it first when it starts with the gzip magic (zlib, in process).
// Throws InputError when it cannot be read, is a broken gzip stream, or does not parse.
KconfigFile read_kconfig_file(const std::string& path);
// Inflates a gzip stream (as /proc/config.gz holds); throws InputError naming `label` when it is broken.
std::string gunzip(std::string_view label, std::string_view data);

}  // namespace gm
