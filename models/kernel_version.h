// A Linux kernel version as scenarios name it: "MAJOR.MINOR[.PATCH][-rcN]" or "v4-patch" (the posted
// v4 unpopulated-alloc series, 2020-08-11). Behaviour switches compare against it (design §3, §6).
#pragma once

#include <compare>
#include <optional>
#include <string>
#include <string_view>

namespace gm {

class KernelVersion {
 public:
  // Parses the grammar above; std::nullopt when the text does not match it.
  static std::optional<KernelVersion> parse(std::string_view text);
  // Like parse() but throws std::invalid_argument naming the accepted grammar.
  static KernelVersion from(std::string_view text);

  int major() const { return major_; }
  int minor() const { return minor_; }
  int patch() const { return patch_; }
  int rc() const { return rc_; }                 // 0 = a release, N = -rcN
  bool is_v4_patch() const { return v4_patch_; }  // sorts as 5.9-rc0: before every 5.9 rc
  std::string str() const;

  // Release order: 5.13-rc1 < 5.13-rc2 < 5.13 < 5.13.1 < 5.14-rc1.
  std::strong_ordering operator<=>(const KernelVersion& o) const;
  bool operator==(const KernelVersion& o) const { return (*this <=> o) == 0; }

  // True when this is MAJOR.MINOR (any patch level or rc).
  bool in_series(int major, int minor) const { return major_ == major && minor_ == minor; }
  // True when this version is at least `release` (parse grammar), e.g. at_least("5.17").
  bool at_least(std::string_view release) const;
  // A change merged in `mainline` and backported to the stable series listed as "5.10.70", "5.4.150":
  // true when this version is >= mainline, or in one of those series at or after its patch level.
  bool has_change(std::string_view mainline, std::initializer_list<std::string_view> backports = {}) const;

 private:
  int major_ = 0, minor_ = 0, patch_ = 0, rc_ = 0;
  bool v4_patch_ = false;
};

}  // namespace gm
