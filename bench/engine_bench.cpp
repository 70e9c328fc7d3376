// make bench: simulated events per wall and CPU second and peak RSS for the default scenario, then, each
// from a child process (SimGrid allows one engine per process), two bare SimGrid floors (below): a sleep
// floor and a floor matched to the run's own mix of sleeps and CPU executions. Prints all and the ratios.
#include <guestmem/embedded.h>
#include <sys/resource.h>
#include <xbt/log.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <optional>
#include <vector>
#include <simgrid/s4u.hpp>
#include <string>

#include "sim/engine/process_pool.h"
#include "sim/engine/vcpu_work.h"
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

// The floors: SimGrid alone, with no model, as many actors as the scenario has. Two kinds:
//  - sleep: each actor sleeps U[1 ms, 10 ms] until `events` sleeps completed in total (the floor of the
//    simgrid-notes measurements, and of this bench before guestmem charged CPU work as executions);
//  - matched: the same primitives the scenario's events are made of, in the same numbers: `sleeps`
//    sleeps and `execs` executions of `mean_ns` (±50 %) on `vcpus` hosts, actors placed round robin as
//    the run places its callers, each actor interleaving its executions evenly between its sleeps.
// An execution costs SimGrid about twice a sleep (exec_init, start, wait; the LMM solver on its host),
// so a guestmem doing no work of its own would reach only about 0.42 of the sleep floor
// (docs/metrics.md); the matched floor is the one the model's overhead is measured against.
struct FloorSpec {
  int actors = 1;
  int vcpus = 1;
  long sleeps = 0;
  long execs = 0;
  double mean_ns = 0;
};

int floor_mode(const FloorSpec& f) {
  namespace sg4 = simgrid::s4u;
  xbt_log_control_set("root.thres:critical");
  int argc = 1;
  char name[] = "engine_bench";
  char* argv[] = {name, nullptr};
  sg4::Engine e(&argc, argv);
  auto* zone = sg4::create_full_zone("floor");
  std::vector<sg4::Host*> hosts;
  for (int h = 0; h < f.vcpus; ++h) {
    std::string host = "vcpu";
    host.append(std::to_string(h));
    hosts.push_back(zone->create_host(host, 1e9)->seal());
  }
  zone->seal();
  for (int i = 0; i < f.actors; ++i) {
    // Actor i's share of the sleeps and executions; the first ones take the remainders.
    const long my_sleeps = f.sleeps / f.actors + (i < f.sleeps % f.actors ? 1 : 0);
    const long my_execs = f.execs / f.actors + (i < f.execs % f.actors ? 1 : 0);
    std::string actor = "a";
    actor.append(std::to_string(i));  // not "a" + ...: GCC 12 -O2 false -Wstringop-overflow
    sg4::Actor::create(actor, hosts[static_cast<std::size_t>(i % f.vcpus)], [my_sleeps, my_execs, i, &f] {
      std::uint64_t x = 0x9e3779b97f4a7c15ull * static_cast<std::uint64_t>(i + 1);
      auto next = [&x] { return x ^= x << 13, x ^= x >> 7, x ^= x << 17; };
      long done = 0;
      for (long k = 0; k < std::max(my_sleeps, 1L); ++k) {
        if (k < my_sleeps) sg4::this_actor::sleep_for(1e-3 + static_cast<double>(next() % 9000) * 1e-6);
        const long due = my_sleeps > 0 ? (k + 1) * my_execs / my_sleeps : my_execs;
        for (; done < due; ++done)
          sg4::this_actor::execute(f.mean_ns * (0.5 + static_cast<double>(next() % 1001) / 1000.0));
      }
    });
  }
  auto t0 = std::chrono::steady_clock::now();
  double c0 = cpu_seconds();
  e.run();
  double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  double cpu = cpu_seconds() - c0;
  const auto n = static_cast<double>(f.sleeps + f.execs);
  std::printf("%.0f %.1f %.0f\n", n / wall, peak_rss_mib(), n / cpu);
  return 0;
}

struct FloorResult {
  double wall_rate = 0, rss = 0, cpu_rate = 0;
};

