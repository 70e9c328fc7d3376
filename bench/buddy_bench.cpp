// Buddy allocator throughput and footprint on a 1 TiB zone (268 M frames): order-0 alloc and free
// per second in four patterns, and peak RSS. Goals (issue 4): >= 5 M ops/s, <= 256 MiB.
#include <sys/resource.h>
#include <time.h>

#include <chrono>
#include <algorithm>
#include <cstdio>
#include <random>
#include <vector>

#include "models/buddy.h"

namespace {

// CPU time of this process: the figure that means something on a shared, loaded machine.
struct Clock {
  struct time_point {
    double cpu, wall;
  };
  static time_point now() {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    double wall = std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
    return {static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9, wall};
  }
};

struct Elapsed {
  double cpu, wall;
};
Elapsed seconds_since(Clock::time_point t0) {
  auto t = Clock::now();
  return {t.cpu - t0.cpu, t.wall - t0.wall};
}

long peak_rss_kib() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss;
}

void report(const char* what, std::uint64_t ops, Elapsed e) {
  std::printf("%-46s %10llu ops %7.3f s cpu %7.3f s wall %7.2f M ops/s (cpu)\n", what,
              static_cast<unsigned long long>(ops), e.cpu, e.wall, static_cast<double>(ops) / e.cpu / 1e6);
}

}  // namespace

int main() {
  const std::uint64_t frames = std::uint64_t{1} << 28;  // 1 TiB of 4 KiB frames
  const std::uint64_t live_target = frames / 4;         // fill a quarter: 256 GiB in use
  gm::BuddyConfig cfg;
  cfg.layout.dma_end.reset();
  cfg.layout.dma32_end.reset();
  std::vector<gm::PfnExtent> ram = {{gm::Pfn{0}, frames}};

  auto t0 = Clock::now();
  gm::BuddyAllocator alloc(ram, cfg);
  double build_s = seconds_since(t0).cpu;
  long rss_after_build = peak_rss_kib();
  std::printf("zone: %llu frames (1 TiB), built in %.3f s cpu; per-frame state %.1f MiB = %.2f bits/frame\n",
              static_cast<unsigned long long>(frames), build_s, alloc.state_bytes() / 1048576.0,
              alloc.state_bytes() * 8.0 / static_cast<double>(frames));
  // The free lists' links grow with the number of free blocks: track the largest figure.
  std::uint64_t max_list_bytes = alloc.free_list_bytes();
  auto note_lists = [&] { max_list_bytes = std::max(max_list_bytes, alloc.free_list_bytes()); };

  // 1. Order-0 alloc+free on an empty zone: every pair splits an order-10 block and merges it back.
  {
    const std::uint64_t n = 2'000'000;
    t0 = Clock::now();
    for (std::uint64_t i = 0; i < n; ++i) {
      auto p = alloc.alloc_pages(0, gm::kGfpHighuserMovable);
      alloc.free_pages(*p, 0);
    }
    report("empty zone: alloc+free pairs (split/merge x10)", 2 * n, seconds_since(t0));
    note_lists();
  }

  // 2. Fill a quarter of the zone with order-0 movable pages (lowest address first: pfns 0..N-1).
  std::vector<bool> live(live_target, false);
  t0 = Clock::now();
  for (std::uint64_t i = 0; i < live_target; ++i) {
    auto p = alloc.alloc_pages(0, gm::kGfpHighuserMovable);
    live[p->value] = true;
  }
  report("fill 256 GiB: order-0 allocs", live_target, seconds_since(t0));
  note_lists();

  // 3. Steady state: free a random live page, allocate one (LIFO: the page just freed comes back).
  {
    std::mt19937_64 rng(1);
    const std::uint64_t n = 10'000'000;
    std::uint64_t ops = 0;
    t0 = Clock::now();
    for (std::uint64_t i = 0; i < n; ++i) {
      std::uint64_t v = rng() % live_target;
      if (!live[v]) continue;
      alloc.free_pages(gm::Pfn{v}, 0);
      live[v] = false;
      auto p = alloc.alloc_pages(0, gm::kGfpHighuserMovable);
      live[p->value] = true;
      ops += 2;
    }
    report("steady state: random free + alloc", ops, seconds_since(t0));
    note_lists();
  }

  // 4. Free everything (coalescing back to order-10 blocks).
  t0 = Clock::now();
  std::uint64_t freed = 0;
  for (std::uint64_t v = 0; v < live_target; ++v)
    if (live[v]) {
      alloc.free_pages(gm::Pfn{v}, 0);
      ++freed;
    }
  report("free all: order-0 frees", freed, seconds_since(t0));
  note_lists();

  const auto* z = alloc.zone(gm::ZoneType::normal);
  std::printf("after: free %llu of %llu pages, %llu order-10 blocks, bad frees %llu\n",
              static_cast<unsigned long long>(alloc.free_pages_count()), static_cast<unsigned long long>(frames),
              static_cast<unsigned long long>(z->nr_free(10)), static_cast<unsigned long long>(alloc.bad_frees()));
  std::printf("free lists: %.1f MiB at most; model state with lists %.1f MiB = %.2f bits/frame\n",
              max_list_bytes / 1048576.0, (alloc.state_bytes() + max_list_bytes) / 1048576.0,
              (alloc.state_bytes() + max_list_bytes) * 8.0 / static_cast<double>(frames));
  std::printf("peak RSS: %.1f MiB after building the zone, %.1f MiB overall (bench's own live bitmap: %.1f MiB)\n",
              rss_after_build / 1024.0, peak_rss_kib() / 1024.0, live_target / 8.0 / 1048576.0);
  return 0;
}
