// Guest architecture and guest type: the two facts most kernel rules switch on.
#pragma once

#include <optional>
#include <string_view>

namespace gm {

enum class Arch { x86_64, i386, arm64, arm, riscv64 };
enum class GuestType { pv, pvh, hvm };

constexpr std::string_view arch_name(Arch a) {
  switch (a) {
    case Arch::x86_64: return "x86_64";
    case Arch::i386: return "i386";
    case Arch::arm64: return "arm64";
    case Arch::arm: return "arm";
    case Arch::riscv64: return "riscv64";
  }
  return "?";
}

constexpr std::optional<Arch> parse_arch(std::string_view s) {
  for (Arch a : {Arch::x86_64, Arch::i386, Arch::arm64, Arch::arm, Arch::riscv64})
    if (arch_name(a) == s) return a;
  return std::nullopt;
}

constexpr std::string_view guest_type_name(GuestType t) {
  switch (t) {
    case GuestType::pv: return "pv";
    case GuestType::pvh: return "pvh";
    case GuestType::hvm: return "hvm";
  }
  return "?";
}

constexpr bool is_64bit(Arch a) { return a == Arch::x86_64 || a == Arch::arm64 || a == Arch::riscv64; }
constexpr bool is_x86(Arch a) { return a == Arch::x86_64 || a == Arch::i386; }

}  // namespace gm
