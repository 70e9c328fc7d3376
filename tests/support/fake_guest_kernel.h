// Test double of the guest kernel seam (models/guest_kernel.h) for driver unit tests: a first-fit
// resource list per root, a counting page allocator, p2m and memremap with failure injection, and
// memory hotplug that onlines at once when auto-online is on. Records what the drivers asked for.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "models/guest_kernel.h"

namespace gm::test {

class FakeGuestKernel : public GuestKernel {
 public:
  struct Resource {
    std::string name;
    ResourceTarget root;
    AddrRange range;
    bool system_ram = false;
  };
  struct AllocCall {
    ResourceTarget root;
    std::string name;
    Bytes size;
    AddrRange bounds;
    Bytes align;
  };

  explicit FakeGuestKernel(GuestType type = GuestType::pvh) : type_(type) {
    // Guest RAM [0, 4 GiB) is busy in iomem, so scratch space starts at 4 GiB.
    busy_.push_back({"System RAM", ResourceTarget::iomem, {{0}, {(std::uint64_t{4} << 30) - 1}}, true});
  }

  // --- configuration ---
  GuestType type_;
  bool dom0_ = false;
  std::uint64_t pps_ = 32768;
  std::optional<ResourceTarget> target_ = ResourceTarget::iomem;
  AddrRange iomem_root_{{0}, {(std::uint64_t{1} << 46) - 1}};
  AddrRange ext_root_{{std::uint64_t{1} << 40}, {(std::uint64_t{1} << 40) + (std::uint64_t{8} << 30) - 1}};
  AddrRange pluggable_{{0}, {(std::uint64_t{1} << 46) - 1}};
  bool fail_memremap_ = false;
  bool fail_p2m_invalid_ = false;
  long p2m_entry_fail_at_ = -1;  // alloc_p2m_entry call index (0-based) that fails with -ENOMEM
  Errno add_memory_error_ = Errno::ok;
  bool auto_online_ = true;
  std::uint64_t free_pages_ = 1 << 18;             // pages alloc_page can still hand out
  std::optional<std::uint64_t> si_mem_available_;  // default: free_pages_
  std::uint64_t totalreserve_ = 1024;
  std::uint64_t num_physpages_ = 1 << 20;

  // --- records ---
  std::vector<Resource> busy_;
  std::vector<AllocCall> alloc_calls_;
  std::vector<AddrRange> released_;
  std::vector<PfnExtent> p2m_invalid_calls_;
  long p2m_entry_calls_ = 0;
  std::vector<AddrRange> memremapped_;
  std::vector<AddrRange> hot_added_;
  std::vector<Pfn> freed_to_buddy_;
  std::int64_t managed_delta_ = 0;  // sum of adjust_managed_page_count() deltas
  std::function<void(Pfn, unsigned)> online_cb_;
  std::vector<std::function<void(MemEvent)>> notifiers_;

  // --- GuestKernel ---
  GuestType guest_type() const override { return type_; }
  bool is_dom0() const override { return dom0_; }
  std::uint64_t pages_per_section() const override { return pps_; }

  KResult<AddrRange> allocate_resource(ResourceTarget target, std::string_view name, bool system_ram, Bytes size,
                                       AddrRange bounds, Bytes align) override {
    alloc_calls_.push_back({target, std::string(name), size, bounds, align});
    const AddrRange root = target == ResourceTarget::iomem ? iomem_root_ : ext_root_;
    auto align_up = [&](std::uint64_t a) { return (a + align.value - 1) / align.value * align.value; };
    std::uint64_t lo = std::max(root.start.value, bounds.start.value);
    std::uint64_t hi = std::min(root.end.value, bounds.end.value);
    std::vector<AddrRange> taken;
    for (const Resource& r : busy_)
      if (r.root == target) taken.push_back(r.range);
    std::sort(taken.begin(), taken.end());
    std::uint64_t cand = align_up(lo);
    for (const AddrRange& t : taken) {
      if (t.end.value < cand) continue;
      if (cand + size.value - 1 < t.start.value) break;
      cand = align_up(t.end.value + 1);
    }
    if (cand + size.value - 1 > hi) return Errno::ebusy;
    AddrRange got{{cand}, {cand + size.value - 1}};
    busy_.push_back({std::string(name), target, got, system_ram});
    return got;
  }
  Errno request_iomem(std::string_view name, AddrRange range) override {
    for (const Resource& r : busy_)
      if (r.root == ResourceTarget::iomem && r.range.overlaps(range)) return Errno::ebusy;
    busy_.push_back({std::string(name), ResourceTarget::iomem, range, false});
    return Errno::ok;
  }
  // Releases one resource with exactly this range: the iomem one first, then one in another root.
  void release_resource(AddrRange range) override {
    released_.push_back(range);
    auto it = std::find_if(busy_.begin(), busy_.end(),
                           [&](const Resource& r) { return r.root == ResourceTarget::iomem && r.range == range; });
    if (it == busy_.end())
      it = std::find_if(busy_.begin(), busy_.end(), [&](const Resource& r) { return r.range == range; });
    if (it != busy_.end()) busy_.erase(it);
  }
  AddrRange pluggable_range() const override { return pluggable_; }
  std::optional<ResourceTarget> unpopulated_target() const override { return target_; }

