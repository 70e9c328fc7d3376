#include "sim/engine/cost_model.h"

#include <gtest/gtest.h>

#include "models/errors.h"

namespace gm {
namespace {

TEST(CostModel, EmbeddedDefaultsLoadWithEveryParameter) {
  CostModel m = CostModel::defaults();
  EXPECT_EQ(m.work(Work::memmap_init_page), nanoseconds(10));
  EXPECT_EQ(m.populate_per_page(), microseconds(1));
  EXPECT_EQ(m.hypercall_base(), nanoseconds(500));
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

TEST(CostModel, ARangeMustHoldItsValueAndErrorsSayWhere) {
  const std::string text = "{\"costs\": {\n  \"scrub_page\": {\"value\": \"300 ns\", \"low\": \"400 ns\", \"high\": \"1 us\",\n"
                           "    \"source\": \"x\"}}}";
  try {
    CostModel::from_json_text(text, "c.json");
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_EQ(e.lines()[0],
              "c.json:2:3: /costs/scrub_page: found low 400 ns, value 300 ns, high 1000 ns, expected low <= value <= high");
  }
  try {
    CostModel::from_json_text(R"({"costs": {"scrub_page": {"value": "3 ns", "high": "fast", "source": "x"}}})", "c.json");
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_NE(e.lines()[0].find("c.json:1:12: /costs/scrub_page/high: found \"fast\""), std::string::npos) << e.lines()[0];
  }
}

TEST(CostModel, RangesAreKeptAndOverridesChangeOnlyTheValue) {
  CostModel m = CostModel::defaults();
  EXPECT_EQ(m.entries().at("memmap_init_page").low, nanoseconds(4));
  EXPECT_EQ(m.entries().at("memmap_init_page").high, nanoseconds(57));
  EXPECT_EQ(m.work(Work::hypercall), m.hypercall_base());
  m.apply_overrides({{"rcu_grace_period", "1 ms"}}, "s.json: /costs/overrides");
  EXPECT_EQ(m.work(Work::rcu_grace_period), milliseconds(1));
  EXPECT_EQ(m.entries().at("rcu_grace_period").high, milliseconds(30));
}

}  // namespace
}  // namespace gm
