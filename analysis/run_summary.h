// The few lines `guestmem run` prints after a simulation, read from its report.json.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace gm {

// Human summary of one report (strategy, requests and failures, latency, hypercalls, RAM and address
// space). Missing sections are skipped. Ends with a newline.
std::string format_run_summary(const nlohmann::json& report);

}  // namespace gm
