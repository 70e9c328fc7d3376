#include "models/xen/page_stack.h"

#include <gtest/gtest.h>

namespace gm {
namespace {

TEST(PageStack, SectionIsOneRunAndPopsFromTheLastPageDown) {
  PageStack s;
  s.push_ascending({Pfn{0x100000}, 32768});
  EXPECT_EQ(s.size(), 32768u);
  EXPECT_EQ(s.runs(), 1u);
  EXPECT_EQ(s.pop()->value, 0x100000u + 32767);  // last page of the section on top
  EXPECT_EQ(s.pop()->value, 0x100000u + 32766);
  EXPECT_EQ(s.runs(), 1u);
}

TEST(PageStack, PerPageLifoAcrossRuns) {
  PageStack s;
  s.push(Pfn{10});
  s.push(Pfn{11});  // extends downward run: pops 11, 10
  s.push(Pfn{50});
  s.push(Pfn{49});  // upward run: pops 49, 50
  EXPECT_EQ(s.runs(), 2u);
  EXPECT_EQ(s.extents(), (std::vector<PfnExtent>{{Pfn{10}, 2}, {Pfn{49}, 2}}));
  std::vector<std::uint64_t> order;
  while (auto p = s.pop()) order.push_back(p->value);
  EXPECT_EQ(order, (std::vector<std::uint64_t>{49, 50, 11, 10}));
  EXPECT_TRUE(s.empty());
}

TEST(PageStack, PushBackInReverseKeepsOneRun) {
  PageStack s;
  s.push_ascending({Pfn{100}, 8});               // pops 107..100
  Pfn a = *s.pop(), b = *s.pop(), c = *s.pop();  // 107, 106, 105
  s.push(a), s.push(b), s.push(c);               // the kernel's rollback order: top is 105 now
  EXPECT_EQ(s.peek()->value, 105u);
  EXPECT_EQ(s.peek_n(4), (std::vector<Pfn>{Pfn{105}, Pfn{106}, Pfn{107}, Pfn{104}}));
  EXPECT_LE(s.runs(), 2u);
}

TEST(PageStack, TailPushIsPoppedLast) {
  PageStack s;
  s.push(Pfn{1});
  s.push_tail(Pfn{900});
  s.push_tail(Pfn{901});
  s.push(Pfn{2});
  EXPECT_TRUE(s.contains(Pfn{901}));
  EXPECT_FALSE(s.contains(Pfn{3}));
  std::vector<std::uint64_t> order;
  while (auto p = s.pop()) order.push_back(p->value);
  EXPECT_EQ(order, (std::vector<std::uint64_t>{2, 1, 900, 901}));
}

}  // namespace
}  // namespace gm
