#include "analysis/run_summary.h"

#include "analysis/compare_table.h"  // human_value()

#include <algorithm>
#include <cstdio>
#include <sstream>

namespace gm {
namespace {

// Latency for people ("1.3 us"), or "-" when the report has none.
std::string human_ns(const nlohmann::json& v) { return v.is_number() ? human_value(v.get<double>(), "ns") : "-"; }
std::string human_bytes(double b) { return human_value(b, "bytes"); }

const nlohmann::json& at(const nlohmann::json& j, const char* pointer) {
  static const nlohmann::json null;
  nlohmann::json::json_pointer p(pointer);
  return j.contains(p) ? j.at(p) : null;
}

}  // namespace

std::string format_run_summary(const nlohmann::json& r) {
  std::ostringstream o;
  o << "scenario " << at(r, "/scenario/name").get<std::string>() << ", seed " << at(r, "/seed") << ", kernel "
    << at(r, "/scenario/kernel").get<std::string>() << ": strategy "
    << at(r, "/strategy/effective").get<std::string>();
  if (at(r, "/strategy/reason").is_string()) o << " (" << at(r, "/strategy/reason").get<std::string>() << ")";
  o << "\n";
  if (at(r, "/complete") == false) o << "  stopped early: the report is incomplete\n";
  for (const auto& c : at(r, "/latency/callers")) {
    // The caller's name (the scenario's, any length, UTF-8) is padded here, not cut by a fixed buffer.
    const std::string name = c.value("name", "?");
    char line[192];
    std::snprintf(line, sizeof line, " %8llu requests %6llu failed   p50 %-10s p99 %-10s max %s\n",
                  static_cast<unsigned long long>(c.value("count", 0ull)),
                  static_cast<unsigned long long>(c.value("failures", 0ull)), human_ns(c["p50_ns"]).c_str(),
                  human_ns(c["p99_ns"]).c_str(), human_ns(c["max_ns"]).c_str());
    o << "  " << name << std::string(name.size() < 14 ? 14 - name.size() : 0, ' ') << line;
  }
  const auto& hc = at(r, "/balloon/hypercalls");
  if (hc.is_object())
    o << "  hypercalls: decrease_reservation " << hc["decrease_reservation"].value("calls", 0) << " calls / "
      << hc["decrease_reservation"].value("frames", 0) << " frames, populate_physmap "
      << hc["populate_physmap"].value("calls", 0) << " calls / " << hc["populate_physmap"].value("frames", 0)
      << " frames\n";
  if (at(r, "/address_space/scratch_bytes").is_number())
    o << "  address space: scratch " << human_bytes(at(r, "/address_space/scratch_bytes").get<double>())
      << ", vmemmap RAM " << human_bytes(at(r, "/address_space/memmap_bytes").get<double>()) << ", conflicts "
      << at(r, "/address_space/conflicts").size() << "\n";
  // Guest RAM given up is what the hypercalls released and did not take back; the balloon list also
  // holds hot-added pages that were never populated, so it is reported on its own.
  if (at(r, "/balloon/pages_released_to_xen").is_number()) {
    const double released = at(r, "/balloon/pages_released_to_xen").get<double>();
    o << "  balloon: " << at(r, "/balloon/pages_released_to_xen") << " pages released to Xen at end (guest RAM given up: "
      << human_bytes(std::max(released, 0.0) * 4096) << ")";
    if (at(r, "/balloon/ballooned_pages").is_number()) o << ", " << at(r, "/balloon/ballooned_pages") << " pages on the balloon list";
    o << "\n";
  } else if (at(r, "/balloon/ballooned_pages").is_number()) {
    o << "  balloon: " << at(r, "/balloon/ballooned_pages") << " pages on the balloon list at end\n";
  }
  for (const auto& c : at(r, "/guest_crashes")) o << "  GUEST CRASH at " << human_ns(c["t_ns"]) << ": " << c["what"].get<std::string>() << "\n";
  for (const auto& v : at(r, "/invariants/violations")) o << "  INVARIANT VIOLATED: " << v.dump() << "\n";
  for (const auto& e : at(r, "/expect"))
    o << "  expect " << e.value("check", "?") << ": " << (e.value("ok", false) ? "held" : "FAILED") << " ("
      << e.value("detail", "") << ")\n";
  return o.str();
}

}  // namespace gm
