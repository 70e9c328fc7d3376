#include "models/xen/grant_table.h"

#include <array>

namespace gm {

KResult<std::vector<Pfn>> GrantTable::alloc_pages(std::uint32_t nr) {
  // grant-table.c gnttab_alloc_pages(): xen_alloc_unpopulated_pages() then gnttab_pages_set_private().
  return pages_.alloc_unpopulated_pages(nr);
}

void GrantTable::free_pages(std::span<const Pfn> pages) {
  // gnttab_free_pages(): gnttab_pages_clear_private() then xen_free_unpopulated_pages().
  pages_.free_unpopulated_pages(pages);
}

KResult<Pfn> GrantPageCache::get() {
  if (pages_.empty()) {
    ++misses_;
    KResult<std::vector<Pfn>> one = gnttab_.alloc_pages(1);
    if (!one) return one.error();
    return one.value().front();
  }
  Pfn p = pages_.back();
  pages_.pop_back();
  return p;
}

void GrantPageCache::put(std::span<const Pfn> pages) { pages_.insert(pages_.end(), pages.begin(), pages.end()); }

void GrantPageCache::shrink(std::uint64_t keep) {
  // grant-table.c gnttab_page_cache_shrink(): struct page *page[10] per gnttab_free_pages() call.
  std::array<Pfn, 10> batch{};
  std::size_t i = 0;
  while (pages_.size() > keep) {
    batch[i++] = pages_.back();
    pages_.pop_back();
    if (i == batch.size()) {
      gnttab_.free_pages(batch);
      ++free_calls_;
      i = 0;
    }
  }
  if (i != 0) {
    gnttab_.free_pages(std::span<const Pfn>(batch.data(), i));
    ++free_calls_;
  }
}

}  // namespace gm
