// The simulated clock counts the kernel's work (issue 19): both hot-add paths are sums of the same
// costed steps (models/xen/hotplug_steps.h), and every served request takes time, in both latencies.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "tests/support/run_cli.h"

namespace gm::test {
namespace {

struct Span {
  std::string name, cat;
  std::pair<int, int> track;
  double ts, dur;  // microseconds, ns resolution
};

std::vector<Span> spans_of(const std::filesystem::path& trace) {
  const nlohmann::json j = nlohmann::json::parse(read_file(trace));
  std::vector<Span> out;
  for (const auto& e : j.at("traceEvents"))
    if (e.at("ph") == "X")
      out.push_back({e.at("name").get<std::string>(), e.at("cat").get<std::string>(),
                     {e.at("pid").get<int>(), e.at("tid").get<int>()}, e.at("ts").get<double>(),
                     e.at("dur").get<double>()});
  return out;
}

// A PVH guest mapping gntdev pages: the unpopulated strategy fills a section (memremap_pages); the
// ballooned one gives RAM back for them and its worker, once the mappings are freed and the list is
// empty, hot-adds a section (add_memory_resource, auto-online: xen_online_page) for the credit.
constexpr const char* kHotAdd = R"({"name": "hot-add steps", "seed": 3, "duration": "2 s", "sampling": "500 ms",
  "kernel": "6.12", "guest": {"type": "pvh", "memory": "512 MiB", "maxmem": "512 MiB", "vcpus": 2},
  "workload": {"callers": [{"name": "gntdev", "kind": "gntdev", "arrival": {"process": "poisson", "rate_per_s": 50},
    "size": {"distribution": "fixed", "pages": 256}, "hold": "200 ms"}]}})";

const std::set<std::string> kShared{"mem_hotplug_begin", "arch_add_memory", "move_pfn_range_to_zone", "memmap_init",
                                    "mem_hotplug_done"};

// Checks every "hot-add: WHAT" span of the trace: its steps (the hotplug_step spans inside it on the
// same track) add up to its duration exactly, and returns the step names seen.
std::set<std::string> check_hot_adds(const std::vector<Span>& spans, const std::string& what, int* count) {
  std::set<std::string> names;
  *count = 0;
  for (const Span& whole : spans) {
    if (whole.cat != "hot_add" || whole.name != "hot-add: " + what) continue;
    ++*count;
    double sum = 0;
    for (const Span& s : spans)
      if (s.cat == "hotplug_step" && s.track == whole.track && s.ts >= whole.ts - 1e-6 &&
          s.ts + s.dur <= whole.ts + whole.dur + 1e-6) {
        sum += s.dur;
        names.insert(s.name);
      }
    EXPECT_GT(whole.dur, 0) << what;
    EXPECT_LT(std::abs(sum - whole.dur), 0.0015) << what << ": steps " << sum << " us, whole " << whole.dur << " us";
  }
  return names;
}

TEST(TimeModel, SectionFillAndBalloonHotAddAreSumsOfTheSameCostedSteps) {
  TempDir tmp;
  write_file(tmp / "s.json", kHotAdd);
  std::map<std::string, std::set<std::string>> steps;
  for (const std::string strategy : {"unpopulated", "ballooned"}) {
    auto r = run_guestmem({"run", "s.json", "--strategy", strategy, "--quiet", "--out", strategy, "--trace",
                           strategy + "/trace.json"},
                          tmp.path());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto spans = spans_of(tmp / (strategy + "/trace.json"));
    int n = 0;
    steps[strategy] = check_hot_adds(spans, strategy == "unpopulated" ? "memremap_pages" : "add_memory_resource", &n);
    EXPECT_GT(n, 0) << strategy << ": no hot-add in the trace";
    // The first writer of mem_hotplug_lock waits for a grace period (8 ms by default): a wait.
    double longest_begin = 0;
    for (const Span& s : spans)
      if (s.cat == "hotplug_step" && s.name == "mem_hotplug_begin") longest_begin = std::max(longest_begin, s.dur);
    EXPECT_GE(longest_begin, 8000.0) << strategy;
    const nlohmann::json rep = nlohmann::json::parse(read_file(tmp / (strategy + "/report.json")));
    EXPECT_GE(rep["costs_charged"]["wait_ns"]["rcu_grace_period"].get<std::int64_t>(), 8'000'000) << strategy;
  }
  // Both paths take the shared steps; the balloon's add_memory_resource has the memory-block steps and
  // the onlining (xen_online_page) on top, as in the kernel; nothing else.
  for (const auto& name : kShared) {
    EXPECT_TRUE(steps["unpopulated"].count(name)) << "fill lacks " << name;
    EXPECT_TRUE(steps["ballooned"].count(name)) << "hot-add lacks " << name;
  }
  EXPECT_EQ(steps["unpopulated"], kShared);
  std::set<std::string> balloon = kShared;
  balloon.insert({"memblock_add_node", "create_memory_block_devices", "online_pages"});
  EXPECT_EQ(steps["ballooned"], balloon);
}

TEST(TimeModel, EveryServedRequestTakesTimeInBothLatencies) {
  TempDir tmp;
  // The default scenario's callers (blkback page-cache hits included), shortened.
  auto sc = nlohmann::json::parse(read_file(source_path("scenarios/default.json")));
  sc["duration"] = "3 s";
  write_file(tmp / "s.json", sc.dump());
  for (const std::string strategy : {"unpopulated", "ballooned"}) {
    auto r = run_guestmem({"run", "s.json", "--strategy", strategy, "--quiet", "--out", strategy, "--trace",
                           strategy + "/trace.json"},
                          tmp.path());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::map<std::string, int> seen;
    for (const Span& s : spans_of(tmp / (strategy + "/trace.json"))) {
      if (s.cat != "request" && s.cat != "alloc") continue;
      ++seen[s.cat];
      EXPECT_GT(s.dur, 0) << strategy << ": " << s.cat << " span " << s.name << " at " << s.ts << " us";
    }
    EXPECT_GT(seen["request"], 100) << strategy;
    EXPECT_EQ(seen["alloc"], seen["request"]) << strategy;
    const nlohmann::json rep = nlohmann::json::parse(read_file(tmp / (strategy + "/report.json")));
    for (const char* which : {"latency", "alloc_latency"}) {
      const auto& o = rep[which]["overall"];
      EXPECT_GT(o["cdf"]["value_ns"][0].get<std::int64_t>(), 0) << strategy << " " << which << ": the minimum";
      EXPECT_GT(o["p50_ns"].get<std::int64_t>(), 0) << strategy << " " << which;
      EXPECT_EQ(o["count"], rep["latency"]["overall"]["count"]) << strategy << " " << which;
    }
    // A request includes its allocation: the request latency is never below the allocation latency.
    EXPECT_GE(rep["latency"]["overall"]["p50_ns"].get<std::int64_t>(),
              rep["alloc_latency"]["overall"]["p50_ns"].get<std::int64_t>())
        << strategy;
  }
}

}  // namespace
}  // namespace gm::test
