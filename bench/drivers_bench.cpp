// Figures for the Xen driver code alone (no engine): wall time per allocation round trip for both
// strategies and the storage the free lists need. Run by `make bench`; prints one line per figure.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>

#include "models/xen/xen_drivers.h"
#include "tests/support/fake_guest_kernel.h"
#include "tests/support/fake_hypervisor.h"
#include "tests/support/inline_env.h"

namespace {

using Clock = std::chrono::steady_clock;

double ns_per(Clock::time_point t0, std::uint64_t n) {
  return std::chrono::duration<double, std::nano>(Clock::now() - t0).count() / static_cast<double>(n);
}

void round_trips(gm::XenPagesKind kind, std::uint32_t pages, std::uint64_t rounds) {
  gm::test::FakeGuestKernel k(gm::GuestType::pvh);
  gm::test::InlineEnv env(k);
  gm::test::FakeHypervisor hv;
  gm::XenDrivers d(env, hv, gm::XenDriversSetup::for_version(gm::KernelVersion::from("6.12"), true, {kind, true}));
  d.boot();
  auto t0 = Clock::now();
  for (std::uint64_t i = 0; i < rounds; ++i) {
    auto got = d.pages().alloc_unpopulated_pages(pages);
    if (!got) return (void)std::printf("alloc failed: %s\n", gm::errno_name(got.error()).data());
    d.pages().free_unpopulated_pages(got.value());
    if (kind == gm::XenPagesKind::ballooned) d.balloon().process_once();  // the worker repopulates
  }
  std::printf("%-11s round trip of %5u pages: %10.0f ns wall (%llu rounds; hypercalls %zu populate, %zu decrease)\n",
              d.pages().backend_name().data(), pages, ns_per(t0, rounds), static_cast<unsigned long long>(rounds),
              hv.populate_calls.size(), hv.decrease_calls.size());
}

void list_storage() {
  // 1 TiB of extra memory seeded as one extent, then 1 M random single-page holes punched and refilled.
  gm::PageStack s;
  const std::uint64_t frames = std::uint64_t{1} << 28;
  s.push_ascending({gm::Pfn{0x100000}, frames});
  std::printf("PageStack: %llu frames seeded in %zu run(s)\n", static_cast<unsigned long long>(s.size()), s.runs());
  std::vector<gm::Pfn> out;
  auto t0 = Clock::now();
  for (int i = 0; i < (1 << 20); ++i) out.push_back(*s.pop());
  std::mt19937_64 rng(1);
  std::shuffle(out.begin(), out.end(), rng);
  for (gm::Pfn p : out) s.push(p);
  std::printf("PageStack: 2 M pops/pushes in random order: %.0f ns each, %zu runs of %zu bytes\n", ns_per(t0, 2u << 20),
              s.runs(), sizeof(gm::PfnExtent) + sizeof(std::int64_t));
}

}  // namespace

int main() {
  round_trips(gm::XenPagesKind::unpopulated, 1, 1000000);
  round_trips(gm::XenPagesKind::unpopulated, 256, 20000);
  round_trips(gm::XenPagesKind::ballooned, 1, 200000);
  round_trips(gm::XenPagesKind::ballooned, 256, 20000);
  list_storage();
}
