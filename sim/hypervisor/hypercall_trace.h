// Hypercall trace recorder: one JSON object per line per hypercall, written by both backends and read
// by `guestmem calibrate` (analysis/calibration.h). Format (docs/backends.md):
//   {"kind":"populate_physmap","domain":5,"extents":512,"order":0,"result":512,"ns":73120,"start_ns":1000}
// kind: populate_physmap | decrease_reservation; domain: the target domid (null for the simulated
// backend without --domid); extents: asked; result: extents done or -errno; ns: the call's duration
// (measured on the real backend, the cost model's on the simulated one); start_ns: simulated start.
#pragma once

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

#include "sim/hypervisor/simulated.h"

namespace gm {

// Appends records to a JSON-lines file. Contract: the file is created (truncated) by the constructor
// (gm::EnvironmentError when it cannot be); every record is flushed, so a crashed run keeps its calls.
class HypercallTraceWriter {
 public:
  HypercallTraceWriter(const std::filesystem::path& path, std::optional<std::uint32_t> domain);
  void write(const HypercallRecord& r);
  std::uint64_t records() const { return records_; }

 private:
  std::filesystem::path path_;
  std::ofstream out_;
  std::optional<std::uint32_t> domain_;
  std::uint64_t records_ = 0;
};

// One trace line for `r` (no newline).
std::string format_hypercall_record(const HypercallRecord& r, std::optional<std::uint32_t> domain);

}  // namespace gm
