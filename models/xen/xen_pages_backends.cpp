#include "models/xen/xen_pages_backends.h"

#include <stdexcept>

namespace gm {

KResult<std::vector<Pfn>> UnpopulatedXenPages::alloc_unpopulated_pages(std::uint32_t nr) {
  // unpopulated-alloc.c@d1a928eac729: "Fallback to default behavior if we do not have any suitable
  // resource to allocate required region from and as the result we won't be able to construct pages."
  if (falls_back()) return balloon_.alloc_pages(nr);
  return alloc_.alloc(nr);
}

void UnpopulatedXenPages::free_unpopulated_pages(std::span<const Pfn> pages) {
  if (falls_back()) return balloon_.free_pages(pages);
  alloc_.free(pages);
}

std::unique_ptr<XenPages> make_xen_pages(XenPagesChoice choice, UnpopulatedAllocator* alloc, Balloon& balloon) {
  if (choice.kind == XenPagesKind::ballooned) return std::make_unique<BalloonedXenPages>(balloon);
  if (!alloc) throw std::invalid_argument("make_xen_pages: the unpopulated backend needs an UnpopulatedAllocator");
  return std::make_unique<UnpopulatedXenPages>(*alloc, balloon, choice.runtime_fallback);
}

}  // namespace gm
