#include "sim/kconfig/kconfig_file.h"

#include <zlib.h>

#include <fstream>
#include <regex>
#include <sstream>

#include "models/errors.h"

namespace gm {

std::string gunzip(std::string_view label, std::string_view data) {
  z_stream zs{};
  // 16 + MAX_WBITS: a gzip header and trailer (not a raw zlib stream), as kernel/configs.c writes it.
  if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) throw InputError(std::string(label) + ": cannot start zlib");
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  std::string out;
  char buf[1 << 15];
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    zs.next_out = reinterpret_cast<Bytef*>(buf);
    zs.avail_out = sizeof buf;
    rc = inflate(&zs, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) {
      std::string why = zs.msg ? zs.msg : rc == Z_BUF_ERROR ? "truncated stream" : "inflate error";
      inflateEnd(&zs);
      throw InputError(std::string(label) + ": found a broken gzip stream (" + why +
                       "), expected /proc/config.gz content or a plain .config");
    }
    out.append(buf, sizeof buf - zs.avail_out);
    if (rc == Z_OK && zs.avail_in == 0 && zs.avail_out != 0) {
      inflateEnd(&zs);
      throw InputError(std::string(label) +
                       ": found a truncated gzip stream, expected /proc/config.gz content or a plain .config");
    }
  }
  inflateEnd(&zs);
  return out;
}

KconfigFile parse_kconfig_file(std::string_view label, std::string_view text) {
  KconfigFile f;
  f.base.label = std::string(label);
  f.base.fragment = parse_config_fragment(label, text);
  if (f.base.fragment.error) throw InputError(*f.base.fragment.error);
  // scripts/kconfig/confdata.c@v6.12 conf_write() heads the file with "# Linux/$ARCH $KERNELVERSION
  // Kernel Configuration"; Debian's versions read "6.1.176" (a -rc reads "6.12.0-rc3").
  static const std::regex header(R"(^# Linux/\S+ (\d+\.\d+(?:\.\d+)?(?:-rc\d+)?)\S* Kernel Configuration\r?$)");
  std::size_t at = 0;
  for (int n = 0; n < 8 && at < text.size(); ++n) {
    std::size_t nl = text.find('\n', at);
    std::string line(text.substr(at, nl == std::string_view::npos ? std::string_view::npos : nl - at));
    at = nl == std::string_view::npos ? text.size() : nl + 1;
    std::smatch m;
    if (std::regex_match(line, m, header)) {
      f.kernel = KernelVersion::parse(m[1].str());
      break;
    }
  }
  auto is_y = [&](std::string_view sym) {
    const auto& v = f.base.fragment.values;
    for (auto it = v.rbegin(); it != v.rend(); ++it)
      if (it->first == sym) return it->second == "y";
    return false;
  };
  if (is_y("X86_64"))
    f.arch = Arch::x86_64;
  else if (is_y("X86_32"))
    f.arch = Arch::i386;
  else if (is_y("ARM64"))
    f.arch = Arch::arm64;
  else if (is_y("ARM"))
    f.arch = Arch::arm;
  else if (is_y("RISCV") && is_y("64BIT"))
    f.arch = Arch::riscv64;
  return f;
}

KconfigFile read_kconfig_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot open the Kconfig file (expected a .config, /proc/config.gz or CONFIG_X=y lines)");
  std::ostringstream ss;
  ss << in.rdbuf();
  std::string data = ss.str();
  bool gz = data.size() >= 2 && static_cast<unsigned char>(data[0]) == 0x1f && static_cast<unsigned char>(data[1]) == 0x8b;
  KconfigFile f = parse_kconfig_file(path, gz ? gunzip(path, data) : data);
  f.gzipped = gz;
  return f;
}

}  // namespace gm
