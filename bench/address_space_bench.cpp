// Address-space models at scale: a 1 TiB guest, 8 "Xen scratch" sections (resource + memremap + PV
// p2m), 64 GiB hot-added and onlined. Prints wall time and peak RSS (goal: < 1 s, < 64 MiB).
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <optional>

#include "models/guest.h"

namespace {

// Hands out frames from a counter: the bench measures the address-space models, not the buddy.
class BumpAllocator : public gm::PageAllocator {
 public:
  std::optional<gm::Pfn> alloc_pages(unsigned order, gm::Gfp) override {
    std::uint64_t n = std::uint64_t{1} << order;
    next_ = (next_ + n - 1) / n * n;
    gm::Pfn p{next_};
    next_ += n;
    out_ += n;
    return p;
  }
  void free_pages(gm::Pfn, unsigned order) override { out_ -= std::uint64_t{1} << order; }
  void add_reserved_range(gm::PfnExtent r) override { reserved_ += r.count; }
  void free_reserved_page(gm::Pfn) override {}
  void adjust_managed_page_count(gm::Pfn, std::int64_t) override {}
  std::uint64_t si_mem_available() const override { return 1u << 30; }
  std::uint64_t totalreserve_pages() const override { return 0; }
  std::uint64_t free_pages_count() const override { return 1u << 30; }
  std::uint64_t managed_pages() const override { return 1u << 30; }
  std::uint64_t out_ = 0, reserved_ = 0;

 private:
  std::uint64_t next_ = std::uint64_t{1} << 20;
};

long peak_rss_kib() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;
}

int run(const char* label, gm::GuestConfig cfg) {
  auto t0 = std::chrono::steady_clock::now();
  BumpAllocator alloc;
  gm::Guest g(cfg, alloc);
  g.reserve_resources_late();
  std::uint64_t onlined = 0;
  g.set_online_page_callback([&](gm::Pfn, unsigned order) { onlined += std::uint64_t{1} << order; });
  const gm::Bytes section = gm::pages_to_bytes(g.pages_per_section());
  for (int i = 0; i < 8; ++i) {  // fill_list(): resource, p2m INVALID (PV), memremap_pages
    auto r = g.allocate_resource(gm::ResourceTarget::iomem, gm::kXenScratchName, false, section, g.pluggable_range(),
                                 section);
    if (!r) return std::printf("%s: scratch %d failed: %d\n", label, i, static_cast<int>(r.error())), 1;
    if (g.set_phys_to_machine_invalid({gm::addr_to_pfn(r->start), g.pages_per_section()}) != gm::Errno::ok) return 1;
    if (!g.memremap_pages(r.value())) return std::printf("%s: memremap %d failed\n", label, i), 1;
  }
  const gm::Bytes block = g.hotplug().block_size();
  for (std::uint64_t added = 0; added < gm::GiB(64).value; added += gm::GiB(1).value) {
    auto r = g.allocate_resource(gm::ResourceTarget::iomem, gm::kSystemRamName, true, gm::GiB(1), g.pluggable_range(),
                                 std::max(block, section));
    if (!r) return std::printf("%s: hot-add resource failed\n", label), 1;
    if (g.add_memory_resource(r.value()) != gm::Errno::ok) return std::printf("%s: add_memory failed\n", label), 1;
  }
  auto t1 = std::chrono::steady_clock::now();
  double ms = std::chrono::duration<double, std::milli>(t1 - t0).count();
  std::printf("%-28s wall %8.1f ms  peak RSS %6.1f MiB  iomem %zu nodes  scratch %llu MiB  memmap %llu MiB  "
              "hotplugged %llu GiB  onlined %llu pages  p2m leaves %llu\n",
              label, ms, static_cast<double>(peak_rss_kib()) / 1024.0, g.iomem_walk().size(),
              static_cast<unsigned long long>(g.scratch_bytes().value >> 20),
              static_cast<unsigned long long>(g.memmap_bytes().value >> 20),
              static_cast<unsigned long long>(g.hotplugged_bytes().value >> 30),
              static_cast<unsigned long long>(onlined),
              static_cast<unsigned long long>(g.p2m() ? g.p2m()->leaf_pages_allocated() : 0));
  return 0;
}

}  // namespace

int main() {
  gm::GuestConfig pvh;  // PVH domU, x86_64, 6.12
  pvh.memory = pvh.maxmem = gm::TiB(1);
  if (run("PVH domU 1 TiB", pvh)) return 1;
  gm::GuestConfig pv;
  pv.type = gm::GuestType::pv;
  pv.dom0 = true;  // a domU is capped at 512 GiB (CONFIG_XEN_512GB)
  pv.memory = pv.maxmem = gm::TiB(1);
  if (run("PV dom0 1 TiB (p2m)", pv)) return 1;
  return 0;
}
