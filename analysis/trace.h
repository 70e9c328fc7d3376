// Chrome trace-event JSON (opens in Perfetto and chrome://tracing) for `guestmem run --trace FILE`.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "models/units.h"

namespace gm {

// Collects events in memory and writes them once, at the end of the run.
// Contract: a track is one actor, shown as thread `thread` of process `process` (pid/tid assigned in
// order of first use, with process_name/thread_name metadata). span() is a complete event (ph "X"),
// counter() a counter sample (ph "C", on the process's counter track), instant() a marker (ph "i").
// Timestamps are simulated time, written in microseconds with the nanoseconds as three decimals
// ("ts":1234.567), so no precision is lost. Events are written sorted by (pid, tid, ts), stable, so
// timestamps are monotonic per track whatever the order of the calls. Category strings used by the
// simulation: "alloc", "fill", "hypercall", "lock", "balloon", "memory".
class TraceWriter {
 public:
  struct Track {
    std::uint32_t pid = 0, tid = 0;
  };

  Track track(std::string_view process, std::string_view thread);
  void span(Track t, std::string_view name, std::string_view cat, SimTime start, SimTime duration,
            const std::vector<std::pair<std::string, std::string>>& args = {});
  void instant(Track t, std::string_view name, std::string_view cat, SimTime at);
  void counter(std::string_view process, std::string_view name, SimTime at,
               const std::vector<std::pair<std::string, double>>& values);

  std::size_t events() const { return events_.size(); }
  // {"traceEvents":[metadata..., events...], "displayTimeUnit":"ns", "otherData":{"generator":"guestmem"}}
  std::string to_json() const;
  // to_json() through write_file_atomically (gm::EnvironmentError on failure).
  void write(const std::filesystem::path& path) const;

 private:
  struct Event {
    std::uint32_t pid, tid;
    char ph;
    std::int64_t ts_ns, dur_ns;
    std::uint32_t name, cat;  // indices into strings_
    std::string args;         // a ready JSON object, or empty
  };
  std::uint32_t intern(std::string_view s);
  std::uint32_t process_id(std::string_view process);

  std::vector<std::string> strings_;
  std::map<std::string, std::uint32_t, std::less<>> string_ids_;
  std::vector<std::string> processes_;                          // pid - 1 -> name
  std::vector<std::pair<std::uint32_t, std::string>> threads_;  // tid - 1 -> (pid, name)
  std::map<std::pair<std::uint32_t, std::string>, std::uint32_t> thread_ids_;
  std::vector<Event> events_;
};

// "1234.567" for 1234567 ns: microseconds with exact nanosecond decimals (negative values keep the sign).
std::string trace_timestamp(std::int64_t ns);

}  // namespace gm
