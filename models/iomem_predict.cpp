// Placement rule: kernel/resource.c@v6.1 __find_resource (first fit over top-level gaps in sibling order),
// arch/x86/kernel/resource.c@v6.12 arch_remove_reservations, arch/x86/kernel/e820.c@v6.12 do_mark_busy
// (what is in the tree at early boot), drivers/xen/unpopulated-alloc.c fill_list / balloon.c
// reserve_additional_memory (names, size and alignment).
#include "models/iomem_predict.h"

#include "models/x86_resource.h"

namespace gm {

E820Table e820_from_iomem(const std::vector<IomemEntry>& iomem) {
  std::vector<E820Entry> out;
  for (const auto& e : iomem) {
    if (e.depth != 0) continue;
    if (auto t = e820_type_from_name(e.name)) out.push_back({e.range, *t});
  }
  E820Table t(out);
  t.sanitize();
  return t;
}

PlacementPrediction predict_placements(const std::vector<IomemEntry>& iomem, const std::optional<E820Table>& e820,
                                       const PlacementRequest& req) {
  PlacementPrediction out;
  E820Table table = e820 ? *e820 : e820_from_iomem(iomem);
  out.e820_source = e820 ? "file" : "iomem";
  ResourceTree tree({PhysAddr{0}, PhysAddr{(std::uint64_t{1} << req.phys_bits) - 1}}, "PCI mem");
  if (req.at_boot) {
    e820_reserve_resources(tree, table);
  } else {
    tree.import_walk(iomem, [](const IomemEntry&) { return unsigned{kResBusy}; });
  }
  tree.set_clip_hook(x86_remove_reservations_hook(table, req.pci_use_e820));
  const char* name = req.kind == PlacementKind::scratch ? "Xen scratch" : "System RAM";
  unsigned flags = kResBusy | (req.kind == PlacementKind::hotplug ? kResSystemRam : 0u);
  for (int i = 0; i < req.count; ++i) {
    auto id = tree.allocate(ResourceTree::kRoot, name, flags, req.size, req.bounds, req.align);
    if (!id) {
      out.stopped = id.error();
      break;
    }
    Placement p{name, tree.node(id.value()).range, {}};
    for (const auto& e : iomem)
      if (e.range.overlaps(p.range)) p.overlaps.push_back(e);
    out.placements.push_back(std::move(p));
  }
  return out;
}

}  // namespace gm
