// Time series: columnar JSON and CSV round trips, number formatting, and input errors with positions.
#include "analysis/time_series.h"

#include <gtest/gtest.h>

#include <cmath>

namespace gm {
namespace {

TimeSeries sample_series() {
  TimeSeries ts;
  auto ram = ts.add_metric("guest_ram_bytes", "bytes", "populated guest RAM");
  auto idx = ts.add_metric("unusable_index_order9", "index", "unusable free index, order 9");
  ts.add_metric("ballooned_pages", "pages", "pages on the balloon list");
  ts.add_row(seconds(0), {4294967296.0, 0.125, 0});
  ts.add_row(milliseconds(500));
  ts.set(ram, 4290000000.0);
  ts.set(idx, 0.1 + 0.2);  // 0.30000000000000004: must survive the round trips exactly
  ts.add_row(seconds(1), {4280000000.0, NAN, 2560});
  return ts;
}

TEST(TimeSeries, JsonIsColumnarAndRoundTrips) {
  TimeSeries ts = sample_series();
  auto j = ts.to_json();
  EXPECT_EQ(j["t_ns"], nlohmann::json({0, 500000000, 1000000000}));
  EXPECT_EQ(j["guest_ram_bytes"][0], 4294967296LL);
  EXPECT_TRUE(j["guest_ram_bytes"][0].is_number_integer());
  EXPECT_TRUE(j["unusable_index_order9"][2].is_null());
  EXPECT_TRUE(j["ballooned_pages"][1].is_null());
  EXPECT_EQ(j["metrics"]["ballooned_pages"]["unit"], "pages");
  EXPECT_EQ(j["metrics"]["ballooned_pages"]["column"], 3);
  TimeSeries back = TimeSeries::from_json(nlohmann::json::parse(j.dump()));
  EXPECT_EQ(back, ts);
  EXPECT_EQ(back.metrics()[0].name, "guest_ram_bytes");  // declared order kept, not alphabetical
}

TEST(TimeSeries, CsvRoundTrips) {
  TimeSeries ts = sample_series();
  std::string csv = ts.to_csv();
  EXPECT_EQ(csv,
            "t_ns,guest_ram_bytes,unusable_index_order9,ballooned_pages\n"
            "0,4294967296,0.125,0\n"
            "500000000,4290000000,0.30000000000000004,\n"
            "1000000000,4280000000,,2560\n");
  TimeSeries back = TimeSeries::from_csv(csv);
  EXPECT_TRUE(back.same_data(ts));
  EXPECT_EQ(back.to_csv(), csv);
}

TEST(TimeSeries, CsvErrorsNameLineAndColumn) {
  try {
    TimeSeries::from_csv("t_ns,a\n0,1\n5,x\n");
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()), "3:3: found 'x', expected a number");
  }
  EXPECT_THROW(TimeSeries::from_csv("t_ns,a\n5,1\n4,1\n"), std::invalid_argument);
  EXPECT_THROW(TimeSeries::from_csv("time,a\n"), std::invalid_argument);
  EXPECT_THROW(TimeSeries::from_csv("t_ns,a\n0,1,2\n"), std::invalid_argument);
}

TEST(TimeSeries, MisuseIsRejected) {
  TimeSeries ts;
  ts.add_metric("a_bytes", "bytes", "");
  EXPECT_THROW(ts.add_metric("a_bytes", "bytes", ""), std::logic_error);
  EXPECT_THROW(ts.add_metric("bad name", "", ""), std::logic_error);
  ts.add_row(seconds(2));
  EXPECT_THROW(ts.add_row(seconds(1)), std::logic_error);
  EXPECT_THROW(ts.add_metric("late", "", ""), std::logic_error);
}

TEST(NumberFormat, IntegersExactlyAndDoublesShortest) {
  EXPECT_EQ(format_number(3), "3");
  EXPECT_EQ(format_number(-2.5), "-2.5");
  EXPECT_EQ(format_number(1e20), "1e+20");  // integral but above 2^53: shortest round-trip form
  EXPECT_EQ(*parse_number(format_number(0.1 + 0.2)), 0.1 + 0.2);
  EXPECT_FALSE(parse_number("12abc").has_value());
  EXPECT_TRUE(json_number(NAN).is_null());
}

}  // namespace
}  // namespace gm
