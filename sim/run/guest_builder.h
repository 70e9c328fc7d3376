// Turns a scenario (and its resolved Kconfig) into the models' GuestConfig, reading the e820 and
// /proc/iomem files it names. The only place the runner touches those files.
#pragma once

#include "models/guest_layout.h"
#include "models/kconfig_resolve.h"
#include "sim/scenario/scenario.h"

namespace gm {

// Throws gm::InputError ("FILE:LINE:COL: ...") when a referenced file cannot be read or parsed.
GuestConfig make_guest_config(const Scenario& sc, const KconfigResult& kconfig);

// Reads a whole text file, refusing files larger than `limit` (InputError naming the file and limit).
std::string read_input_file(const std::filesystem::path& path, std::uint64_t limit = std::uint64_t{64} << 20);

}  // namespace gm
