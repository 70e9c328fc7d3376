// Boot-time layouts. PV: arch/x86/xen/setup.c@v6.12 xen_memory_setup(), xen_get_pages_limit(),
// xen_add_extra_mem(), xen_foreach_remap_area(); PVH dom0: arch/x86/xen/enlighten_pvh.c@v6.9
// pvh_reserve_extra_memory() (38620fc4e893) and Xen's pvh_setup_e820() (xen/arch/x86/hvm/dom0_build.c);
// all x86: trim_bios_range() (arch/x86/kernel/setup.c@v6.12).
#include "models/guest_layout.h"

#include <algorithm>

namespace gm {
namespace {

constexpr std::uint64_t kMiB = std::uint64_t{1} << 20;
constexpr std::uint64_t kGiB = std::uint64_t{1} << 30;
constexpr std::uint64_t k4G = std::uint64_t{4} << 30;

E820Entry entry(std::uint64_t start, std::uint64_t end_excl, E820Type t) {
  return {{PhysAddr{start}, PhysAddr{end_excl - 1}}, t};
}

// Adds RAM of `bytes` split around the hole [hole_start, 4 GiB): below it from `low_start`, the rest at 4 GiB.
void ram_around_hole(std::vector<E820Entry>& out, std::uint64_t low_start, std::uint64_t bytes, std::uint64_t hole_start) {
  std::uint64_t low = std::min(bytes, hole_start - low_start);
  if (low) out.push_back(entry(low_start, low_start + low, E820Type::ram));
  if (bytes > low) out.push_back(entry(k4G, k4G + (bytes - low), E820Type::ram));
}

// Frames of `a` not covered by any extent of `minus` (both sorted).
std::vector<PfnExtent> subtract(const std::vector<PfnExtent>& a, std::vector<PfnExtent> minus) {
  std::sort(minus.begin(), minus.end());
  std::vector<PfnExtent> out;
  for (const auto& e : a) {
    std::uint64_t cur = e.first.value, end = e.end().value;
    for (const auto& m : minus) {
      if (m.end().value <= cur || m.first.value >= end) continue;
      if (m.first.value > cur) out.push_back({Pfn{cur}, m.first.value - cur});
      cur = std::max(cur, m.end().value);
    }
    if (cur < end) out.push_back({Pfn{cur}, end - cur});
  }
  return out;
}

// xen_add_extra_mem(): merges a contiguous append; beyond 128 regions the range stays reserved but
// is tracked nowhere ("Warning: not enough extra memory regions").
void add_extra_mem(GuestLayout& l, Pfn first, std::uint64_t n) {
  if (n == 0) return;
  for (auto& r : l.extra_mem) {
    if (r.end() == first) {
      r.count += n;
      return;
    }
  }
  if (l.extra_mem.size() >= kExtraMemMaxRegions) {
    if (l.untracked_extra.empty()) l.log.push_back("Warning: not enough extra memory regions");
    l.untracked_extra.push_back({first, n});
    return;
  }
  l.extra_mem.push_back({first, n});
}

// Removes [first, first+n) from the extra regions (xen_del_extra_mem).
void del_extra_mem(GuestLayout& l, Pfn first, std::uint64_t n) {
  l.extra_mem = subtract(l.extra_mem, {{first, n}});
}

// Xen's dom0_pvh_setup_e820() (xen/arch/x86/hvm/dom0_build.c, xen-project/xen as read): each host
// RAM entry is page-aligned inward (an entry with no whole page is dropped) and counted in pages;
// the entry that crosses `pages` is truncated with its tail UNUSABLE, and every later RAM entry
// becomes UNUSABLE whole. Counting whole pages, not bytes, keeps dom0's RAM at exactly `pages`.
E820Table pvh_dom0_view(const E820Table& host, std::uint64_t pages) {
  std::vector<E820Entry> out;
  std::uint64_t cur = 0;
  for (const auto& e : host.entries()) {
    if (e.type != E820Type::ram) {
      out.push_back(e);
      continue;
    }
    if (cur == pages) {
      out.push_back({e.range, E820Type::unusable});
      continue;
    }
    const std::uint64_t start = (e.range.start.value + kPageSize - 1) & ~(kPageSize - 1);
    const std::uint64_t end = (e.range.end.value + 1) & ~(kPageSize - 1);
    if (start >= end) continue;
    const std::uint64_t n = (end - start) >> kPageShift;
    if (cur + n > pages) {
      const std::uint64_t split = start + ((pages - cur) << kPageShift);
      out.push_back(entry(start, split, E820Type::ram));
      out.push_back(entry(split, end, E820Type::unusable));
      cur = pages;
    } else {
      out.push_back(entry(start, end, E820Type::ram));
      cur += n;
    }
  }
  E820Table t(out);
  t.sanitize();
  return t;
}

// pvh_reserve_extra_memory(): UNUSABLE -> RAM in order, up to EXTRA_MEM_RATIO * RAM pages; a partly
// used entry is split unless the table (E820_MAX_ENTRIES_ZEROPAGE = 128) is full.
void pvh_reserve_extra_memory(GuestLayout& l) {
  std::uint64_t ram_pages = 0;
  for (const auto& x : l.e820.ram_extents()) ram_pages += x.count;
  std::uint64_t extra = kExtraMemRatio * ram_pages;
  std::vector<E820Entry> es = l.e820.entries();
  std::vector<E820Entry> out;
  std::size_t count = es.size();
  for (const auto& e : es) {
    if (e.type != E820Type::unusable || extra == 0) {
      out.push_back(e);
      continue;
    }
    std::uint64_t pf = (e.range.start.value + kPageSize - 1) >> kPageShift;
    std::uint64_t pl = (e.range.end.value + 1) >> kPageShift;
    std::uint64_t avail = pl > pf ? pl - pf : 0;
    std::uint64_t pages = std::min(extra, avail);
    if (pages != avail) {
      if (count == 128) {  // no space left to split: skip the region
        out.push_back(e);
        continue;
      }
      ++count;
      std::uint64_t split = (pf + pages) << kPageShift;
      out.push_back(entry(e.range.start.value, split, E820Type::ram));
      out.push_back(entry(split, e.range.end.value + 1, E820Type::unusable));
    } else {
      out.push_back({e.range, E820Type::ram});
    }
    extra -= pages;
    add_extra_mem(l, Pfn{pf}, pages);
  }
  l.e820 = E820Table(out);
  l.e820.sanitize();
}

// xen_memory_setup() for a PV guest (reference §7.1).
// A PV domU's map as the kernel prints it ("Xen: [mem ...]", e820__print_table after xen_memory_setup)
// carries the ISA reservation that xen_memory_setup() adds itself; the map libxl gives a domU
// (xc_domain_set_memmap_limit) is one RAM entry from 0, so the frames under the ISA range are populated
// RAM that is neither remapped nor extra (arch/x86/xen/setup.c@v6.1). Imported prints are turned back
// into Xen's map here; the lab's 6.1 PV domU showed the difference: 65536 frames on the balloon list at
// boot, not 65440 (docs/lab.md, L1).
E820Table undo_domu_isa_reservation(const E820Table& given) {
  std::vector<E820Entry> es = given.entries();
  bool changed = false;
  for (auto& e : es) {
    if (e.type == E820Type::reserved && e.range.start.value == 0xa0000 && e.range.end.value == 0xfffff) {
      e.type = E820Type::ram;
      changed = true;
    }
  }
  if (!changed) return given;
  E820Table t(es);
  t.sanitize();
  return t;
}

void xen_memory_setup(GuestLayout& l, const GuestConfig& cfg, E820Table given) {
  if (!cfg.dom0) given = undo_domu_isa_reservation(given);
  const std::uint64_t maxmem_pages = (std::uint64_t{1} << cfg.physmem_bits) >> kPageShift;  // MAXMEM
  // xen_get_pages_limit(): 512 GiB for a domU with CONFIG_XEN_512GB (default y), else MAXMEM.
  std::uint64_t limit = cfg.dom0 ? maxmem_pages : (std::uint64_t{512} * kGiB) >> kPageShift;
  std::uint64_t nr_pages = std::min(limit, bytes_to_pages(cfg.memory));
  std::uint64_t mem_end = nr_pages << kPageShift;
  // xen_get_max_pages(): dom0 XENMEM_maximum_reservation (maxmem), a domU the limit.
  std::uint64_t max_pages = cfg.dom0 ? std::min(limit, bytes_to_pages(cfg.maxmem)) : limit;
  // xen_count_remap_pages(): non-RAM frames below nr_pages must be remapped, so more extra memory.
  std::vector<PfnExtent> below{{Pfn{0}, nr_pages}};
  std::vector<PfnExtent> holes_below = subtract(below, given.ram_extents());
  std::uint64_t remap = 0;
  for (const auto& h : holes_below) remap += h.count;
  max_pages += remap;
  std::uint64_t extra_pages = max_pages > nr_pages ? max_pages - nr_pages : 0;
  extra_pages = std::min(extra_pages, kExtraMemRatio * std::min(nr_pages, maxmem_pages));

  std::vector<E820Entry> out;
  for (const auto& e : given.entries()) {
    std::uint64_t addr = e.range.start.value;
    std::uint64_t end = e.range.end.value + 1;
    if (e.type != E820Type::ram) {
      out.push_back(e);
      continue;
    }
    while (addr < end) {
      std::uint64_t chunk = end - addr;
      if (addr < mem_end) {
        chunk = std::min(chunk, mem_end - addr);
        out.push_back(entry(addr, addr + chunk, E820Type::ram));
      } else if (extra_pages) {
        chunk = std::min(chunk, extra_pages << kPageShift);
        std::uint64_t pf = (addr + kPageSize - 1) >> kPageShift;
        std::uint64_t n = ((addr + chunk) >> kPageShift) - pf;
        extra_pages -= n;
        add_extra_mem(l, Pfn{pf}, n);
        l.max_p2m_pfn = Pfn{pf + n};
        out.push_back(entry(addr, addr + chunk, E820Type::ram));
      }  // else: discarded, the RAM becomes a hole
      addr += chunk;
    }
  }
  // "In domU, the ISA region is normal, usable memory, but we reserve ISA memory anyway".
  out.push_back(entry(0xa0000, 0x100000, E820Type::reserved));
  l.e820 = E820Table(out);
  l.e820.sanitize();
  l.max_pfn = Pfn{nr_pages};
  if (l.max_p2m_pfn < l.max_pfn) l.max_p2m_pfn = l.max_pfn;

  // xen_foreach_remap_area(xen_set_identity_and_remap_chunk): non-RAM frames up to the end of the map
  // get a 1:1 p2m; the RAM frames behind those below nr_pages move to the extra region (remapped)
  // or go back to Xen (released) when there is no extra region to take them.
  std::uint64_t map_end = 0;
  if (auto hi = l.e820.highest_address()) map_end = (hi->value + 1 + kPageSize - 1) >> kPageShift;
  l.identity = subtract({{Pfn{0}, map_end}}, l.e820.ram_extents());
  std::uint64_t to_move = remap;
  while (to_move && !l.extra_mem.empty()) {
    PfnExtent& first = l.extra_mem.front();
    std::uint64_t n = std::min(to_move, first.count);
    del_extra_mem(l, first.first, n);
    l.remapped_pages += n;
    to_move -= n;
  }
  l.released_pages = to_move;
  if (l.released_pages) l.log.push_back("Released " + std::to_string(l.released_pages) + " page(s)");
  if (l.remapped_pages) l.log.push_back("Remapped " + std::to_string(l.remapped_pages) + " page(s)");
}

// trim_bios_range(): page 0 is BIOS-owned, 640 KiB..1 MiB is not RAM.
void trim_bios_range(E820Table& t) {
  t.update({PhysAddr{0}, PhysAddr{kPageSize - 1}}, E820Type::ram, E820Type::reserved);
  t.remove({PhysAddr{0xa0000}, PhysAddr{0xfffff}}, E820Type::ram);
}

}  // namespace

std::vector<E820Entry> default_e820(const GuestConfig& cfg) {
  std::vector<E820Entry> out;
  const std::uint64_t bytes = std::max(cfg.maxmem, cfg.memory).value;
  if (!is_x86(cfg.arch)) {
    // xen/include/public/arch-arm.h: GUEST_RAM0 at 1 GiB (up to 3 GiB), GUEST_RAM1 at 8 GiB.
    std::uint64_t ram0 = std::min(bytes, std::uint64_t{3} * kGiB);
    out.push_back(entry(kGiB, kGiB + ram0, E820Type::ram));
    if (bytes > ram0) out.push_back(entry(8 * kGiB, 8 * kGiB + (bytes - ram0), E820Type::ram));
    return out;
  }
  if (cfg.dom0) {
    // A generic host: legacy area, RAM up to 3 GiB, the PCI/MMCONFIG hole, BIOS ROM, RAM above 4 GiB.
    out.push_back(entry(0, 0x9f000, E820Type::ram));
    out.push_back(entry(0x9f000, 0x100000, E820Type::reserved));
    out.push_back(entry(0xe0000000, 0xf0000000, E820Type::reserved));  // MMCONFIG
    out.push_back(entry(0xfed00000, 0xfed04000, E820Type::reserved));  // HPET
    out.push_back(entry(0xff000000, 0x100000000, E820Type::reserved)); // flash / BIOS ROM
    ram_around_hole(out, kMiB, bytes > kMiB ? bytes - kMiB : 0, 0xc0000000);
    return out;
  }
  switch (cfg.type) {
    case GuestType::pv:
      // libxl: xc_domain_set_memmap_limit(max_memkb + slack): a single RAM entry.
      out.push_back(entry(0, bytes, E820Type::ram));
      break;
    case GuestType::hvm:
      // hvmloader: low RAM, EBDA, BIOS, RAM below the MMIO hole, the hole's reserved top, RAM at 4 GiB.
      out.push_back(entry(0, 0x9fc00, E820Type::ram));
      out.push_back(entry(0x9fc00, 0xa0000, E820Type::reserved));
      out.push_back(entry(0xf0000, 0x100000, E820Type::reserved));
      out.push_back(entry(0xfc000000, 0x100000000, E820Type::reserved));
      ram_around_hole(out, kMiB, bytes > kMiB ? bytes - kMiB : 0, kHvmBelow4gMmioStart.value);
      break;
    case GuestType::pvh:
      // libxl PVH: RAM from 0 below the MMIO hole, the rest from 4 GiB [M].
      ram_around_hole(out, 0, bytes, kHvmBelow4gMmioStart.value);
      break;
  }
  return out;
}

GuestLayout build_guest_layout(const GuestConfig& cfg) {
  GuestLayout l;
  E820Table given(cfg.e820 ? *cfg.e820 : default_e820(cfg));
  given.sanitize();
  l.e820 = given;
  if (is_x86(cfg.arch)) {
    if (cfg.type == GuestType::pv) {
      xen_memory_setup(l, cfg, given);
    } else if (cfg.dom0 && cfg.type == GuestType::pvh) {
      if (given.total_usable_bytes() > cfg.memory) l.e820 = pvh_dom0_view(given, bytes_to_pages(cfg.memory));
      if (cfg.kernel.at_least("6.9")) pvh_reserve_extra_memory(l);
    }
    trim_bios_range(l.e820);
  }
  if (cfg.type != GuestType::pv) {
    std::uint64_t end = 0;
    for (const auto& x : l.e820.ram_extents()) end = std::max(end, x.end().value);
    l.max_pfn = Pfn{end};
    l.max_p2m_pfn = l.max_pfn;
  }
  return l;
}

std::vector<PfnExtent> GuestLayout::managed_ram() const {
  std::vector<PfnExtent> minus = extra_mem;
  minus.insert(minus.end(), untracked_extra.begin(), untracked_extra.end());
  return subtract(e820.ram_extents(), minus);
}

}  // namespace gm
