#include "models/xen/callers.h"

#include <gtest/gtest.h>

#include "models/xen/xen_drivers.h"
#include "tests/support/fake_guest_kernel.h"
#include "tests/support/fake_hypervisor.h"
#include "tests/support/inline_env.h"

namespace gm {
namespace {

using test::FakeGuestKernel;
using test::FakeHypervisor;
using test::InlineEnv;

// A XenPages double that hands out consecutive frames and counts calls.
class CountingPages : public XenPages {
 public:
  KResult<std::vector<Pfn>> alloc_unpopulated_pages(std::uint32_t nr) override {
    alloc_sizes.push_back(nr);
    if (fail) return Errno::enomem;
    std::vector<Pfn> v;
    for (std::uint32_t i = 0; i < nr; ++i) v.push_back(Pfn{next++});
    out += nr;
    return v;
  }
  void free_unpopulated_pages(std::span<const Pfn> pages) override {
    free_sizes.push_back(pages.size());
    out -= pages.size();
  }
  std::string_view backend_name() const override { return "counting"; }
  std::vector<std::uint32_t> alloc_sizes;
  std::vector<std::size_t> free_sizes;
  std::uint64_t next = 1000, out = 0;
  bool fail = false;
};

TEST(Callers, BlkbackMissesOnePageAtATimeAndReusesItsCache) {
  CountingPages pages;
  GrantTable gnttab(pages);
  Blkback blk(gnttab);
  auto a = blk.serve(11);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(pages.alloc_sizes, std::vector<std::uint32_t>(11, 1));  // 11 one-page misses
  blk.release(std::move(a.value()));
  EXPECT_EQ(blk.cache().size(), 11u);
  ASSERT_TRUE(blk.serve(11).ok());
  EXPECT_EQ(pages.alloc_sizes.size(), 11u);  // all hits
  EXPECT_EQ(blk.cache().misses(), 11u);
}

TEST(Callers, BlkbackShrinksItsCacheInBatchesOfTen) {
  CountingPages pages;
  GrantTable gnttab(pages);
  Blkback blk(gnttab, /*max_buffer_pages=*/4);
  auto a = blk.serve(29);
  ASSERT_TRUE(a.ok());
  blk.release(std::move(a.value()));  // 29 cached, keep 4: 25 freed as 10 + 10 + 5
  EXPECT_EQ(pages.free_sizes, (std::vector<std::size_t>{10, 10, 5}));
  EXPECT_EQ(blk.cache().size(), 4u);
  blk.squeeze();
  EXPECT_EQ(pages.free_sizes.back(), 4u);
  EXPECT_EQ(pages.out, 0u);
  EXPECT_EQ(blk.serve(257).error(), Errno::einval);
}

TEST(Callers, BlkbackFailedMissPutsBackWhatItTook) {
  CountingPages pages;
  GrantTable gnttab(pages);
  Blkback blk(gnttab);
  auto a = blk.serve(3);
  blk.release(std::move(a.value()));
  pages.fail = true;
  auto b = blk.serve(5);  // 3 hits, then a failing miss
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(blk.cache().size(), 3u);
}

TEST(Callers, NetbackTakesTwoHundredFiftySixPagesPerQueue) {
  CountingPages pages;
  GrantTable gnttab(pages);
  Netback nb(gnttab);
  auto q = nb.connect_queue();
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q.value().pages.size(), 256u);
  nb.release(std::move(q.value()));
  EXPECT_EQ(pages.free_sizes, std::vector<std::size_t>{256});
}

TEST(Callers, GntdevEnforcesItsLimit) {
  CountingPages pages;
  GrantTable gnttab(pages);
  Gntdev dev(gnttab);
  EXPECT_EQ(dev.map(0).error(), Errno::einval);
  EXPECT_EQ(dev.map(65537).error(), Errno::einval);
  auto m = dev.map(65536);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(pages.alloc_sizes, std::vector<std::uint32_t>{65536});
}

TEST(Callers, XenbusAndPrivcmdAreRefusedOnPv) {
  CountingPages pages;
  XenbusRings pv_rings(pages, GuestType::pv);
  Privcmd pv_privcmd(pages, GuestType::pv);
  EXPECT_EQ(pv_rings.map_ring(1).error(), Errno::enodev);
  EXPECT_EQ(pv_privcmd.mmap_batch(256).error(), Errno::enodev);
  EXPECT_TRUE(pages.alloc_sizes.empty());  // nothing reached the xen_pages path
  EXPECT_FALSE(caller_uses_xen_pages(CallerKind::xenbus, GuestType::pv));
  EXPECT_FALSE(caller_uses_xen_pages(CallerKind::privcmd, GuestType::pv));
  EXPECT_TRUE(caller_uses_xen_pages(CallerKind::gntdev, GuestType::pv));

  XenbusRings rings(pages, GuestType::pvh);
  EXPECT_EQ(rings.map_ring(17).error(), Errno::einval);
  ASSERT_TRUE(rings.map_ring(16).ok());
  Privcmd privcmd(pages, GuestType::hvm);
  ASSERT_TRUE(privcmd.mmap_batch(256).ok());  // QEMU mapcache bucket: the whole VMA at once
  EXPECT_EQ(pages.alloc_sizes, (std::vector<std::uint32_t>{16, 256}));
}

TEST(Callers, PvhGrantFramesOnlyOnPvhAndDrmBufferSize) {
  CountingPages pages;
  EXPECT_EQ(PvhGrantFrames(pages, GuestType::hvm).setup(64).error(), Errno::enodev);
  ASSERT_TRUE(PvhGrantFrames(pages, GuestType::pvh).setup(64).ok());
  DrmFront drm(pages);
  auto fb = drm.alloc_buffer(Bytes{1920 * 1080 * 4});
  ASSERT_TRUE(fb.ok());
  EXPECT_EQ(fb.value().pages.size(), 2025u);
}

TEST(Callers, BlkbackMissOnEmptyUnpopulatedPoolCostsASection) {
  FakeGuestKernel k(GuestType::pvh);
  InlineEnv env(k);
  FakeHypervisor hv;
  XenDrivers d(env, hv,
               XenDriversSetup::for_version(KernelVersion::from("6.12"), true, {XenPagesKind::unpopulated, true}));
  ASSERT_EQ(d.boot(), Errno::ok);
  GrantTable gnttab(d.pages());
  Blkback blk(gnttab);
  ASSERT_TRUE(blk.serve(1).ok());
  EXPECT_EQ(d.unpopulated()->stats().scratch_bytes, MiB(128));
  EXPECT_EQ(d.unpopulated()->stats().pages_on_list, 32767u);
}

}  // namespace
}  // namespace gm
