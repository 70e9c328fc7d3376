#include "analysis/calibration.h"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <set>

#include "models/errors.h"
#include "models/utf8.h"

namespace gm {
namespace {

const char* const kKinds[] = {"populate_physmap", "decrease_reservation"};
bool known_kind(const std::string& k) { return k == kKinds[0] || k == kKinds[1]; }

struct Solved {
  Eigen::VectorXd beta;
  double r2 = 0, rms = 0;
  Eigen::VectorXd residuals;
};

// Least squares y ~ X beta. Throws InputError with `why` when X is rank deficient.
// Hypercall times scatter in proportion to their size (a 512-extent call varies by tens of us, a
// 1-extent call by tens of ns), so plain least squares lets the big calls drown the per-call cost.
// After an ordinary fit, rows are weighted by 1/fitted (relative errors) and refitted, twice:
// iteratively reweighted least squares for a constant coefficient of variation.
Solved solve(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, const std::string& why) {
  Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr(x);
  if (qr.rank() < x.cols()) throw InputError(why);
  Solved s;
  s.beta = qr.solve(y);
  const double floor = std::max(1.0, y.cwiseAbs().maxCoeff() * 1e-6);  // no division by ~0 fits
  for (int pass = 0; pass < 2; ++pass) {
    Eigen::VectorXd w = (x * s.beta).cwiseAbs().cwiseMax(floor).cwiseInverse();
    Eigen::MatrixXd xw = w.asDiagonal() * x;
    Eigen::VectorXd yw = w.cwiseProduct(y);
    Eigen::ColPivHouseholderQR<Eigen::MatrixXd> wqr(xw);
    s.beta = wqr.solve(yw);
  }
  s.residuals = y - x * s.beta;
  double mean = y.mean();
  double ss_tot = (y.array() - mean).square().sum();
  double ss_res = s.residuals.squaredNorm();
  s.r2 = ss_tot > 0 ? 1.0 - ss_res / ss_tot : 1.0;
  s.rms = std::sqrt(ss_res / static_cast<double>(y.size()));
  return s;
}

std::string ns_text(double ns) { return std::to_string(std::llround(std::max(ns, 0.0))) + " ns"; }

}  // namespace

std::vector<TraceCall> parse_hypercall_trace(std::string_view text, std::string_view name) {
  std::vector<TraceCall> out;
  std::vector<std::string> errors;
  std::size_t line_no = 0, pos = 0;
  const std::string file(name);
  require_utf8(text, file, "UTF-8 JSON lines");  // one rule for every input (models/utf8.h)
  while (pos < text.size()) {
    std::size_t nl = text.find('\n', pos);
    std::string_view line = text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    pos = nl == std::string_view::npos ? text.size() : nl + 1;
    ++line_no;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    const std::string at = file + ":" + std::to_string(line_no);
    nlohmann::json j;
    try {
      j = nlohmann::json::parse(line);
    } catch (const nlohmann::json::parse_error& e) {
      errors.push_back(at + ":" + std::to_string(e.byte) + ": found malformed JSON, expected one JSON object per line");
      continue;
    } catch (const nlohmann::json::out_of_range&) {
      // A number beyond a double ("1e999") is out_of_range 406, not parse_error (tests/fuzz/trace_fuzz).
      errors.push_back(at + ": found a number beyond the range of a double, expected an integer");
      continue;
    }
    if (!j.is_object()) {
      errors.push_back(at + ":1: found " + std::string(j.type_name()) + ", expected a JSON object");
      continue;
    }
    TraceCall c;
    bool ok = true;
    auto need_int = [&](const char* key, auto& dst, bool allow_negative) {
      auto it = j.find(key);
      if (it == j.end() || !it->is_number_integer() || (!allow_negative && it->template get<std::int64_t>() < 0)) {
        errors.push_back(at + ": /" + key + ": found " + (it == j.end() ? std::string("nothing") : it->dump()) +
                         ", expected " + (allow_negative ? "an integer" : "a non-negative integer"));
        ok = false;
        return;
      }
      dst = it->template get<std::remove_reference_t<decltype(dst)>>();
    };
    auto kind = j.find("kind");
    if (kind == j.end() || !kind->is_string() || !known_kind(kind->get<std::string>())) {
      errors.push_back(at + ": /kind: found " + (kind == j.end() ? std::string("nothing") : kind->dump()) +
                       ", expected \"populate_physmap\" or \"decrease_reservation\"");
      ok = false;
    } else {
      c.kind = kind->get<std::string>();
    }
    need_int("extents", c.extents, false);
    need_int("result", c.result, true);
    need_int("ns", c.ns, false);
    if (j.contains("start_ns")) need_int("start_ns", c.start_ns, false);
    if (auto o = j.find("order"); o != j.end() && !(o->is_number_integer() && o->get<std::int64_t>() == 0)) {
      errors.push_back(at + ": /order: found " + o->dump() + ", expected 0 (the drivers balloon order-0 frames)");
      ok = false;
    }
    if (ok) out.push_back(std::move(c));
  }
  if (!errors.empty()) throw InputError(errors);
  return out;
}

Calibration calibrate(const std::vector<TraceCall>& calls, std::string_view name) {
  Calibration c;
  std::vector<const TraceCall*> used;
  for (const auto& call : calls) {
    if (call.result < 0)
      ++c.skipped;  // a failed call did no extent work: it says nothing about the per-extent cost
    else
      used.push_back(&call);
  }
  const std::string file(name);
  if (used.empty()) throw InputError(file + ": found no successful hypercall, expected calls with result >= 0");
  c.used = used.size();

  std::vector<std::string> kinds;  // present, in the cost model's order
  for (const char* k : kKinds)
    for (const auto* u : used)
      if (u->kind == k) {
        kinds.emplace_back(k);
        break;
      }

  // Each kind on its own: ns = base_k + per_extent_k * done.
  for (const auto& k : kinds) {
    std::vector<const TraceCall*> mine;
    for (const auto* u : used)
      if (u->kind == k) mine.push_back(u);
    Eigen::MatrixXd x(static_cast<Eigen::Index>(mine.size()), 2);
    Eigen::VectorXd y(static_cast<Eigen::Index>(mine.size()));
    for (std::size_t i = 0; i < mine.size(); ++i) {
      auto r = static_cast<Eigen::Index>(i);
      x(r, 0) = 1.0;
      x(r, 1) = static_cast<double>(mine[i]->result);
      y(r) = static_cast<double>(mine[i]->ns);
    }
    Solved s = solve(x, y,
                     file + ": found " + std::to_string(mine.size()) + " successful " + k +
                         " calls all with the same number of extents done, expected at least two different counts");
    c.per_kind[k] = {s.beta(0), s.beta(1), s.r2, s.rms, mine.size()};
  }

  // Jointly, as the cost model charges: ns = hypercall_base + per_page[kind] * done.
  const auto rows = static_cast<Eigen::Index>(used.size());
  Eigen::MatrixXd x = Eigen::MatrixXd::Zero(rows, static_cast<Eigen::Index>(1 + kinds.size()));
  Eigen::VectorXd y(rows);
  for (Eigen::Index r = 0; r < rows; ++r) {
    const TraceCall& u = *used[static_cast<std::size_t>(r)];
    x(r, 0) = 1.0;
    for (std::size_t k = 0; k < kinds.size(); ++k)
      if (u.kind == kinds[k]) x(r, static_cast<Eigen::Index>(k + 1)) = static_cast<double>(u.result);
    y(r) = static_cast<double>(u.ns);
  }
  Solved s = solve(x, y, file + ": found calls that cannot separate the per-call from the per-extent cost");
  c.hypercall_base_ns = s.beta(0);
  for (std::size_t k = 0; k < kinds.size(); ++k) c.per_extent_ns[kinds[k]] = s.beta(static_cast<Eigen::Index>(k + 1));
  c.r2 = s.r2;
  c.rms_residual_ns = s.rms;
  for (Eigen::Index r = 0; r < rows; ++r) {
    c.residual_start_ns.push_back(used[static_cast<std::size_t>(r)]->start_ns);
    c.residual_ns.push_back(s.residuals(r));
  }
  return c;
}

std::string calibrated_cost_file(const Calibration& c, std::string_view base_costs_json, std::string_view trace_name) {
  nlohmann::ordered_json doc = nlohmann::ordered_json::parse(base_costs_json);
  char r2[32];
  std::snprintf(r2, sizeof r2, "%.4f", c.r2);
  const std::string from = "calibrated by `guestmem calibrate` from " + std::string(trace_name) + " (" +
                           std::to_string(c.used) + " calls, least squares, R² " + r2 + ")";
  auto set = [&](const char* key, double ns) { doc["costs"][key] = {{"value", ns_text(ns)}, {"source", from}}; };
  set("hypercall_base", c.hypercall_base_ns);
  if (auto it = c.per_extent_ns.find("populate_physmap"); it != c.per_extent_ns.end())
    set("populate_per_page", it->second);
  if (auto it = c.per_extent_ns.find("decrease_reservation"); it != c.per_extent_ns.end())
    set("decrease_per_page", it->second);
  doc["description"] = "Cost model with the hypercall costs " + from + "; every other value as in the base file.";
  return doc.dump(2) + "\n";
}

nlohmann::ordered_json calibration_json(const Calibration& c, const std::string& cost_file) {
  nlohmann::ordered_json j;
  j["calls"] = c.used;
  j["skipped_failed_calls"] = c.skipped;
  j["fit"] = {{"hypercall_base_ns", c.hypercall_base_ns}, {"r2", c.r2}, {"rms_residual_ns", c.rms_residual_ns}};
  for (const auto& [k, v] : c.per_extent_ns) j["fit"][k + "_per_extent_ns"] = v;
  for (const auto& [k, f] : c.per_kind)
    j["per_kind"][k] = {{"calls", f.calls},
                        {"base_ns", f.base_ns},
                        {"per_extent_ns", f.per_extent_ns},
                        {"r2", f.r2},
                        {"rms_residual_ns", f.rms_residual_ns}};
  j["cost_file"] = cost_file.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(cost_file);
  return j;
}

std::string calibration_text(const Calibration& c) {
  std::string s;
  char buf[256];
  auto line = [&](int n) { s.append(buf, static_cast<std::size_t>(std::clamp(n, 0, static_cast<int>(sizeof buf) - 1))); };
  line(std::snprintf(buf, sizeof buf, "%zu calls fitted (%zu failed calls skipped)\n\n", c.used, c.skipped));
  line(std::snprintf(buf, sizeof buf, "%-22s %7s %12s %16s %8s %12s\n", "kind", "calls", "base (ns)", "per extent (ns)",
                     "R²", "rms res (ns)"));
  for (const auto& [k, f] : c.per_kind)
    line(std::snprintf(buf, sizeof buf, "%-22s %7zu %12.1f %16.2f %8.4f %12.1f\n", k.c_str(), f.calls, f.base_ns,
                       f.per_extent_ns, f.r2, f.rms_residual_ns));
  line(std::snprintf(buf, sizeof buf, "\ncost model fit (one hypercall_base for both kinds):\n"));
  line(std::snprintf(buf, sizeof buf, "  hypercall_base      %10.1f ns\n", c.hypercall_base_ns));
  if (auto it = c.per_extent_ns.find("populate_physmap"); it != c.per_extent_ns.end())
    line(std::snprintf(buf, sizeof buf, "  populate_per_page   %10.2f ns\n", it->second));
  if (auto it = c.per_extent_ns.find("decrease_reservation"); it != c.per_extent_ns.end())
    line(std::snprintf(buf, sizeof buf, "  decrease_per_page   %10.2f ns\n", it->second));
  line(std::snprintf(buf, sizeof buf, "  R² %.4f, rms residual %.1f ns\n", c.r2, c.rms_residual_ns));
  return s;
}

PlotResult plot_calibration_residuals(const std::filesystem::path& dir, const std::string& stem, const Calibration& c,
                                      const PlotOptions& o) {
  TimeCurve curve{"measured - fitted", c.residual_start_ns, c.residual_ns, ""};
  return plot_time_curves(dir, stem, "Hypercall cost fit: residuals (R² " + std::to_string(c.r2).substr(0, 6) + ")",
                          "residual (ns)", {curve}, o);
}

}  // namespace gm
