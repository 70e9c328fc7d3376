// Draws a caller's request stream from its scenario spec: inter-arrival gaps and request sizes.
#pragma once

#include <cstdint>

#include "models/units.h"
#include "sim/engine/rng.h"
#include "sim/scenario/scenario.h"

namespace gm {

class RequestGenerator {
 public:
  RequestGenerator(const ArrivalSpec& arrival, const SizeSpec& size, std::uint64_t seed);
  // Time from the previous arrival to the next one (the first call: from the caller's start).
  SimTime next_gap();
  // Pages in the next request (>= 1).
  std::uint32_t next_size();

 private:
  double exponential(double rate);
  double normal();
  ArrivalSpec arrival_;
  SizeSpec size_;
  Rng rng_;
  int burst_left_ = 0;
};

}  // namespace gm
