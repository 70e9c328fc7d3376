// GFN-contiguity metric: largest populated run and populated/ballooned transitions.
#include "models/gfn_contiguity.h"

#include <gtest/gtest.h>

#include <vector>

namespace gm {
namespace {

TEST(GfnContiguity, RunsAndTransitions) {
  std::vector<PfnExtent> ram = {{Pfn{0}, 100}};
  std::vector<PfnExtent> ballooned = {{Pfn{10}, 10}, {Pfn{50}, 1}};
  GfnContiguity m = gfn_contiguity(ram, ballooned);
  EXPECT_EQ(m.populated_pages, 89u);
  EXPECT_EQ(m.ballooned_pages, 11u);
  EXPECT_EQ(m.largest_run_pages, 49u);  // [51, 100)
  EXPECT_EQ(m.largest_run_first, Pfn{51});
  EXPECT_EQ(m.transitions, 4u);  // 9|10, 19|20, 49|50, 50|51
}

TEST(GfnContiguity, RamHolesBreakRunsWithoutTransitions) {
  // Two touching extents merge into one run; a gap (not RAM) splits runs but is no transition.
  std::vector<PfnExtent> ram = {{Pfn{200}, 50}, {Pfn{0}, 30}, {Pfn{30}, 30}};
  std::vector<PfnExtent> ballooned = {{Pfn{55}, 10}, {Pfn{1000}, 5}};  // [55,65) half outside RAM
  GfnContiguity m = gfn_contiguity(ram, ballooned);
  EXPECT_EQ(m.populated_pages, 55u + 50u);
  EXPECT_EQ(m.ballooned_pages, 5u);
  EXPECT_EQ(m.largest_run_pages, 55u);
  EXPECT_EQ(m.largest_run_first, Pfn{0});
  EXPECT_EQ(m.transitions, 1u);
}

TEST(GfnContiguity, NothingBallooned) {
  std::vector<PfnExtent> ram = {{Pfn{16}, 8}};
  GfnContiguity m = gfn_contiguity(ram, {});
  EXPECT_EQ(m.largest_run_pages, 8u);
  EXPECT_EQ(m.transitions, 0u);
}

TEST(GfnContiguity, ExtentsFromPfns) {
  auto e = extents_from_pfns({Pfn{7}, Pfn{3}, Pfn{4}, Pfn{4}, Pfn{5}, Pfn{9}});
  EXPECT_EQ(e, (std::vector<PfnExtent>{{Pfn{3}, 3}, {Pfn{7}, 1}, {Pfn{9}, 1}}));
}

}  // namespace
}  // namespace gm
