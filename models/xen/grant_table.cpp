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

namespace {
std::uint64_t batches(std::uint64_t count, std::uint64_t batch) { return batch == 0 ? 0 : (count + batch - 1) / batch; }
}  // namespace

void GrantTable::map_refs(std::uint64_t count, std::uint64_t batch) {
  if (env_ && count > 0) env_->charge_batch({{Work::hypercall, batches(count, batch)}, {Work::grant_map_page, count}});
}

void GrantTable::unmap_refs(std::uint64_t count, std::uint64_t batch) {
  if (env_ && count > 0) {
    const std::uint64_t calls = batches(count, batch);
    env_->charge_batch({{Work::hypercall, calls}, {Work::grant_unmap_page, count}, {Work::tlb_flush_all, calls}});
  }
}

void GrantTable::remap(std::uint64_t count, std::uint64_t batch) {
  if (env_ && count > 0) env_->charge_batch({{Work::hypercall, batches(count, batch)}, {Work::grant_map_page, count}});
}

void GrantTable::charge(std::initializer_list<WorkCharge> parts) {
  if (env_) env_->charge_batch(parts);
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
