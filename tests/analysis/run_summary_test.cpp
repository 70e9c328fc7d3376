// The run summary's balloon line: guest RAM given up is what the hypercalls released and kept, not
// the balloon list (which also holds hot-added pages that were never populated).
#include "analysis/run_summary.h"

#include <gtest/gtest.h>

#include <string>

namespace gm {
namespace {

TEST(RunSummary, RamGivenUpComesFromTheHypercallsNotTheBalloonList) {
  // 32768 hot-added pages on the list, 1024 frames released and 512 taken back: 512 pages given up.
  nlohmann::json r = {{"scenario", {{"name", "t"}, {"kernel", "6.12"}}},
                      {"seed", 1},
                      {"strategy", {{"effective", "ballooned"}}},
                      {"balloon",
                       {{"ballooned_pages", 33280},
                        {"pages_released_to_xen", 512},
                        {"hypercalls",
                         {{"decrease_reservation", {{"calls", 2}, {"frames", 1024}}},
                          {"populate_physmap", {{"calls", 1}, {"frames", 512}}}}}}}};
  std::string s = format_run_summary(r);
  EXPECT_NE(s.find("512 pages released to Xen at end (guest RAM given up: 2 MiB), 33280 pages on the balloon list"),
            std::string::npos)
      << s;
  EXPECT_EQ(s.find("ballooned out"), std::string::npos) << s;
}

TEST(RunSummary, OlderReportsWithoutReleasedPagesOnlyNameTheList) {
  nlohmann::json r = {{"scenario", {{"name", "t"}, {"kernel", "6.12"}}},
                      {"seed", 1},
                      {"strategy", {{"effective", "ballooned"}}},
                      {"balloon", {{"ballooned_pages", 7}}}};
  std::string s = format_run_summary(r);
  EXPECT_NE(s.find("7 pages on the balloon list at end"), std::string::npos) << s;
  EXPECT_EQ(s.find("given up"), std::string::npos) << s;
}

// A caller's name went through a 256-byte buffer: a long one was cut (possibly inside a UTF-8 character)
// with the rest of its line. It is printed whole; a short one is still padded to 14.
TEST(RunSummary, CallerLinesCarryTheWholeName) {
  const std::string long_name = std::string(240, 'x') + "\xC3\xA9";
  nlohmann::json r = {{"scenario", {{"name", "t"}, {"kernel", "6.12"}}},
                      {"seed", 1},
                      {"strategy", {{"effective", "ballooned"}}},
                      {"latency",
                       {{"callers",
                         {{{"name", long_name}, {"count", 3}, {"failures", 1}, {"p50_ns", 1000}, {"p99_ns", 2000},
                           {"max_ns", 3000}},
                          {{"name", "gntdev"}, {"count", 2}, {"failures", 0}, {"p50_ns", 1000}, {"p99_ns", 1000}, {"max_ns", 1000}}}}}}};
  std::string s = format_run_summary(r);
  EXPECT_NE(s.find("  " + long_name + "        3 requests      1 failed   p50 "), std::string::npos) << s;
  EXPECT_NE(s.find("  gntdev                2 requests      0 failed   p50 "), std::string::npos) << s;
}

}  // namespace
}  // namespace gm
