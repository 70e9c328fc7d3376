// The two implementations of the include/xen/xen.h seam (XenPages) and the factory that picks one the
// way the kernel does (reference §4.2).
#pragma once

#include <memory>

#include "models/xen/balloon.h"
#include "models/xen/unpopulated_alloc.h"
#include "models/xen/xen_pages.h"

namespace gm {

// Which allocator xen_alloc_unpopulated_pages() is built on. Minimal on purpose: the Kconfig resolver
// (models/xen/allocator_choice.h) computes it and the lead maps its result onto this.
enum class XenPagesKind { unpopulated, ballooned };

struct XenPagesChoice {
  XenPagesKind kind = XenPagesKind::unpopulated;
  // 5.17+ (d1a928eac729, 9dd060afe2df): with UNPOPULATED=y, a NULL target_resource makes every call
  // use xen_alloc/free_ballooned_pages at run time.
  bool runtime_fallback = true;
};

// CONFIG_XEN_UNPOPULATED_ALLOC=y: the ZONE_DEVICE allocator, with the 5.17+ run-time fallback.
class UnpopulatedXenPages final : public XenPages {
 public:
  UnpopulatedXenPages(UnpopulatedAllocator& alloc, Balloon& balloon, bool runtime_fallback)
      : alloc_(alloc), balloon_(balloon), runtime_fallback_(runtime_fallback) {}
  KResult<std::vector<Pfn>> alloc_unpopulated_pages(std::uint32_t nr) override;
  void free_unpopulated_pages(std::span<const Pfn> pages) override;
  std::string_view backend_name() const override { return falls_back() ? "ballooned" : "unpopulated"; }
  bool falls_back() const { return runtime_fallback_ && !alloc_.has_target(); }

 private:
  UnpopulatedAllocator& alloc_;
  Balloon& balloon_;
  bool runtime_fallback_;
};

// CONFIG_XEN_UNPOPULATED_ALLOC=n: the #define alias (5.9-5.15), the renamed balloon functions (5.16)
// or the static inline wrappers (5.17+) all land in xen_alloc/free_ballooned_pages.
class BalloonedXenPages final : public XenPages {
 public:
  explicit BalloonedXenPages(Balloon& balloon) : balloon_(balloon) {}
  KResult<std::vector<Pfn>> alloc_unpopulated_pages(std::uint32_t nr) override { return balloon_.alloc_pages(nr); }
  void free_unpopulated_pages(std::span<const Pfn> pages) override { balloon_.free_pages(pages); }
  std::string_view backend_name() const override { return "ballooned"; }

 private:
  Balloon& balloon_;
};

// `alloc` may be null only for XenPagesKind::ballooned. Throws std::invalid_argument otherwise.
std::unique_ptr<XenPages> make_xen_pages(XenPagesChoice choice, UnpopulatedAllocator* alloc, Balloon& balloon);

}  // namespace gm
