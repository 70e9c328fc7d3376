// make bench: simulated events per wall second and peak RSS for the default scenario, then, from a
// second process (SimGrid allows one engine per process), a bare SimGrid floor: actors doing only
// sleep_for, with as many actors as the scenario has. Prints both and their ratio.
#include <guestmem/embedded.h>
#include <sys/resource.h>
#include <xbt/log.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <simgrid/s4u.hpp>
#include <string>

#include "sim/engine/process_pool.h"
#include "sim/run/runner.h"
#include "sim/scenario/scenario.h"

namespace {

// CPU time of this process: on a shared machine the wall-clock rates follow the load, the CPU-time ones do not.
double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

double peak_rss_mib() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_maxrss) / 1024.0;
}

// Bare floor: `actors` actors each sleeping U[1 ms, 10 ms] until `events` sleeps completed in total.
int floor_mode(int actors, long events) {
  namespace sg4 = simgrid::s4u;
  xbt_log_control_set("root.thres:critical");
  int argc = 1;
  char name[] = "engine_bench";
  char* argv[] = {name, nullptr};
  sg4::Engine e(&argc, argv);
  auto* zone = sg4::create_full_zone("floor");
  auto* host = zone->create_host("h", 1e9)->seal();
  zone->seal();
  long per_actor = events / actors;
  for (int i = 0; i < actors; ++i) {
    std::string actor = "a";
    actor.append(std::to_string(i));  // not "a" + ...: GCC 12 -O2 false -Wstringop-overflow
    sg4::Actor::create(actor, host, [per_actor, i] {
      std::uint64_t x = 0x9e3779b97f4a7c15ull * static_cast<std::uint64_t>(i + 1);
      for (long k = 0; k < per_actor; ++k) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        sg4::this_actor::sleep_for(1e-3 + static_cast<double>(x % 9000) * 1e-6);
      }
    });
  }
  auto t0 = std::chrono::steady_clock::now();
  double c0 = cpu_seconds();
  e.run();
  double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  double cpu = cpu_seconds() - c0;
  const double n = static_cast<double>(per_actor * actors);
  std::printf("%.0f %.1f %.0f\n", n / wall, peak_rss_mib(), n / cpu);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 4 && std::strcmp(argv[1], "--floor") == 0) return floor_mode(std::atoi(argv[2]), std::atol(argv[3]));

  gm::Scenario sc = gm::load_scenario_text(gm::embedded::default_scenario, "<embedded default.json>",
                                           std::filesystem::current_path());
  gm::RunOptions opt;
  opt.progress = false;
  auto t0 = std::chrono::steady_clock::now();
  double c0 = cpu_seconds();
  gm::RunOutcome r = gm::run_simulation(sc, opt);
  double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  double cpu = cpu_seconds() - c0;
  double rate = static_cast<double>(r.events) / wall;
  double cpu_rate = static_cast<double>(r.events) / cpu;
  int actors = 0;
  for (auto& c : sc.workload.callers) actors += c.count;
  actors += 3;  // balloon worker, toolstack, sampler
  std::printf(
      "default scenario: %llu simulated events in %.3f s wall = %.0f events/s (%.3f s CPU = %.0f events per "
      "CPU second), peak RSS %.1f MiB\n",
      static_cast<unsigned long long>(r.events), wall, rate, cpu, cpu_rate, peak_rss_mib());

  // The floor runs in a child: a second engine cannot exist in this process.
  auto tmp = std::filesystem::temp_directory_path() / ("gm-bench-floor-" + std::to_string(::getpid()));
  long floor_events = std::max<long>(static_cast<long>(r.events), 200000);
  gm::ChildJob job{{gm::self_executable(argv[0]), "--floor", std::to_string(actors), std::to_string(floor_events)},
                   tmp.string() + ".out",
                   tmp.string() + ".err"};
  auto res = gm::run_children({job}, 1);
  double floor_rate = 0, floor_rss = 0, floor_cpu_rate = 0;
  if (FILE* f = std::fopen(job.stdout_file.c_str(), "r")) {
    if (std::fscanf(f, "%lf %lf %lf", &floor_rate, &floor_rss, &floor_cpu_rate) != 3) floor_rate = 0;
    std::fclose(f);
  }
  std::filesystem::remove(job.stdout_file);
  std::filesystem::remove(job.stderr_file);
  if (res[0].exit_code != 0 || floor_rate <= 0) {
    std::fprintf(stderr, "floor process failed (exit %d)\n", res[0].exit_code);
    return 1;
  }
  std::printf(
      "bare SimGrid floor (%d actors, sleep_for only): %.0f events/s (%.0f events per CPU second), peak RSS "
      "%.1f MiB\n",
      actors, floor_rate, floor_cpu_rate, floor_rss);
  std::printf("ratio guestmem/floor: %.2f wall, %.2f CPU (the CPU ratio does not depend on the machine's load)\n",
              rate / floor_rate, cpu_rate / floor_cpu_rate);
  return 0;
}
