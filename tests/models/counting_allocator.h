// A PageAllocator double for the address-space tests: hands out naturally aligned frames from a
// counter far above guest RAM, counts pages per order, and can refuse an order or run dry.
#pragma once

#include <array>
#include <cstdint>
#include <optional>

#include "models/page_allocator.h"

namespace gm::test {

class CountingAllocator : public PageAllocator {
 public:
  std::optional<Pfn> alloc_pages(unsigned order, Gfp) override {
    if (order >= refuse_from_order) return std::nullopt;
    std::uint64_t n = std::uint64_t{1} << order;
    if (budget < n) return std::nullopt;
    budget -= n;
    next_ = (next_ + n - 1) / n * n;
    Pfn p{next_};
    next_ += n;
    ++allocs[order];
    pages_out += n;
    return p;
  }
  void free_pages(Pfn, unsigned order) override {
    pages_out -= std::uint64_t{1} << order;
    budget += std::uint64_t{1} << order;
    ++frees[order];
  }
  void add_reserved_range(PfnExtent r) override { reserved_added += r.count; }
  void free_reserved_page(Pfn) override { ++reserved_freed; }
  void adjust_managed_page_count(Pfn, std::int64_t delta) override { managed_delta += delta; }
  std::uint64_t si_mem_available() const override { return budget; }
  std::uint64_t totalreserve_pages() const override { return 0; }
  std::uint64_t free_pages_count() const override { return budget; }
  std::uint64_t managed_pages() const override { return budget + pages_out; }

  unsigned refuse_from_order = 64;  // orders >= this fail
  std::uint64_t budget = ~std::uint64_t{0} >> 1;
  std::array<std::uint64_t, 11> allocs{};
  std::array<std::uint64_t, 11> frees{};
  std::uint64_t pages_out = 0;
  std::uint64_t reserved_added = 0;
  std::uint64_t reserved_freed = 0;
  std::int64_t managed_delta = 0;

 private:
  std::uint64_t next_ = std::uint64_t{1} << 40;
};

}  // namespace gm::test
