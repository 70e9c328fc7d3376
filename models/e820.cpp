// e820 table rules: arch/x86/kernel/e820.c@v6.12 (e820_print_type, e820_type_to_string,
// __e820__update_table, e820__range_update/remove).
#include "models/e820.h"

#include <algorithm>
#include <charconv>
#include <limits>

namespace gm {

std::string e820_type_name(E820Type t) {
  switch (t) {
    case E820Type::ram:
    case E820Type::reserved_kern: return "usable";
    case E820Type::reserved: return "reserved";
    case E820Type::soft_reserved: return "soft reserved";
    case E820Type::acpi: return "ACPI data";
    case E820Type::nvs: return "ACPI NVS";
    case E820Type::unusable: return "unusable";
    case E820Type::pmem:
    case E820Type::pram: return "persistent (type " + std::to_string(static_cast<std::uint32_t>(t)) + ")";
  }
  return "type " + std::to_string(static_cast<std::uint32_t>(t));
}

std::string_view e820_resource_name(E820Type t) {
  switch (t) {
    case E820Type::ram:
    case E820Type::reserved_kern: return "System RAM";
    case E820Type::acpi: return "ACPI Tables";
    case E820Type::nvs: return "ACPI Non-volatile Storage";
    case E820Type::unusable: return "Unusable memory";
    case E820Type::pram: return "Persistent Memory (legacy)";
    case E820Type::pmem: return "Persistent Memory";
    case E820Type::reserved: return "Reserved";
    case E820Type::soft_reserved: return "Soft Reserved";
  }
  return "Unknown E820 type";
}

namespace {

std::optional<std::uint32_t> parse_uint(std::string_view s) {
  std::uint32_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

}  // namespace

std::optional<E820Type> e820_type_from_name(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) text.remove_suffix(1);
  static constexpr E820Type kAll[] = {E820Type::ram,  E820Type::reserved, E820Type::acpi,
                                      E820Type::nvs,  E820Type::unusable, E820Type::pmem,
                                      E820Type::pram, E820Type::soft_reserved};
  for (E820Type t : kAll)
    if (text == e820_type_name(t) || text == e820_resource_name(t)) return t;
  // Xen's own names (xen/arch/x86/e820.c print_e820_memory_map) and a few spellings seen in logs.
  if (text == "RAM") return E820Type::ram;
  if (text == "ACPI") return E820Type::acpi;
  if (text == "persistent") return E820Type::pram;
  std::string_view num;
  if (text.substr(0, 5) == "type ") num = text.substr(5);
  if (text.substr(0, 17) == "persistent (type " && text.back() == ')') num = text.substr(17, text.size() - 18);
  if (!num.empty())
    if (auto v = parse_uint(num)) return static_cast<E820Type>(*v);
  return std::nullopt;
}

void E820Table::sanitize() {
  // Change-point sweep: every elementary interval takes the greatest type code covering it, which
  // is how __e820__update_table() resolves overlaps ("the larger type wins"). Ends are exclusive
  // here; an entry ending at 2^64-1 is clamped one byte short (never seen in real maps).
  struct Point {
    std::uint64_t addr;
    bool start;
    std::uint32_t type;
  };
  std::vector<Point> pts;
  pts.reserve(entries_.size() * 2);
  for (const auto& e : entries_) {
    if (e.range.end < e.range.start) continue;
    std::uint64_t end = e.range.end.value;
    if (end == std::numeric_limits<std::uint64_t>::max()) --end;
    pts.push_back({e.range.start.value, true, static_cast<std::uint32_t>(e.type)});
    pts.push_back({end + 1, false, static_cast<std::uint32_t>(e.type)});
  }
  std::sort(pts.begin(), pts.end(), [](const Point& a, const Point& b) { return a.addr < b.addr; });
  std::vector<E820Entry> out;
  std::map<std::uint32_t, int> active;  // type -> overlap count
  std::size_t i = 0;
  while (i < pts.size()) {
    std::uint64_t at = pts[i].addr;
    for (; i < pts.size() && pts[i].addr == at; ++i) {
      if (pts[i].start) {
        ++active[pts[i].type];
      } else if (--active[pts[i].type] == 0) {
        active.erase(pts[i].type);
      }
    }
    if (active.empty() || i == pts.size()) continue;
    std::uint64_t next = pts[i].addr;
    auto type = static_cast<E820Type>(active.rbegin()->first);
    if (!out.empty() && out.back().type == type && out.back().range.end.value + 1 == at) {
      out.back().range.end = PhysAddr{next - 1};
    } else {
      out.push_back({{PhysAddr{at}, PhysAddr{next - 1}}, type});
    }
  }
  entries_ = std::move(out);
}

void E820Table::add(AddrRange range, E820Type type) {
  entries_.push_back({range, type});
  sanitize();
}

void E820Table::update(AddrRange range, E820Type old_type, E820Type new_type) {
  std::vector<E820Entry> out;
  for (const auto& e : entries_) {
    if (e.type != old_type || !e.range.overlaps(range)) {
      out.push_back(e);
      continue;
    }
    if (e.range.start < range.start) out.push_back({{e.range.start, PhysAddr{range.start.value - 1}}, e.type});
    out.push_back({{std::max(e.range.start, range.start), std::min(e.range.end, range.end)}, new_type});
    if (e.range.end > range.end) out.push_back({{PhysAddr{range.end.value + 1}, e.range.end}, e.type});
  }
  entries_ = std::move(out);
  sanitize();
}

void E820Table::remove(AddrRange range, std::optional<E820Type> old_type) {
  std::vector<E820Entry> out;
  for (const auto& e : entries_) {
    if ((old_type && e.type != *old_type) || !e.range.overlaps(range)) {
      out.push_back(e);
      continue;
    }
    if (e.range.start < range.start) out.push_back({{e.range.start, PhysAddr{range.start.value - 1}}, e.type});
    if (e.range.end > range.end) out.push_back({{PhysAddr{range.end.value + 1}, e.range.end}, e.type});
  }
  entries_ = std::move(out);
  sanitize();
}

Bytes E820Table::total_bytes(E820Type t) const {
  Bytes b{};
  for (const auto& e : entries_)
    if (e.type == t) b += e.range.size();
  return b;
}

Bytes E820Table::total_usable_bytes() const {
  return total_bytes(E820Type::ram) + total_bytes(E820Type::reserved_kern);
}

std::map<std::string, Bytes> E820Table::bytes_by_type() const {
  std::map<std::string, Bytes> m;
  for (const auto& e : entries_) m[e820_type_name(e.type)] += e.range.size();
  return m;
}

std::optional<PhysAddr> E820Table::highest_address() const {
  std::optional<PhysAddr> hi;
  for (const auto& e : entries_)
    if (!hi || e.range.end > *hi) hi = e.range.end;
  return hi;
}

std::vector<AddrRange> E820Table::holes() const {
  std::vector<AddrRange> entries;
  for (const auto& e : entries_) entries.push_back(e.range);
  std::sort(entries.begin(), entries.end());
  std::vector<AddrRange> out;
  std::uint64_t next = 0;  // first address not yet known to be covered
  for (const auto& r : entries) {
    if (r.start.value > next) out.push_back({PhysAddr{next}, PhysAddr{r.start.value - 1}});
    if (r.end.value == std::numeric_limits<std::uint64_t>::max()) break;  // covers the rest
    next = std::max(next, r.end.value + 1);
  }
  return out;
}

bool E820Table::intersects(AddrRange range, E820Type t) const {
  return std::any_of(entries_.begin(), entries_.end(),
                     [&](const E820Entry& e) { return e.type == t && e.range.overlaps(range); });
}

std::vector<PfnExtent> E820Table::ram_extents() const {
  std::vector<PfnExtent> out;
  for (const auto& e : entries_) {
    if (e.type != E820Type::ram) continue;
    std::uint64_t first = (e.range.start.value + kPageSize - 1) >> kPageShift;  // PFN_UP(start)
    std::uint64_t last = (e.range.end.value + 1) >> kPageShift;                 // PFN_DOWN(end + 1)
    if (last <= first) continue;
    if (!out.empty() && out.back().end().value == first)
      out.back().count += last - first;
    else
      out.push_back({Pfn{first}, last - first});
  }
  return out;
}

}  // namespace gm
