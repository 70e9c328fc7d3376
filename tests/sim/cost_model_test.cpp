#include "sim/cost_model.h"

#include <gtest/gtest.h>

#include "models/errors.h"

namespace gm {
namespace {

TEST(CostModel, EmbeddedDefaultsLoadWithEveryParameter) {
  CostModel m = CostModel::defaults();
  EXPECT_EQ(m.work(Work::memmap_init_page), nanoseconds(10));
  EXPECT_EQ(m.populate_per_page(), microseconds(1));
  EXPECT_EQ(m.hypercall_base(), microseconds(1));
  EXPECT_EQ(m.values().size(), CostModel::parameter_names().size());
}

TEST(CostModel, OverridesApplyAndUnknownNamesAreErrors) {
  CostModel m = CostModel::defaults();
  m.apply_overrides({{"scrub_page", "1 us"}}, "s.json: /costs/overrides");
  EXPECT_EQ(m.work(Work::scrub_page), microseconds(1));
  try {
    m.apply_overrides({{"scrub_pages", "1 us"}, {"page_alloc", "12"}}, "s.json: /costs/overrides");
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    ASSERT_EQ(e.lines().size(), 2u);
    EXPECT_NE(e.lines()[0].find("/costs/overrides/page_alloc"), std::string::npos);
    EXPECT_NE(e.lines()[1].find("scrub_pages: unknown"), std::string::npos);
  }
}

TEST(CostModel, FileErrorsNameThePath) {
  try {
    CostModel::from_json_text(R"({"costs": {"scrub_page": {"value": "3", "source": "x"}}})", "c.json");
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_NE(e.lines()[0].find("c.json: /costs/scrub_page/value: found \"3\""), std::string::npos) << e.lines()[0];
    EXPECT_GT(e.lines().size(), 5u);  // and every missing parameter
  }
  EXPECT_THROW(CostModel::from_json_text("{\"costs\": ", "c.json"), InputError);
}

}  // namespace
}  // namespace gm
