// Predicts where the next "Xen scratch" sections or balloon hot-add blocks land in an iomem tree by
// the kernel's own rule, and which existing resources (windows, BARs) each would overlap.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "models/e820.h"
#include "models/kerrno.h"
#include "models/resource_tree.h"

namespace gm {

enum class PlacementKind { scratch, hotplug };

struct PlacementRequest {
  PlacementKind kind = PlacementKind::scratch;
  int count = 1;
  // true: place against the tree as it was at early boot (e820 entries do_mark_busy inserts early;
  // no "Reserved", no PCI windows, no earlier scratch) and report what is there now.
  bool at_boot = false;
  Bytes size = MiB(128);   // one section (x86_64)
  Bytes align = MiB(128);  // section alignment (unpopulated-alloc.c, balloon.c)
  AddrRange bounds{PhysAddr{0}, PhysAddr{(std::uint64_t{1} << 46) - 1}};  // mhp_get_pluggable_range()
  bool pci_use_e820 = true;
  unsigned phys_bits = 46;  // iomem_resource end
};

struct Placement {
  std::string name;
  AddrRange range;
  std::vector<IomemEntry> overlaps;  // resources of the given tree intersecting the range
};

struct PlacementPrediction {
  std::vector<Placement> placements;
  Errno stopped = Errno::ok;  // -EBUSY when fewer than `count` fit
  std::string e820_source;    // "file" or "iomem" (derived from the tree's e820-named top-level lines)
};

// An e820 approximation from an iomem walk: top-level lines named like e820 resources.
E820Table e820_from_iomem(const std::vector<IomemEntry>& iomem);

// allocate_resource(&iomem_resource, size, bounds, align) repeated `count` times with the x86 clip
// against `e820` (or e820_from_iomem when absent).
PlacementPrediction predict_placements(const std::vector<IomemEntry>& iomem, const std::optional<E820Table>& e820,
                                       const PlacementRequest& req);

}  // namespace gm
