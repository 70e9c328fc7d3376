// The x86 firmware memory map (e820) as the kernel keeps it: typed inclusive ranges, sanitized the
// way e820__update_table() does, with raw-byte totals and the holes between entries.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "models/units.h"

namespace gm {

// enum e820_type, arch/x86/include/asm/e820/types.h@v6.12 (codes are the firmware's).
enum class E820Type : std::uint32_t {
  ram = 1,
  reserved = 2,
  acpi = 3,
  nvs = 4,
  unusable = 5,
  pmem = 7,
  pram = 12,
  reserved_kern = 128,
  soft_reserved = 0xefffffff,
};

// The name e820_print_type() prints ("usable", "ACPI data", "persistent (type 12)", "type 20").
std::string e820_type_name(E820Type t);
// The iomem resource name e820_type_to_string() gives ("System RAM", "ACPI Tables", "Reserved", ...);
// also the text of /sys/firmware/memmap/N/type.
std::string_view e820_resource_name(E820Type t);
// Accepts a print name, a resource/sysfs name, "type N" or "persistent (type N)"; nullopt otherwise.
std::optional<E820Type> e820_type_from_name(std::string_view text);

struct E820Entry {
  AddrRange range;  // inclusive, as the kernel prints it
  E820Type type = E820Type::ram;
  bool operator==(const E820Entry&) const = default;
};

// Contract: entries() is sorted and disjoint after sanitize() (or any mutator, which sanitizes);
// the constructor keeps the input as given so a caller can see the raw map first.
class E820Table {
 public:
  E820Table() = default;
  explicit E820Table(std::vector<E820Entry> raw) : entries_(std::move(raw)) {}

  // e820__update_table(), arch/x86/kernel/e820.c@v6.12: sort, resolve overlaps to the greatest
  // type code, merge adjacent entries of one type, drop empty ones.
  void sanitize();
  // e820__range_add(): appends then sanitizes.
  void add(AddrRange range, E820Type type);
  // e820__range_update(): the parts of `range` typed `old_type` become `new_type`.
  void update(AddrRange range, E820Type old_type, E820Type new_type);
  // e820__range_remove(): the parts of `range` (of `old_type` when given) disappear.
  void remove(AddrRange range, std::optional<E820Type> old_type = std::nullopt);

  const std::vector<E820Entry>& entries() const { return entries_; }
  bool empty() const { return entries_.empty(); }

  Bytes total_bytes(E820Type t) const;
  Bytes total_usable_bytes() const;  // RAM (and reserved_kern, which the kernel prints as usable)
  std::map<std::string, Bytes> bytes_by_type() const;  // keyed by e820_type_name()
  std::optional<PhysAddr> highest_address() const;     // the largest inclusive end
  std::vector<AddrRange> holes() const;                // [0, highest] covered by no entry
  // Whether any byte of `range` is covered by an entry of type `t`.
  bool intersects(AddrRange range, E820Type t) const;
  // Page frames fully inside RAM entries (the kernel rounds RAM inward: e820__memblock_setup).
  std::vector<PfnExtent> ram_extents() const;

 private:
  std::vector<E820Entry> entries_;
};

}  // namespace gm
