// The trace is valid JSON with the expected event kinds, exact timestamps, and monotonic per track.
#include "analysis/trace.h"

#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "analysis/atomic_write.h"
#include "tests/support/run_cli.h"

namespace gm {
namespace {

TraceWriter sample_trace() {
  TraceWriter t;
  auto caller = t.track("guest", "gntdev-0");
  auto balloon = t.track("guest", "xen-balloon");
  auto xen = t.track("xen", "hypercalls");
  // Recorded out of time order, as actors finishing at different times would.
  t.span(caller, "alloc_unpopulated_pages", "alloc", nanoseconds(5'000'123), microseconds(40), {{"pages", "64"}});
  t.span(caller, "fill_list", "fill", nanoseconds(1'000'001), milliseconds(2));
  t.span(caller, "list_lock wait", "lock", nanoseconds(999'999), nanoseconds(2));
  t.span(balloon, "balloon_process", "balloon", milliseconds(3), milliseconds(1));
  t.span(xen, "XENMEM_decrease_reservation", "hypercall", milliseconds(3) + microseconds(10), microseconds(300),
         {{"frames", "512"}});
  t.counter("guest", "memory", milliseconds(0), {{"ram_bytes", 4294967296.0}, {"ballooned_pages", 0}});
  t.counter("guest", "memory", milliseconds(4), {{"ram_bytes", 4292870144.0}, {"ballooned_pages", 512}});
  t.instant(balloon, "target changed", "balloon", milliseconds(2));
  return t;
}

TEST(Trace, ValidJsonWithTheExpectedEventKinds) {
  auto j = nlohmann::json::parse(sample_trace().to_json());
  ASSERT_TRUE(j["traceEvents"].is_array());
  std::map<std::string, int> phases;
  std::set<std::string> cats, thread_names, process_names;
  for (const auto& e : j["traceEvents"]) {
    phases[e["ph"]]++;
    if (e["ph"] == "M" && e["name"] == "thread_name") thread_names.insert(e["args"]["name"]);
    if (e["ph"] == "M" && e["name"] == "process_name") process_names.insert(e["args"]["name"]);
    if (e["ph"] == "X") {
      cats.insert(e["cat"]);
      EXPECT_TRUE(e["dur"].is_number());
    }
  }
  EXPECT_EQ(phases["X"], 5);
  EXPECT_EQ(phases["C"], 2);
  EXPECT_EQ(phases["i"], 1);
  EXPECT_EQ(phases["M"], 5);  // 2 processes + 3 threads
  EXPECT_EQ(cats, (std::set<std::string>{"alloc", "fill", "lock", "balloon", "hypercall"}));
  EXPECT_EQ(thread_names, (std::set<std::string>{"gntdev-0", "xen-balloon", "hypercalls"}));
  EXPECT_EQ(process_names, (std::set<std::string>{"guest", "xen"}));
}

TEST(Trace, TimestampsAreMonotonicPerTrackAndExact) {
  std::string text = sample_trace().to_json();
  auto j = nlohmann::json::parse(text);
  std::map<std::pair<int, int>, double> last;
  for (const auto& e : j["traceEvents"]) {
    if (e["ph"] == "M") continue;
    auto key = std::make_pair(e["pid"].get<int>(), e["tid"].get<int>());
    double ts = e["ts"].get<double>();
    if (last.count(key)) {
      EXPECT_GE(ts, last[key]) << e.dump();
    }
    last[key] = ts;
  }
  // Microseconds with the nanoseconds as decimals, written exactly.
  EXPECT_NE(text.find("\"ts\":5000.123,\"dur\":40.000"), std::string::npos);
  EXPECT_NE(text.find("\"ts\":999.999,\"dur\":0.002"), std::string::npos);
  EXPECT_EQ(trace_timestamp(0), "0.000");
  EXPECT_EQ(trace_timestamp(-1500), "-1.500");
  EXPECT_EQ(trace_timestamp(3'600'000'000'000'123), "3600000000000.123");
}

TEST(Trace, WrittenAtomically) {
  test::TempDir dir;
  sample_trace().write(dir / "trace.json");
  EXPECT_EQ(dir.files(), std::vector<std::string>{"trace.json"});
  EXPECT_TRUE(nlohmann::json::accept(test::read_file(dir / "trace.json")));
}

}  // namespace
}  // namespace gm
