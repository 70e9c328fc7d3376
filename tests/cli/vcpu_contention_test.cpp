// guest.vcpus changes results (issue 19, item 1): charged work is CPU time on the calling actor's
// vCPU (sim/engine/vcpu_work.h). Eight busy callers take pages from the unpopulated allocator while the
// balloon worker deflates the guest in 512-frame batches (page frees, scrubbing, the hypercall's time
// in Xen) on vCPU 0. With one vCPU every request that overlaps a batch shares the vCPU with it; with
// eight, only the instance placed on vCPU 0 does (round robin), too few requests to reach the p99.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/support/run_cli.h"

namespace gm::test {
namespace {

using nlohmann::json;

json run_with_vcpus(int vcpus, const TempDir& dir) {
  json sc = json::parse(read_file(data_path("scenario/vcpu_contention.json")));
  sc["guest"]["vcpus"] = vcpus;
  const std::string name = "vcpus" + std::to_string(vcpus);
  write_file(dir / (name + ".json"), sc.dump(2));
  auto r = run_guestmem({"run", name + ".json", "--strategy", "unpopulated", "--out", name, "--quiet"}, dir.path());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return json::parse(read_file(dir / (name + "/report.json")));
}

TEST(VcpuContention, EightBusyCallersOnOneVcpuHaveAHigherP99ThanOnEight) {
  TempDir dir;
  json one = run_with_vcpus(1, dir);
  json eight = run_with_vcpus(8, dir);
  const auto& l1 = one["latency"]["overall"];
  const auto& l8 = eight["latency"]["overall"];
  // Same seed, same arrivals: the same requests are served either way.
  ASSERT_EQ(l1["count"], l8["count"]);
  ASSERT_GT(l1["count"].get<std::uint64_t>(), 2000u);
  EXPECT_GT(l1["p99_ns"].get<double>(), l8["p99_ns"].get<double>())
      << "1 vCPU: " << l1.dump() << "\n8 vCPUs: " << l8.dump();
  // The median request overlaps no batch: the same on both.
  EXPECT_EQ(l1["p50_ns"], l8["p50_ns"]);
  // The worker did deflate the guest in both runs.
  EXPECT_GT(one["balloon"]["hypercalls"]["decrease_reservation"]["frames"].get<std::uint64_t>(), 60000u);
}

}  // namespace
}  // namespace gm::test
