// Deterministic random streams: one per actor, derived from the run's seed and the actor's stable
// name (design §4), so adding an actor never shifts another actor's stream.
#pragma once

#include <cstdint>
#include <random>
#include <string_view>

namespace gm {

// splitmix64 finaliser: spreads seed bits so nearby seeds give unrelated streams.
constexpr std::uint64_t mix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

constexpr std::uint64_t stream_seed(std::uint64_t run_seed, std::string_view actor_name) {
  std::uint64_t h = 1469598103934665603ull;  // FNV-1a over the name
  for (char c : actor_name) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
  return mix64(run_seed ^ mix64(h));
}

// std::mt19937_64 is specified bit-for-bit by the standard; the distributions are not, so the
// samplers in workload_gen.cpp transform raw 64-bit draws themselves (same results on any libstdc++).
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : gen_(seed) {}
  std::uint64_t next() { return gen_(); }
  // Uniform in [0, 1), 53 bits.
  double uniform() { return static_cast<double>(gen_() >> 11) * 0x1.0p-53; }
  // Uniform integer in [lo, hi] (hi >= lo), without modulo bias.
  std::uint64_t between(std::uint64_t lo, std::uint64_t hi);

 private:
  std::mt19937_64 gen_;
};

}  // namespace gm
