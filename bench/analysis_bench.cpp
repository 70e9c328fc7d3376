// Figures for the analysis layer: latency recording and summaries (exact and sketched), the bootstrap,
// and writing a large trace. Prints wall-clock times; never run by ctest.
#include <chrono>
#include <cstdio>
#include <fstream>
#include <random>
#include <string>

#include "analysis/latency.h"
#include "analysis/stats.h"
#include "analysis/trace.h"

namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

long peak_rss_kib() {  // VmHWM from /proc/self/status, 0 when unavailable
  std::ifstream f("/proc/self/status");
  for (std::string line; std::getline(f, line);)
    if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
  return 0;
}

void latency(std::size_t samples) {
  gm::LatencyRecorder rec;
  std::vector<gm::LatencyRecorder::CallerId> ids;
  for (int c = 0; c < 8; ++c) ids.push_back(rec.caller("caller-" + std::to_string(c), "gntdev"));
  std::mt19937_64 rng(1);
  std::lognormal_distribution<double> dist(10, 1.2);
  auto t0 = std::chrono::steady_clock::now();
  for (std::size_t i = 0; i < samples; ++i) rec.record(ids[i % ids.size()], gm::nanoseconds(std::int64_t(dist(rng))));
  double rec_s = seconds_since(t0);
  t0 = std::chrono::steady_clock::now();
  auto j = rec.to_json();
  double json_s = seconds_since(t0);
  std::printf(
      "latency: %zu samples (%s): record %.1f ns/sample (incl. RNG), to_json %.2f s, p99 %lld ns, peak RSS %ld MiB\n",
      samples, rec.exact() ? "exact" : "sketch", rec_s * 1e9 / double(samples), json_s,
      static_cast<long long>(j["overall"]["p99_ns"].get<std::int64_t>()), peak_rss_kib() / 1024);
}

void bootstrap() {
  std::vector<double> v = {120, 95, 180, 101, 133};
  auto t0 = std::chrono::steady_clock::now();
  auto ci = gm::bootstrap_interval(v, 1);
  std::printf("bootstrap: n=5, 10000 resamples: %.2f ms, interval [%.1f, %.1f]\n", seconds_since(t0) * 1e3, ci->lo,
              ci->hi);
}

void trace(std::size_t spans) {
  gm::TraceWriter t;
  std::vector<gm::TraceWriter::Track> tracks;
  for (int c = 0; c < 16; ++c) tracks.push_back(t.track("guest", "caller-" + std::to_string(c)));
  auto t0 = std::chrono::steady_clock::now();
  for (std::size_t i = 0; i < spans; ++i)
    t.span(tracks[i % tracks.size()], "alloc_unpopulated_pages", "alloc", gm::nanoseconds(std::int64_t(i) * 997),
           gm::nanoseconds(5000));
  double rec_s = seconds_since(t0);
  t0 = std::chrono::steady_clock::now();
  std::string s = t.to_json();
  std::printf("trace: %zu spans: record %.0f ns/span, to_json %.2f s, %.0f MiB of JSON (%.0f B/span)\n", spans,
              rec_s * 1e9 / double(spans), seconds_since(t0), double(s.size()) / (1 << 20),
              double(s.size()) / double(spans));
}

}  // namespace

int main() {
  latency(1'000'000);
  latency(10'000'000);
  latency(20'000'000);
  bootstrap();
  trace(1'000'000);
  return 0;
}
