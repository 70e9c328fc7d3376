#include "models/page_cache.h"

namespace gm {

void PageCache::add(Pfn p) {
  lru_.push_front(p.value);
  where_[p.value] = lru_.begin();
}

std::uint64_t PageCache::shrink(std::uint64_t nr) {
  std::uint64_t freed = 0;
  while (freed < nr && !lru_.empty()) {
    const std::uint64_t v = lru_.back();
    lru_.pop_back();
    where_.erase(v);
    alloc_.free_pages(Pfn{v}, 0);
    ++freed;
  }
  reclaimed_ += freed;
  return freed;
}

bool PageCache::move(Pfn from, Pfn to) {
  auto it = where_.find(from.value);
  if (it == where_.end()) return false;
  auto pos = it->second;
  *pos = to.value;  // kept in place; the kernel re-adds the new folio with folio_add_lru() (not modelled)
  where_.erase(it);
  where_[to.value] = pos;
  return true;
}

}  // namespace gm
