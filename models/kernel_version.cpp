#include "models/kernel_version.h"

#include <charconv>
#include <climits>
#include <stdexcept>
#include <tuple>

namespace gm {
namespace {

// Reads a decimal number of at most 4 digits at the front of `s`.
std::optional<int> take_number(std::string_view& s) {
  int v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || ptr == s.data() || ptr - s.data() > 4) return std::nullopt;
  s.remove_prefix(static_cast<std::size_t>(ptr - s.data()));
  return v;
}

}  // namespace

std::optional<KernelVersion> KernelVersion::parse(std::string_view text) {
  KernelVersion v;
  if (text == "v4-patch") {
    v.major_ = 5, v.minor_ = 9, v.rc_ = 0, v.v4_patch_ = true;
    return v;
  }
  auto major = take_number(text);
  if (!major || text.empty() || text.front() != '.') return std::nullopt;
  text.remove_prefix(1);
  auto minor = take_number(text);
  if (!minor) return std::nullopt;
  v.major_ = *major, v.minor_ = *minor;
  if (!text.empty() && text.front() == '.') {
    text.remove_prefix(1);
    auto patch = take_number(text);
    if (!patch) return std::nullopt;
    v.patch_ = *patch;
  } else if (text.substr(0, 3) == "-rc") {
    text.remove_prefix(3);
    auto rc = take_number(text);
    if (!rc || *rc == 0) return std::nullopt;
    v.rc_ = *rc;
  }
  if (!text.empty() || v.major_ < 2 || v.major_ > 99) return std::nullopt;
  return v;
}

KernelVersion KernelVersion::from(std::string_view text) {
  if (auto v = parse(text)) return *v;
  throw std::invalid_argument("kernel version \"" + std::string(text) +
                              "\": expected MAJOR.MINOR[.PATCH][-rcN] (e.g. \"6.10\", \"5.10.70\", \"5.13-rc2\") "
                              "or \"v4-patch\"");
}

std::string KernelVersion::str() const {
  if (v4_patch_) return "v4-patch";
  std::string s = std::to_string(major_) + "." + std::to_string(minor_);
  if (patch_) s += "." + std::to_string(patch_);
  if (rc_) s += "-rc" + std::to_string(rc_);
  return s;
}

std::strong_ordering KernelVersion::operator<=>(const KernelVersion& o) const {
  // The v4 patch sits before 5.9-rc1 (rc rank -1); a release ranks above all of its rcs.
  auto rank = [](const KernelVersion& k) { return k.v4_patch_ ? -1 : (k.rc_ == 0 ? INT_MAX : k.rc_); };
  return std::tuple(major_, minor_, rank(*this), patch_) <=> std::tuple(o.major_, o.minor_, rank(o), o.patch_);
}

bool KernelVersion::at_least(std::string_view release) const { return *this >= from(release); }

bool KernelVersion::has_change(std::string_view mainline, std::initializer_list<std::string_view> backports) const {
  if (at_least(mainline)) return true;
  for (auto b : backports) {
    KernelVersion s = from(b);
    if (in_series(s.major_, s.minor_) && rc_ == 0 && patch_ >= s.patch_) return true;
  }
  return false;
}

}  // namespace gm
