// xen.faults[]: every value of `what` is injected where the kernel would fail and has a visible
// effect in the report (compared with the same run without the fault).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/support/run_cli.h"

namespace gm::test {
namespace {

using nlohmann::json;

json run_report(const json& scenario, const std::vector<std::string>& extra = {}, bool check_invariants = true) {
  TempDir dir;
  write_file(dir / "s.json", scenario.dump(2));
  std::vector<std::string> args{"run", (dir / "s.json").string(), "--out", (dir / "o").string(), "--quiet"};
  args.insert(args.end(), extra.begin(), extra.end());
  RunResult r = run_guestmem(args);
  EXPECT_TRUE(r.exit_code == 0 || r.exit_code == 1) << r.err;
  json rep = json::parse(read_file(dir / "o/report.json"));
  if (check_invariants) {
    EXPECT_TRUE(rep["invariants"]["violations"].empty()) << rep["invariants"].dump(1);
  }
  return rep;
}

json with_fault(json sc, const char* what, const char* at = "100 ms", int count = 1) {
  sc["xen"]["faults"] = json::array({{{"what", what}, {"at", at}, {"count", count}}});
  return sc;
}

std::uint64_t enomem(const json& rep) {
  std::uint64_t n = 0;
  for (const auto& c : rep["latency"]["callers"]) n += c.value("enomem", 0ull);
  return n;
}

// A PV domU below its maxmem whose toolstack moves the target at 0.5 s (populate or decrease).
json pv_target(const char* target) {
  return json::parse(R"({"name": "f", "seed": 1, "kernel": "6.1", "duration": "4 s", "sampling": "500 ms",
    "guest": {"type": "pv", "memory": "1 GiB", "maxmem": "2 GiB", "vcpus": 2},
    "balloon": {"target": [{"at": "500 ms", "size": ")" + std::string(target) + R"("}]}})");
}

// A guest mapping grants through gntdev: `pages` per request, every 500 ms from 0.5 s.
json gntdev(const char* type, int pages) {
  json sc = json::parse(R"({"name": "f", "seed": 1, "kernel": "6.1", "duration": "2 s", "sampling": "500 ms",
    "guest": {"memory": "1 GiB", "vcpus": 2},
    "workload": {"callers": [{"name": "g", "kind": "gntdev", "arrival": {"process": "periodic", "period": "500 ms"},
      "size": {"distribution": "fixed"}, "hold": "100 ms", "start": "500 ms"}]}})");
  sc["guest"]["type"] = type;
  sc["workload"]["callers"][0]["size"]["pages"] = pages;
  return sc;
}

TEST(Faults, PopulatePhysmapFailureMakesTheWorkerRetry) {
  json base = run_report(pv_target("1536 MiB"));
  json hurt = run_report(with_fault(pv_target("1536 MiB"), "populate_physmap"));
  EXPECT_GT(hurt["balloon"]["worker_iterations"].get<std::uint64_t>(),
            base["balloon"]["worker_iterations"].get<std::uint64_t>());
  EXPECT_GT(hurt["balloon"]["hypercalls"]["populate_physmap"]["calls"].get<std::uint64_t>(),
            base["balloon"]["hypercalls"]["populate_physmap"]["calls"].get<std::uint64_t>());
}

// balloon.c decrease_reservation(): BUG_ON(ret != nr_pages) -- a failed XENMEM_decrease_reservation
// kills the guest. (The counters are left mid-update, so the end-of-run invariant check is not
// meaningful for this run.)
TEST(Faults, DecreaseReservationFailureIsTheKernelsBugOn) {
  json base = run_report(pv_target("768 MiB"));
  json hurt = run_report(with_fault(pv_target("768 MiB"), "decrease_reservation"), {}, /*check_invariants=*/false);
  EXPECT_TRUE(base["guest_crashes"].empty());
  ASSERT_EQ(hurt["guest_crashes"].size(), 1u);
  EXPECT_EQ(hurt["guest_crashes"][0]["what"], "BUG_ON(ret != nr_pages) in decrease_reservation");
}

// 40000 pages is more than one section holds: every request needs fill_list().
TEST(Faults, PgmapAllocFailureFailsOneFill) {
  json base = run_report(gntdev("pvh", 40000), {"--strategy", "unpopulated"});
  json hurt = run_report(with_fault(gntdev("pvh", 40000), "pgmap_alloc"), {"--strategy", "unpopulated"});
  EXPECT_EQ(base["unpopulated"]["fill_failures"], 0);
  EXPECT_EQ(hurt["unpopulated"]["fill_failures"], 1);
  EXPECT_EQ(enomem(base), 0u);
  EXPECT_EQ(enomem(hurt), 1u);
}

TEST(Faults, MemremapFailureFailsOneFillAndReleasesTheRange) {
  json base = run_report(gntdev("pvh", 40000), {"--strategy", "unpopulated"});
  json hurt = run_report(with_fault(gntdev("pvh", 40000), "memremap"), {"--strategy", "unpopulated"});
  EXPECT_EQ(hurt["unpopulated"]["fill_failures"], 1);
  EXPECT_EQ(enomem(hurt), 1u);
  EXPECT_EQ(enomem(base), 0u);
  // The failed section's "Xen scratch" range was released: every range left is a section added.
  EXPECT_EQ(hurt["address_space"]["scratch_ranges"].size(), hurt["unpopulated"]["sections_added"].get<std::size_t>());
  EXPECT_EQ(hurt["address_space"]["scratch_bytes"].get<std::uint64_t>(),
            hurt["unpopulated"]["sections_added"].get<std::uint64_t>() * (std::uint64_t{128} << 20));
}

TEST(Faults, P2mAllocFailureFailsOneMappingOnPv) {
  json base = run_report(gntdev("pv", 64), {"--strategy", "unpopulated"});
  json hurt = run_report(with_fault(gntdev("pv", 64), "p2m_alloc"), {"--strategy", "unpopulated"});
  EXPECT_EQ(enomem(base), 0u);
  EXPECT_EQ(enomem(hurt), 1u);
}

}  // namespace
}  // namespace gm::test