  KResult<MemremapCost> memremap_pages(AddrRange range) override {
    if (fail_memremap_) return Errno::enomem;
    memremapped_.push_back(range);
    MemremapCost c;
    std::uint64_t pages = bytes_to_pages(range.size());
    c.vmemmap_pages = pages * 64 / kPageSize;
    c.order9_blocks = c.vmemmap_pages / 512;
    c.pages_initialised = pages;
    return c;
  }

  Errno set_phys_to_machine_invalid(PfnExtent range) override {
    p2m_invalid_calls_.push_back(range);
    return fail_p2m_invalid_ ? Errno::enomem : Errno::ok;
  }
  Errno alloc_p2m_entry(Pfn) override { return p2m_entry_calls_++ == p2m_entry_fail_at_ ? Errno::enomem : Errno::ok; }

  std::optional<Pfn> alloc_page(Gfp) override {
    if (free_pages_ == 0) return std::nullopt;
    --free_pages_;
    if (!recycled_.empty()) {
      Pfn p = recycled_.back();
      recycled_.pop_back();
      return p;
    }
    return Pfn{next_pfn_++};
  }
  void free_reserved_page(Pfn pfn) override {
    freed_to_buddy_.push_back(pfn);
    ++managed_delta_;  // free_reserved_page() -> adjust_managed_page_count(page, 1)
    recycled_.push_back(pfn);
    ++free_pages_;
  }
  void adjust_managed_page_count(Pfn, std::int64_t delta) override { managed_delta_ += delta; }
  std::uint64_t si_mem_available() const override { return si_mem_available_.value_or(free_pages_); }
  std::uint64_t totalreserve_pages() const override { return totalreserve_; }
  std::uint64_t num_physpages() const override { return num_physpages_; }

  Errno add_memory_resource(AddrRange range, MemremapCost* cost = nullptr) override {
    if (add_memory_error_ != Errno::ok) return add_memory_error_;
    if (cost) {
      *cost = MemremapCost{};
      cost->vmemmap_pages = bytes_to_pages(range.size()) * 64 / kPageSize;
      cost->order9_blocks = cost->vmemmap_pages / 512;
      cost->memory_blocks = 1;
    }
    hot_added_.push_back(range);
    if (auto_online_) online(range);
    return Errno::ok;
  }
  bool auto_online() const override { return auto_online_; }
  void set_online_page_callback(std::function<void(Pfn, unsigned)> cb) override { online_cb_ = std::move(cb); }
  void register_memory_notifier(std::function<void(MemEvent)> cb) override { notifiers_.push_back(std::move(cb)); }

  // online_pages(): the callback per order-10 chunk, then MEM_ONLINE.
  void online(AddrRange range) {
    for (Pfn p = addr_to_pfn(range.start); p <= addr_to_pfn(range.end); p = p + 1024)
      if (online_cb_) online_cb_(p, 10);
    for (auto& n : notifiers_) n(MemEvent::online);
  }

 private:
  std::uint64_t next_pfn_ = 0x10000;
  std::vector<Pfn> recycled_;
};

}  // namespace gm::test
