// Unit-carrying value types shared by every layer: frames, addresses, byte counts, simulated time.
#pragma once

#include <compare>
#include <cstdint>

namespace gm {

inline constexpr unsigned kPageShift = 12;  // 4 KiB pages; other page sizes are a per-arch model parameter
inline constexpr std::uint64_t kPageSize = std::uint64_t{1} << kPageShift;

// A byte count.
struct Bytes {
  std::uint64_t value = 0;
  constexpr auto operator<=>(const Bytes&) const = default;
  constexpr Bytes operator+(Bytes o) const { return {value + o.value}; }
  constexpr Bytes operator-(Bytes o) const { return {value - o.value}; }
  constexpr Bytes& operator+=(Bytes o) { value += o.value; return *this; }
  constexpr Bytes& operator-=(Bytes o) { value -= o.value; return *this; }
};
constexpr Bytes KiB(std::uint64_t n) { return {n << 10}; }
constexpr Bytes MiB(std::uint64_t n) { return {n << 20}; }
constexpr Bytes GiB(std::uint64_t n) { return {n << 30}; }
constexpr Bytes TiB(std::uint64_t n) { return {n << 40}; }

// A guest-physical address (bytes).
struct PhysAddr {
  std::uint64_t value = 0;
  constexpr auto operator<=>(const PhysAddr&) const = default;
  constexpr PhysAddr operator+(Bytes b) const { return {value + b.value}; }
  constexpr Bytes operator-(PhysAddr o) const { return {value - o.value}; }
};

// A guest page frame number (guest-physical address >> PAGE_SHIFT). In Xen terms this is a GFN.
struct Pfn {
  std::uint64_t value = 0;
  constexpr auto operator<=>(const Pfn&) const = default;
  constexpr Pfn operator+(std::uint64_t n) const { return {value + n}; }
  constexpr Pfn operator-(std::uint64_t n) const { return {value - n}; }
  constexpr std::uint64_t operator-(Pfn o) const { return value - o.value; }
};

constexpr PhysAddr pfn_to_addr(Pfn p) { return {p.value << kPageShift}; }
constexpr Pfn addr_to_pfn(PhysAddr a) { return {a.value >> kPageShift}; }
constexpr std::uint64_t bytes_to_pages(Bytes b) { return b.value >> kPageShift; }
constexpr Bytes pages_to_bytes(std::uint64_t pages) { return {pages << kPageShift}; }

// An inclusive range of addresses, as the kernel prints them ([mem 0xA-0xB]).
struct AddrRange {
  PhysAddr start;
  PhysAddr end;  // inclusive
  constexpr auto operator<=>(const AddrRange&) const = default;
  constexpr Bytes size() const { return {end.value - start.value + 1}; }
  constexpr bool contains(PhysAddr a) const { return start <= a && a <= end; }
  constexpr bool overlaps(const AddrRange& o) const { return start <= o.end && o.start <= end; }
};

// A run of consecutive frames [first, first + count).
struct PfnExtent {
  Pfn first;
  std::uint64_t count = 0;
  constexpr auto operator<=>(const PfnExtent&) const = default;
  constexpr Pfn end() const { return first + count; }  // exclusive
};

// Simulated time in nanoseconds. Never a wall clock.
struct SimTime {
  std::int64_t ns = 0;
  constexpr auto operator<=>(const SimTime&) const = default;
  constexpr SimTime operator+(SimTime o) const { return {ns + o.ns}; }
  constexpr SimTime operator-(SimTime o) const { return {ns - o.ns}; }
  constexpr SimTime operator*(std::int64_t k) const { return {ns * k}; }
  constexpr double seconds() const { return static_cast<double>(ns) * 1e-9; }
  static constexpr SimTime from_seconds(double s) { return {static_cast<std::int64_t>(s * 1e9 + (s >= 0 ? 0.5 : -0.5))}; }
};
constexpr SimTime nanoseconds(std::int64_t n) { return {n}; }
constexpr SimTime microseconds(std::int64_t n) { return {n * 1000}; }
constexpr SimTime milliseconds(std::int64_t n) { return {n * 1000000}; }
constexpr SimTime seconds(std::int64_t n) { return {n * 1000000000}; }

}  // namespace gm
