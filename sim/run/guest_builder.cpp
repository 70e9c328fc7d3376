#include "sim/run/guest_builder.h"

#include <fstream>
#include <sstream>

#include "models/e820_parse.h"
#include "models/iomem_parse.h"
#include "models/utf8.h"
#include "models/errors.h"

namespace gm {

std::string read_input_file(const std::filesystem::path& path, std::uint64_t limit) {
  std::error_code ec;
  auto size = std::filesystem::file_size(path, ec);
  if (ec) throw InputError(path.string() + ": cannot read: " + ec.message());
  if (size > limit)
    throw InputError(path.string() + ": " + std::to_string(size) + " bytes, over the input size limit of " +
                     std::to_string(limit) + " bytes");
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  if (!in && !in.eof()) throw InputError(path.string() + ": cannot read");
  std::string text = ss.str();
  require_utf8(text, path.string());  // one rule for every input (models/utf8.h)
  return text;
}

namespace {

template <class Err>
[[noreturn]] void throw_positioned(const std::filesystem::path& file, const std::vector<Err>& errors) {
  std::vector<std::string> lines;
  for (const auto& e : errors) {
    // Appended piece by piece: GCC 12 -O2 warns (-Wrestrict, a false positive) on the nested operator+.
    std::string line = file.string();
    if (e.line) line.append(":").append(std::to_string(e.line)).append(":").append(std::to_string(e.column));
    line.append(": ").append(e.message);
    lines.push_back(std::move(line));
  }
  throw InputError(lines);
}

std::vector<E820Entry> load_e820(const Scenario& sc) {
  if (sc.guest.e820_file) {
    const auto& file = *sc.guest.e820_file;
    auto r = parse_e820_text(read_input_file(file));
    if (!r.errors.empty()) throw_positioned(file, r.errors);
    if (r.entries.empty())
      throw InputError(file.string() + ": no e820 map found (expected BIOS-e820:/Xen: lines, (XEN) prints, a "
                                       "/sys/firmware/memmap dump or guestmem JSON)");
    return r.entries;
  }
  std::vector<E820Entry> out;
  for (std::size_t i = 0; i < sc.guest.e820.size(); ++i) {
    const auto& spec = sc.guest.e820[i];
    auto type = e820_type_from_name(spec.type);
    if (!type)
      throw InputError(sc.source + ": /guest/e820/" + std::to_string(i) + "/type: found \"" + spec.type +
                       "\", expected an e820 type (usable, reserved, ACPI data, ACPI NVS, unusable, ...)");
    out.push_back({spec.range, *type});
  }
  return out;
}

bool kconfig_on(const KconfigResult& k, std::string_view sym) { return k.tri(sym) != Tristate::n; }

}  // namespace

GuestConfig make_guest_config(const Scenario& sc, const KconfigResult& kconfig) {
  GuestConfig cfg;
  cfg.type = sc.guest.type;
  cfg.dom0 = sc.guest.dom0;
  cfg.arch = sc.arch;
  cfg.kernel = sc.kernel;
  cfg.memory = sc.guest.memory;
  cfg.maxmem = sc.guest.maxmem;
  cfg.phys_bits = static_cast<unsigned>(sc.guest.phys_bits);
  if (sc.guest.e820_file || !sc.guest.e820.empty()) cfg.e820 = load_e820(sc);
  if (sc.guest.iomem) {
    auto r = parse_iomem_text(read_input_file(*sc.guest.iomem));
    if (!r.errors.empty()) throw_positioned(*sc.guest.iomem, r.errors);
    cfg.iomem = r.entries;
  }
  cfg.extended_regions = sc.xen.extended_regions;
  cfg.acpi = sc.guest.firmware == Firmware::acpi;
  cfg.pci_use_e820 = sc.guest.pci_use_e820;
  cfg.auto_online = sc.balloon.auto_online;
  cfg.memory_hotplug = kconfig_on(kconfig, "MEMORY_HOTPLUG");
  cfg.balloon_hotplug = kconfig_on(kconfig, "XEN_BALLOON_MEMORY_HOTPLUG");
  // XEN_MEMORY_HOTPLUG_LIMIT (GiB) sizes the PV p2m for hot-added/ZONE_DEVICE ranges (XSA-369).
  if (std::string limit = kconfig.text("XEN_MEMORY_HOTPLUG_LIMIT"); limit != "n") cfg.hotplug_limit_gib = std::stoull(limit);
  return cfg;
}

}  // namespace gm