// Runs one floor in a child: a second engine cannot exist in this process.
std::optional<FloorResult> run_floor(const char* argv0, std::vector<std::string> args) {
  static int n = 0;
  auto tmp = std::filesystem::temp_directory_path() /
             ("gm-bench-floor-" + std::to_string(::getpid()) + "-" + std::to_string(n++));
  args.insert(args.begin(), gm::self_executable(argv0));
  gm::ChildJob job{args, tmp.string() + ".out", tmp.string() + ".err"};
  auto res = gm::run_children({job}, 1);
  FloorResult r;
  bool ok = false;
  if (FILE* f = std::fopen(job.stdout_file.c_str(), "r")) {
    ok = std::fscanf(f, "%lf %lf %lf", &r.wall_rate, &r.rss, &r.cpu_rate) == 3;
    std::fclose(f);
  }
  std::filesystem::remove(job.stdout_file);
  std::filesystem::remove(job.stderr_file);
  if (res[0].exit_code != 0 || !ok || r.wall_rate <= 0) {
    std::fprintf(stderr, "floor process failed (exit %d)\n", res[0].exit_code);
    return std::nullopt;
  }
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 4 && std::strcmp(argv[1], "--floor") == 0) {
    FloorSpec f;
    f.actors = std::atoi(argv[2]);
    f.sleeps = std::atol(argv[3]);
    return floor_mode(f);
  }
  if (argc == 7 && std::strcmp(argv[1], "--matched-floor") == 0) {
    FloorSpec f{std::atoi(argv[2]), std::atoi(argv[3]), std::atol(argv[4]), std::atol(argv[5]), std::atof(argv[6])};
    return floor_mode(f);
  }

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
  const auto execs = static_cast<long>(gm::vcpu_work_events());
  const long sleeps = static_cast<long>(r.events) - execs;
  const double mean_ns = execs ? static_cast<double>(gm::vcpu_work_total().ns) / static_cast<double>(execs) : 0;
  int actors = 0;
  for (auto& c : sc.workload.callers) actors += c.count;
  actors += 3;  // balloon worker, toolstack, sampler
  std::printf(
      "default scenario: %llu simulated events (%ld CPU executions of %.0f ns on average, %ld sleeps) in %.3f s "
      "wall = %.0f events/s (%.3f s CPU = %.0f events per CPU second), peak RSS %.1f MiB\n",
      static_cast<unsigned long long>(r.events), execs, mean_ns, sleeps, wall, rate, cpu, cpu_rate, peak_rss_mib());

  auto sleep_floor = run_floor(argv[0], {"--floor", std::to_string(actors),
                                         std::to_string(std::max<long>(static_cast<long>(r.events), 200000))});
  auto matched = run_floor(argv[0], {"--matched-floor", std::to_string(actors), std::to_string(sc.guest.vcpus),
                                     std::to_string(sleeps), std::to_string(execs), std::to_string(mean_ns)});
  if (!sleep_floor || !matched) return 1;
  std::printf(
      "bare SimGrid, sleep floor (%d actors, sleep_for only): %.0f events/s (%.0f events per CPU second), peak RSS "
      "%.1f MiB\n",
      actors, sleep_floor->wall_rate, sleep_floor->cpu_rate, sleep_floor->rss);
  std::printf(
      "bare SimGrid, matched floor (%d actors on %d vCPU hosts, the run's %ld sleeps and %ld executions): %.0f "
      "events/s (%.0f events per CPU second), peak RSS %.1f MiB\n",
      actors, sc.guest.vcpus, sleeps, execs, matched->wall_rate, matched->cpu_rate, matched->rss);
  std::printf("ratio guestmem/sleep floor: %.2f wall, %.2f CPU\n", rate / sleep_floor->wall_rate,
              cpu_rate / sleep_floor->cpu_rate);
  std::printf(
      "ratio guestmem/matched floor: %.2f wall, %.2f CPU (the target, >= 0.5: guestmem's own cost per event; the "
      "CPU ratio does not depend on the machine's load)\n",
      rate / matched->wall_rate, cpu_rate / matched->cpu_rate);
  return 0;
}
