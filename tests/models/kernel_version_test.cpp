#include "models/kernel_version.h"

#include <gtest/gtest.h>

namespace gm {
namespace {

KernelVersion v(const char* s) { return KernelVersion::from(s); }

TEST(KernelVersion, ParsesTheGrammar) {
  EXPECT_EQ(v("5.10.70").major(), 5);
  EXPECT_EQ(v("5.10.70").minor(), 10);
  EXPECT_EQ(v("5.10.70").patch(), 70);
  EXPECT_EQ(v("5.13-rc2").rc(), 2);
  EXPECT_TRUE(v("v4-patch").is_v4_patch());
  EXPECT_EQ(v("6.10").str(), "6.10");
  EXPECT_EQ(v("5.13-rc2").str(), "5.13-rc2");
  EXPECT_EQ(v("v4-patch").str(), "v4-patch");
}

TEST(KernelVersion, RejectsWhatIsNotAVersion) {
  for (const char* bad : {"", "6", "6.", "6.x", "6.10-rc0", "6.10-rc", "v5-patch", "6.10.1.2", "-6.1", "6.10 ", "1.0"})
    EXPECT_FALSE(KernelVersion::parse(bad).has_value()) << bad;
  EXPECT_THROW(KernelVersion::from("7"), std::invalid_argument);
}

TEST(KernelVersion, OrdersReleasesAfterTheirRcs) {
  EXPECT_LT(v("5.13-rc1"), v("5.13-rc2"));
  EXPECT_LT(v("5.13-rc2"), v("5.13"));
  EXPECT_LT(v("5.13"), v("5.13.1"));
  EXPECT_LT(v("5.13.19"), v("5.14-rc1"));
  EXPECT_LT(v("v4-patch"), v("5.9-rc1"));
  EXPECT_LT(v("5.8.18"), v("v4-patch"));
  EXPECT_EQ(v("6.1"), v("6.1.0"));
}

TEST(KernelVersion, StableBackportsCountAsTheChange) {
  // The balloon kthread: mainline 5.16, backported to 5.10.70 and 5.4.150 (reference §3.4).
  auto kthread = [](const char* s) { return v(s).has_change("5.16", {"5.10.70", "5.4.150"}); };
  EXPECT_TRUE(kthread("5.16"));
  EXPECT_TRUE(kthread("5.10.70"));
  EXPECT_TRUE(kthread("5.10.200"));
  EXPECT_FALSE(kthread("5.10.69"));
  EXPECT_TRUE(kthread("5.4.150"));
  EXPECT_FALSE(kthread("5.4.149"));
  EXPECT_FALSE(kthread("5.15"));
  EXPECT_FALSE(kthread("5.16-rc1"));
}

}  // namespace
}  // namespace gm
