// sim/run/history.h: the version list, one run's outcome, and the bisection summary per release line.
#include "sim/run/history.h"

#include <gtest/gtest.h>

namespace gm {
namespace {

std::vector<HistoryRow> rows(std::initializer_list<std::pair<const char*, bool>> r) {
  std::vector<HistoryRow> out;
  for (auto [v, good] : r) out.push_back({v, good ? "ok" : "guest crash", "", good});
  return out;
}

TEST(History, VersionsAreSortedAndBounded) {
  auto v = history_versions(KernelVersion::from("5.11"), KernelVersion::from("5.13"));
  std::vector<std::string> s;
  for (const auto& k : v) s.push_back(k.str());
  EXPECT_EQ(s, (std::vector<std::string>{"5.11", "5.11.21", "5.11.22", "5.12", "5.12.4", "5.12.5", "5.13"}));
  EXPECT_TRUE(history_versions(KernelVersion::from("8.0"), std::nullopt).empty());
}

TEST(History, StableSeriesAreTheirOwnLines) {
  auto r = rows({{"5.11", false}, {"5.11.21", false}, {"5.11.22", true}, {"5.12", false}, {"5.12.5", true},
                 {"5.13", true}});
  HistorySummary s = summarize_history(r);
  EXPECT_TRUE(s.monotone);
  EXPECT_EQ(s.mainline.last_bad, "5.12");
  EXPECT_EQ(s.mainline.first_good, "5.13");
  ASSERT_EQ(s.stable.size(), 2u);
  EXPECT_EQ(s.stable[0].name, "5.11.y");
  EXPECT_EQ(s.stable[0].first_good, "5.11.22");
  EXPECT_EQ(s.stable[1].last_bad, "5.12");
  EXPECT_EQ(s.stable[1].first_good, "5.12.5");
}

TEST(History, GoodBeforeBadIsNotMonotone) {
  HistorySummary s = summarize_history(rows({{"5.10", true}, {"5.11", false}, {"5.13", true}}));
  EXPECT_FALSE(s.monotone);
  EXPECT_EQ(s.mainline.first_good, "5.13");
  HistorySummary all_good = summarize_history(rows({{"6.1", true}, {"6.10", true}}));
  EXPECT_TRUE(all_good.monotone);
  EXPECT_FALSE(all_good.mainline.last_bad);
  EXPECT_EQ(all_good.mainline.first_good, "6.1");
}

TEST(History, RowFromAReport) {
  nlohmann::json crash{{"guest_crashes", {{{"what", "BUG_ON(!pg)"}}}}, {"expect", {{{"ok", false}, {"detail", "x"}}}}};
  EXPECT_EQ(history_row("5.12", 1, &crash).outcome, "guest crash");
  EXPECT_EQ(history_row("5.12", 1, &crash).detail, "BUG_ON(!pg)");
  nlohmann::json exp{{"guest_crashes", nlohmann::json::array()}, {"expect", {{{"ok", true}}, {{"ok", false}, {"detail", "m = 1 <= 0: no"}}}}};
  EXPECT_EQ(history_row("6.1", 1, &exp).outcome, "expect failed");
  EXPECT_EQ(history_row("6.1", 1, &exp).detail, "m = 1 <= 0: no");
  nlohmann::json ok{{"guest_crashes", nlohmann::json::array()}, {"expect", {{{"ok", true}}}}};
  EXPECT_TRUE(history_row("6.10", 0, &ok).good);
  EXPECT_EQ(history_row("6.10", 2, nullptr).outcome, "error");
}

TEST(History, Formats) {
  auto r = rows({{"6.1", false}, {"6.10", true}});
  HistorySummary s = summarize_history(r);
  EXPECT_EQ(format_history("x", r, s, "csv"), "kernel,outcome,detail\n6.1,guest crash,\n6.10,ok,\n");
  auto j = nlohmann::json::parse(format_history("x", r, s, "json"));
  EXPECT_EQ(j["first_good"], "6.10");
  EXPECT_EQ(j["runs"].size(), 2u);
  EXPECT_NE(format_history("x", r, s, "text").find("mainline: last bad 6.1, first good 6.10"), std::string::npos);
  EXPECT_NE(format_history("x", r, s, "md").find("| mainline | 6.1 | 6.10 | yes |"), std::string::npos);
  EXPECT_THROW(format_history("x", r, s, "xml"), std::invalid_argument);
}

}  // namespace
}  // namespace gm
