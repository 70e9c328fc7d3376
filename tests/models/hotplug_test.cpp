// add_memory_resource checks and online_pages chunking/notifications.
#include "models/hotplug.h"

#include <gtest/gtest.h>

namespace gm {
namespace {

AddrRange R(std::uint64_t a, std::uint64_t b) { return {PhysAddr{a}, PhysAddr{b}}; }
const SectionGeometry kGeo{27, 12};

TEST(Hotplug, AlignmentAndRangeChecks) {
  MemoryHotplug h(kGeo, MiB(128), R(0, (std::uint64_t{1} << 46) - 1));
  EXPECT_EQ(h.add(R(0x100000000 + MiB(64).value, 0x100000000 + MiB(192).value - 1)), Errno::einval);  // start
  EXPECT_EQ(h.add(R(0x100000000, 0x100000000 + MiB(64).value - 1)), Errno::einval);                    // size
  EXPECT_EQ(h.add(R(std::uint64_t{1} << 46, (std::uint64_t{1} << 46) + MiB(128).value - 1)), Errno::erange);
  EXPECT_EQ(h.add(R(0x100000000, 0x107ffffff)), Errno::ok);
  EXPECT_EQ(h.add(R(0x100000000, 0x107ffffff)), Errno::ebusy);
  EXPECT_EQ(h.added_bytes().value, MiB(128).value);
  // A 2 GiB block size makes a 128 MiB section add fail (reference S16).
  MemoryHotplug big(kGeo, GiB(2), R(0, (std::uint64_t{1} << 46) - 1));
  EXPECT_EQ(big.add(R(0x100000000, 0x107ffffff)), Errno::einval);
}

TEST(Hotplug, OnlineCallsTheCallbackPerMaxOrderChunkAndNotifies) {
  MemoryHotplug h(kGeo, MiB(128), R(0, (std::uint64_t{1} << 46) - 1));
  std::vector<std::pair<std::uint64_t, unsigned>> calls;
  std::vector<MemEvent> events;
  h.set_online_page_callback([&](Pfn p, unsigned o) { calls.emplace_back(p.value, o); });
  h.register_notifier([&](MemEvent e) { events.push_back(e); });
  ASSERT_EQ(h.add(R(0x100000000, 0x10fffffff)), Errno::ok);  // two blocks
  EXPECT_EQ(h.online(R(0x100000000, 0x10fffffff)), 65536u);
  ASSERT_EQ(calls.size(), 64u);  // 32768 / 1024 per block, order 10 = MAX_PAGE_ORDER
  EXPECT_EQ(calls[0], (std::pair<std::uint64_t, unsigned>{0x100000, 10}));
  EXPECT_EQ(calls[1].first, 0x100400u);
  EXPECT_EQ(events, (std::vector<MemEvent>{MemEvent::going_online, MemEvent::online, MemEvent::going_online,
                                           MemEvent::online}));
  EXPECT_EQ(h.online_pages(), 65536u);
  EXPECT_EQ(h.online(R(0x100000000, 0x10fffffff)), 0u);  // already online
  EXPECT_EQ(h.offline(R(0x100000000, 0x107ffffff)), 32768u);
  EXPECT_EQ(h.online_pages(), 32768u);
}

}  // namespace
}  // namespace gm
