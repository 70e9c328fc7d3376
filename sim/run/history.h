// `guestmem history`: one scenario run on every kernel version the model tells apart, read the way a
// bisection reads (version -> outcome, last bad, first good). The CLI (sim/cli/history.cpp) runs
// the children; this file holds the version list, the outcome of one report and the summary.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "models/kernel_version.h"

namespace gm {

// The versions at which some modelled behaviour switches (models/xen/driver_config.cpp,
// models/kconfig_rules/*_<version>.kconfig, models/guest_layout.cpp 6.9) and the stable releases
// that took a switching change, sorted, within [from, to] (both inclusive; nullopt = unbounded).
std::vector<KernelVersion> history_versions(const std::optional<KernelVersion>& from,
                                            const std::optional<KernelVersion>& to);

struct HistoryRow {
  std::string version;
  std::string outcome;  // "ok", "expect failed", "guest crash", "deadlock", "invariant", "error"
  std::string detail;   // the failed check / crash message / child exit
  bool good = false;    // outcome == ok
};

// The outcome of one run from its exit code and report (null when the child wrote none).
HistoryRow history_row(const std::string& version, int exit_code, const nlohmann::json* report);

// Bisection over one line of releases: mainline (x.y), or one stable series (x.y.z with its x.y).
struct HistoryLine {
  std::string name;                       // "mainline" or "5.10.y"
  std::optional<std::string> last_bad;    // the last bad version of the line
  std::optional<std::string> first_good;  // the first good version after it
  bool monotone = true;                   // bad* good*: no good version before a bad one
};

struct HistorySummary {
  HistoryLine mainline;
  std::vector<HistoryLine> stable;  // one per stable series with a row, in version order
  bool monotone = true;             // every line monotone
};

HistorySummary summarize_history(const std::vector<HistoryRow>& rows);

// text | md | csv | json; throws std::invalid_argument for another name.
std::string format_history(const std::string& scenario, const std::vector<HistoryRow>& rows,
                           const HistorySummary& s, const std::string& format);

}  // namespace gm
