// The kernel's own error codes, used inside the models where the kernel has them, and a small
// value-or-errno result type (the kernel's ERR_PTR idiom as a value type).
#pragma once

#include <cassert>
#include <string_view>
#include <utility>
#include <variant>

namespace gm {

// Values as in include/uapi/asm-generic/errno-base.h / errno.h (positive; the kernel returns -E*).
enum class Errno : int {
  ok = 0,
  enoent = 2,
  enxio = 6,
  eagain = 11,
  enomem = 12,
  ebusy = 16,
  enodev = 19,
  einval = 22,
  enospc = 28,
  erange = 34,
  ecanceled = 125,
};

constexpr std::string_view errno_name(Errno e) {
  switch (e) {
    case Errno::ok: return "0";
    case Errno::enoent: return "ENOENT";
    case Errno::enxio: return "ENXIO";
    case Errno::eagain: return "EAGAIN";
    case Errno::enomem: return "ENOMEM";
    case Errno::ebusy: return "EBUSY";
    case Errno::enodev: return "ENODEV";
    case Errno::einval: return "EINVAL";
    case Errno::enospc: return "ENOSPC";
    case Errno::erange: return "ERANGE";
    case Errno::ecanceled: return "ECANCELED";
  }
  return "E?";
}

// Either a value or a kernel error code (never Errno::ok).
template <class T>
class KResult {
 public:
  KResult(T v) : v_(std::move(v)) {}                  // NOLINT: implicit, like returning a pointer
  KResult(Errno e) : v_(e) { assert(e != Errno::ok); }  // NOLINT: implicit, like returning -ENOMEM
  bool ok() const { return std::holds_alternative<T>(v_); }
  explicit operator bool() const { return ok(); }
  Errno error() const { return ok() ? Errno::ok : std::get<Errno>(v_); }
  T& value() { return std::get<T>(v_); }
  const T& value() const { return std::get<T>(v_); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Errno> v_;
};

}  // namespace gm
