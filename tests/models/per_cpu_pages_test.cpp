// Per-CPU page lists as mm/page_alloc.c@v6.1 keeps them: high and batch from the zone, LIFO per CPU,
// bulk refill and bulk free, drain_all_pages, and the pre-5.14 switches.
#include "models/per_cpu_pages.h"

#include <gtest/gtest.h>

#include <random>
#include <set>
#include <vector>

#include "models/buddy.h"

namespace gm {
namespace {

BuddyConfig pcp_config(unsigned cpus, PcpConfig pcp = {}) {
  BuddyConfig cfg;
  cfg.layout.dma_end.reset();
  cfg.layout.dma32_end.reset();
  pcp.nr_cpus = cpus;
  cfg.pcp = pcp;
  return cfg;
}

TEST(PerCpuPages, BatchAndHighAsTheKernelComputesThem) {
  EXPECT_EQ(pcp_batch(262144), 63u);  // 1 GiB: min(256, 256) / 4 = 64 -> rounddown_pow2(96) - 1
  EXPECT_EQ(pcp_batch(std::uint64_t{1} << 28), 63u);  // capped at 1 MiB of pages
  EXPECT_EQ(pcp_batch(65536), 15u);   // 256 MiB: 64 / 4 = 16 -> rounddown_pow2(24) - 1
  EXPECT_EQ(pcp_batch(3999), 0u);     // a 16 MiB DMA zone
  EXPECT_EQ(pcp_high(5000, 63, 2, true), 2500u);  // low watermark split over the CPUs
  EXPECT_EQ(pcp_high(300, 63, 2, true), 252u);    // at least 4 * batch
  EXPECT_EQ(pcp_high(5000, 63, 2, false), 378u);  // before 5.14: 6 * batch

  const std::vector<PfnExtent> ram{{Pfn{0}, 262144}};
  BuddyAllocator a(ram, pcp_config(2));
  const PerCpuPages* pc = a.pcp(ZoneType::normal);
  ASSERT_NE(pc, nullptr);
  EXPECT_EQ(pc->batch(), 63u);
  EXPECT_EQ(pc->high(), std::max<std::uint64_t>(a.zone(ZoneType::normal)->watermarks.low / 2, 252));
}

TEST(PerCpuPages, AFreedPageIsTheNextOneAllocatedOnTheSameCpu) {
  const std::vector<PfnExtent> ram{{Pfn{0}, 262144}};
  BuddyAllocator a(ram, pcp_config(2));
  unsigned cpu = 0;
  a.set_cpu_source([&] { return cpu; });
  const std::uint64_t free0 = a.free_pages_count();
  Pfn p = *a.alloc_pages(0, kGfpHighuserMovable);
  // The first allocation refilled the list with a batch (63 pages) taken from the buddy lists.
  EXPECT_EQ(a.free_pages_count(), free0 - 63);
  EXPECT_EQ(a.pcp_pages(), 62u);
  Pfn q = *a.alloc_pages(0, kGfpHighuserMovable);
  EXPECT_NE(q, p);
  a.free_pages(p, 0);
  EXPECT_EQ(*a.alloc_pages(0, kGfpHighuserMovable), p);  // LIFO on the same CPU
  a.free_pages(p, 0);
  cpu = 1;  // another CPU does not see CPU 0's list
  Pfn r = *a.alloc_pages(0, kGfpHighuserMovable);
  EXPECT_NE(r, p);
  cpu = 0;
  EXPECT_EQ(*a.alloc_pages(0, kGfpHighuserMovable), p);
  // A page on a pcp list cannot be freed again.
  a.free_pages(r, 0);
  EXPECT_EQ(a.try_free_pages(r, 0), Errno::einval);
  EXPECT_EQ(a.zone(ZoneType::normal)->check_invariants(), "");
}

TEST(PerCpuPages, FreeingAboveHighGivesABatchBackAndDrainEmptiesEverything) {
  const std::vector<PfnExtent> ram{{Pfn{0}, 262144}};
  BuddyAllocator a(ram, pcp_config(1));
  const PerCpuPages* pc = a.pcp(ZoneType::normal);
  const std::uint64_t free0 = a.free_pages_count();
  std::vector<Pfn> pages;
  for (std::uint32_t i = 0; i < pc->high() + 100; ++i) pages.push_back(*a.alloc_pages(0, kGfpHighuserMovable));
  const std::int64_t before = pc->cpu(0).count;
  std::int64_t freed_to_buddy = 0;
  bool bulk_seen = false;
  for (Pfn p : pages) {
    std::uint64_t free_before = a.free_pages_count();
    a.free_pages(p, 0);
    if (a.free_pages_count() > free_before) {
      // count reached high: nr_pcp_free() gives back at least batch, at most high - batch.
      std::int64_t n = static_cast<std::int64_t>(a.free_pages_count() - free_before);
      if (!bulk_seen) {
        EXPECT_EQ(n, static_cast<std::int64_t>(pc->batch()));
      }
      bulk_seen = true;
      freed_to_buddy += n;
    }
    EXPECT_LT(pc->cpu(0).count, static_cast<std::int64_t>(pc->high()));
  }
  EXPECT_TRUE(bulk_seen);
  EXPECT_EQ(before + static_cast<std::int64_t>(pages.size()) - freed_to_buddy, pc->cpu(0).count);
  a.drain_all_pages();
  EXPECT_EQ(a.pcp_pages(), 0u);
  EXPECT_EQ(a.free_pages_count(), free0);
  EXPECT_EQ(a.zone(ZoneType::normal)->nr_free(10), 256u);  // everything merged back
  EXPECT_EQ(a.zone(ZoneType::normal)->check_invariants(), "");
}

TEST(PerCpuPages, HighOrdersAreCachedFrom514) {
  const std::vector<PfnExtent> ram{{Pfn{0}, 262144}};
  BuddyAllocator now(ram, pcp_config(1));
  Pfn p = *now.alloc_pages(2, kGfpHighuserMovable);
  EXPECT_GT(now.pcp_pages(), 0u);  // batch >> 2 = 15 order-2 blocks, one handed out
  EXPECT_EQ(now.pcp_pages(), 14u * 4);
  now.free_pages(p, 2);
  EXPECT_EQ(*now.alloc_pages(2, kGfpHighuserMovable), p);
  EXPECT_TRUE(now.pcp(ZoneType::normal)->allowed_order(9));
  EXPECT_FALSE(now.pcp(ZoneType::normal)->allowed_order(4));

  BuddyAllocator old(ram, pcp_config(1, PcpConfig{.high_order = false, .high_from_low_watermark = false}));
  old.alloc_pages(2, kGfpHighuserMovable);
  EXPECT_EQ(old.pcp_pages(), 0u);  // order-0 only before 5.14
  EXPECT_EQ(old.pcp(ZoneType::normal)->high(), 6u * 63);
}

TEST(PerCpuPages, AFailedAllocationDrainsTheListsAndRetries) {
  BuddyConfig cfg = pcp_config(2);
  cfg.min_free_kbytes = 0;
  const std::vector<PfnExtent> ram{{Pfn{0}, 4096}};
  BuddyAllocator a(ram, cfg);
  unsigned cpu = 0;
  a.set_cpu_source([&] { return cpu; });
  Pfn p = *a.alloc_pages(0, kGfpHighuserMovable);
  a.free_pages(p, 0);
  ASSERT_GT(a.pcp_pages(), 0u);
  cpu = 1;
  // Only an order-10 request that needs the pages cached on CPU 0 back in the buddy lists.
  std::vector<Pfn> big;
  while (auto q = a.alloc_pages(10, kGfpHighuserMovable)) big.push_back(*q);
  EXPECT_EQ(big.size(), 4u);
  EXPECT_EQ(a.pcp_pages(), 0u);
}

// holds(): pages pushed and popped at random on several CPUs and lists, neighbouring runs and frames
// far above the zone's start (the membership bitmap grows), agree with a reference set; a frame below
// the zone's start is refused.
TEST(PerCpuPages, HoldsMatchesAReferenceAcrossGrowth) {
  const Pfn base{1u << 20};
  PerCpuPages pc(PcpConfig{2, true, true}, 9, base);
  std::set<std::uint64_t> ref;
  std::vector<std::pair<unsigned, unsigned>> where;  // (cpu, pindex) of each push, to pop from
  std::mt19937_64 rng(11);
  for (int step = 0; step < 20000; ++step) {
    const unsigned cpu = static_cast<unsigned>(rng() % 2), idx = pc.pindex(Migratetype::movable, 0);
    auto& list = pc.cpu(cpu).lists[idx];
    if (rng() % 3 != 0 || list.empty()) {
      const std::uint64_t off = (rng() % 8 == 0) ? rng() % (std::uint64_t{1} << 28) : rng() % 200000;
      const std::uint64_t len = 1 + rng() % 16;
      for (std::uint64_t k = off; k < off + len; ++k)
        if (ref.insert(base.value + k).second) pc.push(cpu, idx, base + k, rng() % 2 == 0);
    } else {
      Pfn p = rng() % 2 ? pc.pop_head(cpu, idx) : pc.pop_tail(cpu, idx);
      EXPECT_EQ(ref.erase(p.value), 1u);
      EXPECT_FALSE(pc.holds(p));
    }
  }
  EXPECT_EQ(pc.pages(), ref.size());
  EXPECT_GT(ref.size(), 1000u);
  for (std::uint64_t k = 0; k < 200016; ++k) {
    if (pc.holds(base + k) != (ref.count(base.value + k) != 0)) {
      ADD_FAILURE() << "frame " << base.value + k;
      break;
    }
  }
  for (std::uint64_t k : ref) {
    if (!pc.holds(Pfn{k})) {
      ADD_FAILURE() << "missing frame " << k;
      break;
    }
  }
  EXPECT_FALSE(pc.holds(base - 1));
  EXPECT_FALSE(pc.holds(base + (std::uint64_t{1} << 40)));  // beyond anything ever held
  EXPECT_THROW(pc.push(0, pc.pindex(Migratetype::movable, 0), base - 1, false), std::logic_error);
}

}  // namespace
}  // namespace gm
