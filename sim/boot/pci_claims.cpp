#include "sim/boot/pci_claims.h"

#include <cstdio>

namespace gm {
namespace {

// %pR for a memory resource: "[mem 0x%08llx-0x%08llx]" (lib/vsprintf.c resource_string, flags omitted).
std::string pr(AddrRange r) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "[mem %#010llx-%#010llx]", static_cast<unsigned long long>(r.start.value),
                static_cast<unsigned long long>(r.end.value));
  return buf;
}

}  // namespace

AddrRange pci_claim_range(const PciEventSpec& ev) { return {ev.start, ev.start + Bytes{ev.size.value - 1}}; }

std::optional<std::string> claim_pci(Guest& guest, const PciEventSpec& ev) {
  const AddrRange r = pci_claim_range(ev);
  const std::size_t before = guest.conflicts().size();
  const Errno e = ev.kind == PciKind::window ? guest.add_pci_window(ev.name, r) : guest.add_pci_bar(ev.name, r);
  if (e == Errno::ok) return std::nullopt;
  std::string with = "?";
  std::string with_range;
  if (guest.conflicts().size() > before) {
    const ResourceConflict& c = guest.conflicts().back();
    with = c.with;
    with_range = pr(c.with_range);
  }
  if (ev.kind == PciKind::window)
    return "PCI host bridge window " + pr(r) + " (ignored, conflicts with " + with + " " + with_range + ")";
  return ev.name + ": can't claim BAR 0 " + pr(r) + ": address conflict with " + with + " " + with_range;
}

}  // namespace gm
