// The model memory estimate against the buddy allocator's real state, and the refusal message.
#include "sim/engine/model_budget.h"

#include <gtest/gtest.h>

#include <vector>

#include "models/buddy.h"
#include "models/errors.h"

namespace gm {
namespace {

TEST(ModelBudget, ZoneStateBytesByHandFor1GiB) {
  // 262144 frames, orders 0..10, pageblock order 9: 3 bitmaps of 4096 words = 98304 B; 512 pageblocks:
  // 512 B of types, 512*9 uint16 counts = 9216 B; 33 summary bitmaps of 8+1 words and 2 level offsets
  // = 88 B each = 2904 B. Total 110936 B.
  EXPECT_EQ(zone_state_bytes(Pfn{0}, Pfn{262144}, BuddyGeometry{}).value, 110936u);
}

TEST(ModelBudget, SpanIsAlignedToMaxOrderLikeTheZone) {
  // One frame in the middle of a 1024-frame block costs a whole block: 3 words + 2 pageblocks + ...
  const Bytes one = zone_state_bytes(Pfn{1500}, Pfn{1501}, BuddyGeometry{});
  const Bytes block = zone_state_bytes(Pfn{1024}, Pfn{2048}, BuddyGeometry{});
  EXPECT_EQ(one, block);
  // 1024 frames: 3*16 words*8 = 384; 2 pageblocks: 2 + 36; 33 summaries of 1 word + 1 offset = 528.
  EXPECT_EQ(block.value, 384u + 2u + 36u + 528u);
}

TEST(ModelBudget, EstimateMatchesTheBuiltAllocatorForAnX86Layout) {
  // A 6 GiB x86 guest: low RAM, RAM up to 3 GiB, RAM from 4 GiB on; three zones.
  const std::vector<PfnExtent> ram{{Pfn{1}, 0x9f}, {Pfn{0x100}, 0xc0000 - 0x100}, {Pfn{0x100000}, 0xc0000}};
  const BuddyAllocator buddy(ram);
  const ModelMemoryEstimate est = estimate_model_memory(ram, 0);
  // An upper bound, tight: the per-frame part is exact, the per-zone allowance is 1 KiB.
  EXPECT_GE(est.buddy_state.value, buddy.state_bytes());
  EXPECT_LE(est.buddy_state.value, buddy.state_bytes() + 3 * 1024);
  EXPECT_EQ(est.span_frames, 0x180000u);  // DMA 0..0x1000, DMA32 0x1000..0xc0000, Normal 0xc0000 frames
  EXPECT_GT(est.fixed.value, 0u);
}

TEST(ModelBudget, GrowthExtendsTheHighestZone) {
  const std::vector<PfnExtent> ram{{Pfn{0x100000}, 0x40000}};
  const ModelMemoryEstimate no = estimate_model_memory(ram, 0);
  const ModelMemoryEstimate grown = estimate_model_memory(ram, 0x40000);
  EXPECT_EQ(no.span_frames, 0x40000u);
  EXPECT_EQ(grown.span_frames, 0x80000u);
  EXPECT_EQ(grown.buddy_state.value,
            zone_state_bytes(Pfn{0x100000}, Pfn{0x180000}, BuddyGeometry{}).value + sizeof(PfnExtent) + 1024);
}

TEST(ModelBudget, ATeraByteGuestIsAbout110MiB) {
  // 1 TiB above 4 GiB: 2^28 frames at ~0.42 B each.
  const std::vector<PfnExtent> ram{{Pfn{0x100000}, std::uint64_t{1} << 28}};
  const ModelMemoryEstimate est = estimate_model_memory(ram, 0);
  EXPECT_GT(est.buddy_state.value, MiB(100).value);
  EXPECT_LT(est.buddy_state.value, MiB(120).value);
}

// The pcp lists' membership bitmap: at most 1.5 bits per spanned frame (grown in steps of half again),
// only when the pcp lists are on; counted in the total.
TEST(ModelBudget, PcpBitmapsCountOnlyWithPcpLists) {
  const std::vector<PfnExtent> ram{{Pfn{0x100000}, std::uint64_t{1} << 28}};
  BuddyConfig cfg;
  EXPECT_EQ(estimate_model_memory(ram, 0, cfg).pcp_state.value, 0u);
  cfg.pcp = PcpConfig{};
  const ModelMemoryEstimate est = estimate_model_memory(ram, 0, cfg);
  EXPECT_EQ(est.pcp_state.value, MiB(48).value + KiB(32).value);  // 2^28 frames: 32 MiB x 1.5
  EXPECT_EQ(est.total().value, est.buddy_state.value + est.pcp_state.value + est.fixed.value);
}

TEST(ModelBudget, RefusalNamesEstimatePartsAndLimit) {
  ModelMemoryEstimate est;
  est.span_frames = 1000;
  est.buddy_state = MiB(3);
  est.fixed = MiB(96);
  EXPECT_NO_THROW(check_model_budget(est, MiB(99), "s.json"));
  try {
    check_model_budget(est, MiB(98), "s.json");
    FAIL() << "no refusal";
  } catch (const InputError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("s.json: "), std::string::npos) << msg;
    EXPECT_NE(msg.find("99 MiB"), std::string::npos) << msg;
    EXPECT_NE(msg.find("98 MiB"), std::string::npos) << msg;
    EXPECT_NE(msg.find("1000 frames"), std::string::npos) << msg;
  }
}

}  // namespace
}  // namespace gm
