#include "sim/run/expectations.h"

#include <cmath>
#include <sstream>

#include "sim/engine/units_text.h"

namespace gm {
namespace {

std::string to_pointer(const std::string& metric) {
  if (!metric.empty() && metric.front() == '/') return metric;
  std::string p = "/" + metric;
  for (auto& c : p)
    if (c == '.') c = '/';
  return p;
}

std::optional<double> bound_value(const Expectation& e) {
  if (e.value_is_number) {
    try {
      return std::stod(e.value);
    } catch (...) {
      return std::nullopt;
    }
  }
  if (auto t = parse_duration(e.value); t.value) return static_cast<double>(*t.value);
  if (auto b = parse_size(e.value); b.value) return static_cast<double>(*b.value);
  return std::nullopt;
}

nlohmann::json metric_check(const Expectation& e, const nlohmann::json& report, bool is_max) {
  nlohmann::json out{{"check", std::string(to_string(e.check))}, {"metric", e.metric}};
  nlohmann::json::json_pointer ptr;
  try {
    ptr = nlohmann::json::json_pointer(to_pointer(e.metric));
  } catch (const std::exception&) {
    return out.update({{"ok", false}, {"detail", "\"" + e.metric + "\" is not a path into report.json"}}), out;
  }
  auto bound = bound_value(e);
  if (!bound) return out.update({{"ok", false}, {"detail", "bound \"" + e.value + "\" is not a number, size or duration"}}), out;
  if (!report.contains(ptr) || !report.at(ptr).is_number())
    return out.update({{"ok", false}, {"detail", e.metric + " is not a number in this report"}}), out;
  double v = report.at(ptr).get<double>();
  bool ok = is_max ? v <= *bound : v >= *bound;
  std::ostringstream d;
  d << e.metric << " = " << report.at(ptr).dump() << (is_max ? " <= " : " >= ") << e.value << (ok ? "" : ": no");
  out["ok"] = ok;
  out["detail"] = d.str();
  return out;
}

}  // namespace

nlohmann::json evaluate_expectations(const std::vector<Expectation>& expect, const nlohmann::json& report) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& e : expect) {
    nlohmann::json r{{"check", std::string(to_string(e.check))}};
    switch (e.check) {
      case ExpectCheck::no_enomem: {
        std::uint64_t n = 0;
        for (const auto& c : report["latency"]["callers"]) n += c.value("enomem", 0ull);
        r["ok"] = n == 0;
        r["detail"] = std::to_string(n) + " request(s) failed with -ENOMEM";
        break;
      }
      case ExpectCheck::no_guest_crash:
      case ExpectCheck::guest_crash: {
        const auto& crashes = report["guest_crashes"];
        bool crashed = !crashes.empty();
        r["ok"] = e.check == ExpectCheck::guest_crash ? crashed : !crashed;
        r["detail"] = crashed ? "guest crashed: " + crashes[0].value("what", "") : "no guest crash";
        break;
      }
      case ExpectCheck::effective_strategy: {
        std::string got = report["strategy"].value("effective", "");
        r["ok"] = got == e.strategy;
        r["detail"] = "effective strategy " + got + ", expected " + e.strategy;
        break;
      }
      case ExpectCheck::metric_max: r = metric_check(e, report, true); break;
      case ExpectCheck::metric_min: r = metric_check(e, report, false); break;
    }
    out.push_back(r);
  }
  return out;
}

}  // namespace gm
