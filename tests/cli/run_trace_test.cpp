// `guestmem run --trace FILE`: the Chrome trace-event JSON loads as JSON and holds every kind of event the
// runner records (analysis/trace.h): allocation, hypercall, balloon-iteration and lock-wait spans, the
// memory and pool counters, and the process/thread names Perfetto shows.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "tests/support/run_cli.h"

namespace gm::test {
namespace {

TEST(RunTrace, EveryKindOfSpanAndCounterIsThere) {
  TempDir tmp;
  // Ballooned mapping pages while the balloon worker gives 256 MiB back: the callers and the worker
  // contend for balloon_mutex, so lock waits appear next to allocations, hypercalls and worker iterations.
  write_file(tmp / "s.json", R"({"name": "trace", "seed": 2, "duration": "2 s", "sampling": "500 ms",
    "guest": {"memory": "512 MiB", "maxmem": "512 MiB", "vcpus": 2},
    "balloon": {"target": [{"at": "0 s", "size": "384 MiB"}, {"at": "1 s", "size": "512 MiB"}]},
    "workload": {"callers": [
      {"name": "gntdev", "kind": "gntdev", "count": 2, "arrival": {"process": "poisson", "rate_per_s": 200},
       "size": {"distribution": "fixed", "pages": 64}, "hold": "20 ms"}]}})");
  auto r = run_guestmem({"run", "s.json", "--strategy", "ballooned", "--quiet", "--out", "out", "--trace",
                         "out/trace.json"},
                        tmp.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json j = nlohmann::json::parse(read_file(tmp / "out/trace.json"));
  ASSERT_TRUE(j["traceEvents"].is_array());
  EXPECT_EQ(j["displayTimeUnit"], "ns");

  std::map<std::string, int> spans;  // by category
  std::set<std::string> counters, metadata;
  std::map<std::pair<int, int>, double> last_ts;  // per track: timestamps never go back
  for (const auto& e : j["traceEvents"]) {
    const std::string ph = e.at("ph");
    if (ph == "X") {
      ++spans[e.at("cat").get<std::string>()];
      EXPECT_GE(e.at("dur").get<double>(), 0) << e.dump();
      const auto track = std::make_pair(e.at("pid").get<int>(), e.at("tid").get<int>());
      const double ts = e.at("ts").get<double>();
      if (last_ts.count(track)) {
        EXPECT_GE(ts, last_ts[track]) << e.dump();
      }
      last_ts[track] = ts;
      if (e.at("cat") == "hypercall") {
        EXPECT_TRUE(e.at("name") == "populate_physmap" || e.at("name") == "decrease_reservation") << e.dump();
        EXPECT_TRUE(e.at("args").contains("extents")) << e.dump();
      }
    } else if (ph == "C") {
      counters.insert(e.at("name").get<std::string>());
      EXPECT_TRUE(e.at("args").is_object()) << e.dump();
    } else if (ph == "M") {
      metadata.insert(e.at("name").get<std::string>());
    }
  }
  for (const char* cat : {"alloc", "hypercall", "balloon", "lock"}) EXPECT_GT(spans[cat], 0) << "no " << cat << " span";
  EXPECT_EQ(counters, (std::set<std::string>{"memory", "pools"}));
  EXPECT_TRUE(metadata.count("process_name") && metadata.count("thread_name"));
  // The hypercall spans are the calls the report counts.
  const nlohmann::json report = nlohmann::json::parse(read_file(tmp / "out/report.json"));
  const auto& h = report["balloon"]["hypercalls"];
  EXPECT_EQ(spans["hypercall"], h["populate_physmap"]["calls"].get<int>() + h["decrease_reservation"]["calls"].get<int>());
}

}  // namespace
}  // namespace gm::test
