#include "sim/kconfig/kconfig_matrix.h"

#include <guestmem/embedded.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include "analysis/atomic_write.h"
#include "models/xen/driver_config.h"
#include "models/errors.h"
#include "sim/kconfig/kconfig_embedded.h"
#include "sim/kconfig/kconfig_file.h"
#include "sim/engine/process_pool.h"
#include "sim/scenario/scenario.h"
#include "sim/engine/units_text.h"

namespace gm {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr std::string_view kShort[] = {"ZD", "UA", "BH"};

// drivers/xen/balloon.c / unpopulated-alloc.c crashes that are that kernel's real behaviour, and when.
struct KnownBug {
  std::string_view what_prefix;
  std::string_view explanation;
};

// A crash is expected when the kernel really has that BUG_ON on this path (reference §8).
std::optional<std::string> known_bug(const std::string& what, const KernelVersion& kernel, Arch arch,
                                     const std::string& allocator, const Scenario& sc) {
  auto injected = [&](FaultWhat w) {
    return std::any_of(sc.xen.faults.begin(), sc.xen.faults.end(), [&](const FaultSpec& f) { return f.what == w; });
  };
  // S2: "consolidate pgmap manipulation" (5.11-rc1) .. dbc03e81586f (5.13-rc2, 5.12.5, 5.11.22): a failed
  // pgmap kzalloc makes fill_list() return 0 and xen_alloc_unpopulated_pages() hits BUG_ON(!pg).
  if (what.starts_with("BUG_ON(!pg)") && allocator == "unpopulated" &&
      UnpopulatedConfig::for_version(kernel, is_x86(arch)).fill_list_enomem_bug)
    return "known bug of " + kernel.str() +
           ": fill_list() returns 0 after a failed pgmap kzalloc, BUG_ON(!pg) "
           "(5.11-rc1..5.13-rc1, fixed by dbc03e81586f)";
  // drivers/xen/balloon.c decrease_reservation(): BUG_ON(ret != nr_pages) when Xen refuses the
  // XENMEM_decrease_reservation the guest asked for (only an injected hypercall fault does that).
  if (what.starts_with("BUG_ON(ret != nr_pages) in decrease_reservation") && injected(FaultWhat::decrease_reservation))
    return "kernel behaviour: decrease_reservation() BUG_ONs when Xen fails XENMEM_decrease_reservation (injected)";
  return std::nullopt;
}

std::string fault_list(const Scenario& sc) {
  std::string s;
  for (const auto& f : sc.xen.faults) {
    std::string w(to_string(f.what));
    if (s.find(w) == std::string::npos) s += (s.empty() ? "" : ", ") + w;
  }
  return s;
}

bool xen_at_least_4_16(const std::string& version) {
  int major = 0, minor = 0;
  if (std::sscanf(version.c_str(), "%d.%d", &major, &minor) != 2) return false;
  return major > 4 || (major == 4 && minor >= 16);
}

std::string human_bytes(std::uint64_t b) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  int u = 0;
  double v = static_cast<double>(b);
  while (v >= 1024 && u < 4 && b % 1024 == 0) {
    v /= 1024;
    b /= 1024;
    ++u;
  }
  std::ostringstream o;
  o << b << ' ' << units[u];
  return o.str();
}

std::string human_ns(std::int64_t ns) {
  char buf[32];
  if (ns < 1000)
    std::snprintf(buf, sizeof buf, "%lld ns", static_cast<long long>(ns));
  else if (ns < 1000000)
    std::snprintf(buf, sizeof buf, "%.1f us", ns / 1e3);
  else if (ns < 1000000000)
    std::snprintf(buf, sizeof buf, "%.1f ms", ns / 1e6);
  else
    std::snprintf(buf, sizeof buf, "%.2f s", ns / 1e9);
  return buf;
}

// Relative file references of a scenario would break once the cell file lives in DIR/cells/.
void absolutize_paths(json& doc, const fs::path& base) {
  auto fix = [&](json& v) {
    if (v.is_string()) {
      fs::path p(v.get<std::string>());
      if (p.is_relative()) v = (base / p).lexically_normal().string();
    }
  };
  if (doc.contains("guest") && doc["guest"].is_object()) {
    json& g = doc["guest"];
    if (g.contains("e820") && g["e820"].is_object() && g["e820"].contains("file")) fix(g["e820"]["file"]);
    if (g.contains("iomem")) fix(g["iomem"]);
  }
  if (doc.contains("costs") && doc["costs"].is_object() && doc["costs"].contains("file")) fix(doc["costs"]["file"]);
  if (doc.contains("kconfig_file")) fix(doc["kconfig_file"]);
}

std::string read_text(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::string s;
  std::getline(f, s, '\0');
  return s;
}

std::string first_line(const std::string& s) {
  auto e = s.find('\n');
  return e == std::string::npos ? s : s.substr(0, e);
}

std::uint64_t u64_at(const json& j, const json::json_pointer& p) {
  return j.contains(p) && j.at(p).is_number() ? j.at(p).get<std::uint64_t>() : 0;
}

// Fills the metrics and classifies a cell from its run's exit code, report and stderr.
void classify(MatrixCell& c, int rc, const fs::path& run_dir, const Scenario& sc, const std::string& predicted) {
  c.exit_code = rc;
  fs::path report_path = run_dir / "report.json";
  if (!fs::exists(report_path)) {
    c.outcome = "error";
    c.expected = false;
    c.reason = "no report (exit " + std::to_string(rc) + "): " + first_line(read_text(run_dir / "stderr.txt"));
    return;
  }
  json r;
  try {
    r = json::parse(read_text(report_path));
  } catch (const json::exception& e) {
    c.outcome = "error";
    c.expected = false;
    c.reason = std::string("unreadable report.json: ") + e.what();
    return;
  }
  std::uint64_t count = 0, failures = 0, enomem = 0;
  for (const auto& k : r["latency"]["callers"]) {
    count += k.value("count", std::uint64_t{0});
    failures += k.value("failures", std::uint64_t{0});
    if (k.contains("enomem") && k["enomem"].is_number()) enomem += k["enomem"].get<std::uint64_t>();
  }
  c.requests = count + failures;
  c.failures = failures;
  c.enomem = enomem;
  const json& p99 = r["latency"]["overall"]["p99_ns"];
  if (p99.is_number()) c.p99_ns = p99.get<std::int64_t>();
  c.scratch_bytes = u64_at(r, "/address_space/scratch_bytes"_json_pointer);
  c.ballooned_pages = u64_at(r, "/balloon/ballooned_pages"_json_pointer);
  c.hypercalls = u64_at(r, "/balloon/hypercalls/populate_physmap/calls"_json_pointer) +
                 u64_at(r, "/balloon/hypercalls/decrease_reservation/calls"_json_pointer);
  c.allocator = r["strategy"].value("effective", std::string{});
  c.runtime_fallback = r["kconfig"].value("runtime_fallback", false);

  auto bad = [&](std::string outcome, std::string reason) {
    c.outcome = std::move(outcome);
    c.expected = false;
    c.reason = std::move(reason);
  };
  const json& violations = r["invariants"]["violations"];
  if (violations.is_array() && !violations.empty()) {
    const json& v = violations[0];
    return bad("invariant", std::to_string(violations.size()) + " invariant violation(s), first: " +
                                v.value("check", std::string{}) + ": " + v.value("detail", std::string{}));
  }
  if (r["simulation"].value("deadlock", false)) return bad("deadlock", "the simulation deadlocked");
  if (c.allocator != predicted)
    return bad("mismatch", "ran as " + c.allocator + " but Kconfig and the target resource give " + predicted);

  std::vector<std::string> known;
  for (const auto& crash : r["guest_crashes"]) {
    std::string what = crash.value("what", std::string{});
    auto why = known_bug(what, c.kernel, c.arch, c.allocator, sc);
    if (!why) return bad("crash", "unexplained guest crash: " + what);
    if (std::find(known.begin(), known.end(), *why) == known.end()) known.push_back(*why);
  }
  if (!r.value("complete", false) && known.empty()) return bad("incomplete", "the run stopped early");
  if (failures > enomem)
    return bad("failure", std::to_string(failures - enomem) + " request(s) failed with an error other than -ENOMEM");

  std::string faults = fault_list(sc);
  if (!known.empty()) {
    c.outcome = "known-bug";
    for (const auto& k : known) c.reason += (c.reason.empty() ? "" : "; ") + k;
    if (!faults.empty()) c.reason += " (injected: " + faults + ")";
  } else if (enomem > 0) {
    const std::string what = std::to_string(enomem) + " of " + std::to_string(*c.requests) +
                             " requests got -ENOMEM from the " + c.allocator + " allocator";
    auto rule = explain_enomem(c.allocator, sc, r);
    if (!rule)
      return bad("enomem", what + " and no rule explains it (no fault injected on its path, the allocator is built, "
                                  "the guest did not run out of memory)");
    c.outcome = "enomem";
    c.reason = what + ", as this kernel returns it: " + *rule;
  } else {
    c.outcome = "ok";
    c.reason = "every request served, invariants held";
  }
  if (c.runtime_fallback) c.reason += "; XEN_UNPOPULATED_ALLOC=y but no target resource: run-time fallback (5.17+)";
}

// Why Kconfig gave `sym` another value than the matrix asked: the resolver's explanation line for it
// when the XEN_UNPOPULATED_ALLOC chain passes through it, without its "SYM=v: " head.
std::string why_value(const KconfigResult& cfg, const std::string& sym, const KernelVersion& kernel) {
  if (!cfg.has(sym)) return "the symbol does not exist in " + kernel.str();
  for (const auto& line : cfg.explanation) {
    if (!line.starts_with(sym + "=")) continue;
    auto colon = line.find(": ");
    return colon == std::string::npos ? line : line.substr(colon + 2);
  }
  return "its dependencies are unmet (guestmem kconfig --all shows them)";
}

std::string cell_id(Arch a, const KernelVersion& k, const std::vector<std::string>& req) {
  std::string id = std::string(arch_name(a)) + "-" + k.str();
  for (std::size_t i = 0; i < req.size(); ++i) id += "-" + std::string(kShort[i]) + req[i];
  return id;
}

}  // namespace

std::optional<std::string> explain_enomem(const std::string& allocator, const Scenario& sc, const json& report) {
  const bool unpopulated = allocator == "unpopulated";
  std::string injected;
  for (const auto& f : sc.xen.faults) {
    const bool on_path = f.what == FaultWhat::p2m_alloc ||
                         (unpopulated ? f.what == FaultWhat::pgmap_alloc || f.what == FaultWhat::memremap
                                      : f.what == FaultWhat::decrease_reservation ||
                                            f.what == FaultWhat::populate_physmap);
    const std::string w(to_string(f.what));
    if (on_path && injected.find(w) == std::string::npos) injected += (injected.empty() ? "" : ", ") + w;
  }
  if (!injected.empty()) return "fault injected (" + injected + ")";
  if (unpopulated && (!report.contains("unpopulated") || report["unpopulated"].is_null()))
    return std::string("no allocator built (the run has no unpopulated allocator)");
  if (!unpopulated && report.contains("notes") && report["notes"].is_array())
    for (const auto& n : report["notes"])
      if (n.is_string() && n.get<std::string>().starts_with("balloon_init failed"))
        return "no allocator built (" + n.get<std::string>() + ")";
  if (!unpopulated && report.contains("time_series")) {
    const json& ts = report["time_series"];
    if (ts.contains("free_bytes") && ts.contains("guest_ram_bytes") && ts["free_bytes"].is_array() &&
        ts["guest_ram_bytes"].is_array() && ts["free_bytes"].size() == ts["guest_ram_bytes"].size()) {
      for (std::size_t i = 0; i < ts["free_bytes"].size(); ++i) {
        const json &f = ts["free_bytes"][i], &g = ts["guest_ram_bytes"][i];
        if (f.is_number() && g.is_number() && f.get<double>() <= g.get<double>() / 64)
          return "out of memory by construction (free memory fell to " +
                 human_bytes(static_cast<std::uint64_t>(f.get<double>())) + " of " +
                 human_bytes(static_cast<std::uint64_t>(g.get<double>())) + " guest RAM)";
      }
    }
  }
  return std::nullopt;
}

std::vector<std::string> matrix_default_kernels() {
  return {"v4-patch", "5.9", "5.12", "5.16", "5.17", "6.10", "6.12"};
}

std::size_t MatrixResult::unexpected() const {
  return static_cast<std::size_t>(
      std::count_if(cells.begin(), cells.end(), [](const MatrixCell& c) { return !c.expected; }));
}

MatrixResult run_kconfig_matrix(const MatrixOptions& opt) {
  // The scenario as written (bad input: exit 2 before anything is written).
  std::string text;
  std::string display;
  fs::path base_dir;
  if (opt.scenario.empty()) {
    text = std::string(embedded::default_scenario);
    display = "<embedded scenarios/default.json>";
    base_dir = fs::current_path();
  } else {
    Scenario probe = load_scenario_file(opt.scenario);
    text = read_text(opt.scenario);
    display = opt.scenario;
    base_dir = probe.base_dir;
  }
  base_dir = fs::absolute(base_dir);  // cell files live elsewhere: their references must not be relative
  json doc = json::parse(text);
  absolutize_paths(doc, base_dir);
  if (!opt.kconfig_file.empty()) doc["kconfig_file"] = fs::absolute(opt.kconfig_file).lexically_normal().string();
  Scenario base = load_scenario_text(doc.dump(), display, base_dir);
  // A real .config as the base of every cell (--config, or the scenario's kconfig_file).
  std::optional<KconfigFile> kfile;
  if (base.kconfig_file) kfile = read_kconfig_file(base.kconfig_file->string());
  const KconfigBaseConfig* kbase = kfile ? &kfile->base : nullptr;
  // The matrix checks its own expectations: the scenario's `expect` is about its own configuration.
  doc.erase("expect");
  SimTime duration = base.duration;
  std::string duration_note;
  if (opt.max_duration && *opt.max_duration < duration) {
    duration = *opt.max_duration;
    doc["duration"] = format_duration(duration);
    try {
      (void)load_scenario_text(doc.dump(), display + " (duration cut to " + format_duration(duration) + ")", base_dir);
    } catch (const InputError& e) {
      if (opt.max_duration_explicit)
        throw InputError(std::string(e.what()) + "\n--max-duration: the scenario has times beyond " +
                         format_duration(duration) + "; use a larger value or --max-duration none");
      // The default cut is only a speed-up: a scenario with later events runs in full.
      duration_note = "the default " + format_duration(duration) + " cut would drop events (" + first_line(e.what()) +
                      "): cells run the full " + format_duration(base.duration);
      duration = base.duration;
      doc["duration"] = format_duration(duration);
    }
  }

  MatrixResult res;
  res.scenario_name = base.name;
  res.scenario_source = display;
  res.duration = duration;
  res.duration_note = duration_note;
  res.jobs = opt.jobs;

  std::vector<Arch> archs = opt.archs;
  if (archs.empty()) archs = {Arch::x86_64, Arch::i386, Arch::arm64, Arch::arm, Arch::riscv64};
  std::vector<KernelVersion> kernels = opt.kernels;
  if (kernels.empty())
    for (const auto& k : matrix_default_kernels()) kernels.push_back(KernelVersion::from(k));

  fs::path cells_dir = opt.out / "cells";
  std::error_code ec;
  fs::create_directories(cells_dir, ec);
  if (ec) throw EnvironmentError("cannot create " + cells_dir.string() + ": " + ec.message());

  struct Planned {
    std::size_t cell;
    Scenario sc;
    std::string predicted;
  };
  std::vector<Planned> planned;
  std::vector<ChildJob> jobs;
  std::map<std::string, std::size_t> by_config;             // resolved configuration -> index in `planned`
  std::vector<std::pair<std::size_t, std::size_t>> shared;  // (cell, planned) for duplicates

  for (Arch arch : archs) {
    for (const auto& kernel : kernels) {
      // No Xen at all (riscv64): one row, nothing to run.
      KconfigResult plain = resolve_kconfig(arch, kernel, base.kconfig, "scenario", kbase);
      if (plain.tri("XEN") == Tristate::n) {
        MatrixCell c;
        c.id = std::string(arch_name(arch)) + "-" + kernel.str();
        c.arch = arch;
        c.kernel = kernel;
        c.outcome = "n/a";
        c.reason = "no Xen guest support (XEN=n: " + std::string(arch_name(arch)) + " has no Xen port): not run";
        res.cells.push_back(std::move(c));
        continue;
      }
      for (int combo = 0; combo < 8; ++combo) {
        MatrixCell c;
        c.arch = arch;
        c.kernel = kernel;
        std::map<std::string, std::string> overrides = base.kconfig;
        for (int s = 0; s < 3; ++s) {
          std::string v = (combo >> (2 - s)) & 1 ? "n" : "y";
          c.requested.push_back(v);
          overrides[std::string(kMatrixSymbols[s])] = v;
        }
        c.id = cell_id(arch, kernel, c.requested);
        KconfigResult cfg = resolve_kconfig(arch, kernel, overrides, "scenario", kbase);
        for (int s = 0; s < 3; ++s) {
          std::string sym(kMatrixSymbols[s]);
          c.effective.push_back(cfg.text(sym));
          if (c.effective.back() == c.requested[s]) continue;
          c.notes.push_back(sym + "=" + c.requested[s] + " ignored, Kconfig gives " + c.effective.back() + ": " +
                            why_value(cfg, sym, kernel));
        }
        json cell_doc = doc;
        cell_doc["name"] = base.name + " [" + c.id + "]";
        cell_doc["arch"] = std::string(arch_name(arch));
        cell_doc["kernel"] = kernel.str();
        json k = json::object();
        for (const auto& [sym, v] : overrides) k[sym] = v;
        cell_doc["kconfig"] = k;
        if (!(arch == Arch::arm64 || arch == Arch::arm) && cell_doc.contains("xen") && cell_doc["xen"].is_object())
          cell_doc["xen"].erase("extended_regions");
        c.scenario_file = "cells/" + c.id + ".json";
        std::string cell_text = cell_doc.dump(2) + "\n";
        write_file_atomically(opt.out / c.scenario_file, cell_text);

        Scenario sc;
        try {
          sc = load_scenario_text(cell_text, c.scenario_file, base_dir);
        } catch (const InputError& e) {
          c.outcome = "n/a";
          c.reason =
              "the scenario cannot be expressed for " + std::string(arch_name(arch)) + ": " + first_line(e.what());
          res.cells.push_back(std::move(c));
          continue;
        }
        TargetResourceFacts facts{sc.guest.firmware == Firmware::acpi,
                                  !sc.xen.extended_regions.empty() && xen_at_least_4_16(sc.xen.version)};
        AllocatorChoice choice = choose_xen_allocator(cfg, has_target_resource(arch, facts));
        std::string predicted(xen_allocator_name(choice.allocator));

        std::string key = std::string(arch_name(arch)) + "|" + kernel.str();
        for (const auto& [name, v] : cfg.symbols) key += "|" + name + "=" + v.text();
        std::size_t cell_index = res.cells.size();
        if (auto it = by_config.find(key); it != by_config.end()) {
          c.same_as = res.cells[planned[it->second].cell].id;
          shared.emplace_back(cell_index, it->second);
        } else {
          by_config[key] = planned.size();
          c.run_dir = "cells/" + c.id;
          fs::path dir = opt.out / c.run_dir;
          fs::create_directories(dir, ec);
          if (ec) throw EnvironmentError("cannot create " + dir.string() + ": " + ec.message());
          std::vector<std::string> argv{opt.self, "run",        (opt.out / c.scenario_file).string(),
                                        "--out",  dir.string(), "--quiet"};
          argv.insert(argv.end(), opt.extra_args.begin(), opt.extra_args.end());
          jobs.push_back({argv, dir / "stdout.txt", dir / "stderr.txt"});
          planned.push_back({cell_index, std::move(sc), predicted});
        }
        res.cells.push_back(std::move(c));
      }
    }
  }

  std::size_t done = 0;
  std::vector<ChildResult> results =
      run_children(jobs, std::max(1u, opt.jobs), [&](std::size_t i, const ChildResult& r) {
        if (opt.progress)
          std::cerr << "guestmem: [" << ++done << "/" << jobs.size() << "] " << res.cells[planned[i].cell].id
                    << (r.exit_code == 0 ? "" : " exit " + std::to_string(r.exit_code)) << '\n';
      });
  res.runs = jobs.size();
  for (std::size_t i = 0; i < planned.size(); ++i) {
    MatrixCell& c = res.cells[planned[i].cell];
    classify(c, results[i].exit_code, opt.out / c.run_dir, planned[i].sc, planned[i].predicted);
  }
  for (auto [cell, p] : shared) {
    MatrixCell& c = res.cells[cell];
    const MatrixCell& src = res.cells[planned[p].cell];
    std::vector<std::string> notes = c.notes;
    std::string id = c.id, file = c.scenario_file, same = c.same_as;
    std::vector<std::string> requested = c.requested;
    c = src;
    c.id = id;
    c.requested = requested;
    c.notes = notes;
    c.scenario_file = file;
    c.same_as = same;
    c.run_dir.clear();
  }
  return res;
}

json matrix_to_json(const MatrixResult& r) {
  json cells = json::array();
  for (const auto& c : r.cells) {
    json j;
    j["id"] = c.id;
    j["arch"] = std::string(arch_name(c.arch));
    j["kernel"] = c.kernel.str();
    json req = json::object(), eff = json::object();
    for (std::size_t i = 0; i < c.requested.size(); ++i) {
      req[std::string(kMatrixSymbols[i])] = c.requested[i];
      eff[std::string(kMatrixSymbols[i])] = c.effective[i];
    }
    j["requested"] = req;
    j["effective"] = eff;
    j["notes"] = c.notes;
    j["allocator"] = c.allocator.empty() ? json(nullptr) : json(c.allocator);
    j["runtime_fallback"] = c.runtime_fallback;
    j["outcome"] = c.outcome;
    j["expected"] = c.expected;
    j["reason"] = c.reason;
    j["same_as"] = c.same_as.empty() ? json(nullptr) : json(c.same_as);
    j["scenario_file"] = c.scenario_file.empty() ? json(nullptr) : json(c.scenario_file);
    j["run_dir"] = c.run_dir.empty() ? json(nullptr) : json(c.run_dir);
    j["exit_code"] = c.exit_code;
    auto opt = [](const auto& v) { return v ? json(*v) : json(nullptr); };
    j["metrics"] = {{"requests", opt(c.requests)},
                    {"failures", opt(c.failures)},
                    {"enomem", opt(c.enomem)},
                    {"p99_ns", opt(c.p99_ns)},
                    {"scratch_bytes", opt(c.scratch_bytes)},
                    {"ballooned_pages", opt(c.ballooned_pages)},
                    {"hypercalls", opt(c.hypercalls)}};
    cells.push_back(std::move(j));
  }
  std::map<std::string, std::size_t> outcomes;
  for (const auto& c : r.cells) ++outcomes[c.outcome];
  return {{"schema_version", 1},
          {"scenario", {{"name", r.scenario_name}, {"source", r.scenario_source}}},
          {"duration_ns", r.duration.ns},
          {"duration_note", r.duration_note.empty() ? json(nullptr) : json(r.duration_note)},
          {"symbols", {std::string(kMatrixSymbols[0]), std::string(kMatrixSymbols[1]), std::string(kMatrixSymbols[2])}},
          {"runs", r.runs},
          {"summary", {{"cells", r.cells.size()}, {"unexpected", r.unexpected()}, {"outcomes", outcomes}}},
          {"cells", cells}};
}

std::string format_matrix_text(const MatrixResult& r) {
  std::vector<std::vector<std::string>> rows;
  rows.push_back({"arch", "kernel", "ZD", "UA", "BH", "allocator", "outcome", "requests", "fail", "p99", "scratch",
                  "ballooned", "hcalls", "reason"});
  for (const auto& c : r.cells) {
    std::vector<std::string> row{std::string(arch_name(c.arch)), c.kernel.str()};
    for (std::size_t i = 0; i < 3; ++i) {
      if (c.requested.empty())
        row.push_back("-");
      else
        row.push_back(c.requested[i] == c.effective[i] ? c.requested[i] : c.requested[i] + ">" + c.effective[i]);
    }
    row.push_back(c.allocator.empty() ? "-" : c.allocator + (c.runtime_fallback ? "*" : ""));
    row.push_back(c.outcome + (c.expected ? "" : " !"));
    auto num = [](const auto& v) { return v ? std::to_string(*v) : std::string("-"); };
    row.push_back(num(c.requests));
    row.push_back(num(c.failures));
    row.push_back(c.p99_ns ? human_ns(*c.p99_ns) : "-");
    row.push_back(c.scratch_bytes ? human_bytes(*c.scratch_bytes) : "-");
    row.push_back(num(c.ballooned_pages));
    row.push_back(num(c.hypercalls));
    std::string reason = c.same_as.empty() ? c.reason : "= " + c.same_as;
    row.push_back(reason);
    rows.push_back(std::move(row));
  }
  std::vector<std::size_t> width(rows[0].size(), 0);
  for (const auto& row : rows)
    for (std::size_t i = 0; i + 1 < row.size(); ++i) width[i] = std::max(width[i], row[i].size());
  std::ostringstream o;
  o << "Kconfig matrix of " << r.scenario_name << " (" << r.scenario_source << "), " << format_duration(r.duration)
    << " per cell, " << r.cells.size() << " cells, " << r.runs << " runs\n"
    << (r.duration_note.empty() ? "" : "note: " + r.duration_note + "\n")
    << "ZD = ZONE_DEVICE, UA = XEN_UNPOPULATED_ALLOC, BH = XEN_BALLOON_MEMORY_HOTPLUG; y>n: requested y, Kconfig "
       "gives n\nallocator*: run-time fallback to ballooned pages; outcome !: unexpected; reason \"= ID\": same "
       "resolved Kconfig as cell ID, run once\n\n";
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < row.size(); ++i) {
      o << row[i];
      if (i + 1 < row.size()) o << std::string(width[i] - row[i].size() + 2, ' ');
    }
    o << '\n';
  }
  // The same note recurs in every cell of an arch/kernel: print each once with where it applies.
  std::vector<std::pair<std::string, std::vector<std::string>>> notes;
  for (const auto& c : r.cells) {
    std::string where = std::string(arch_name(c.arch)) + " " + c.kernel.str();
    for (const auto& n : c.notes) {
      auto it = std::find_if(notes.begin(), notes.end(), [&](const auto& e) { return e.first == n; });
      if (it == notes.end()) it = notes.insert(notes.end(), {n, {}});
      if (std::find(it->second.begin(), it->second.end(), where) == it->second.end()) it->second.push_back(where);
    }
  }
  if (!notes.empty()) o << "\nKconfig ignored these requests (those cells ran as Kconfig really gives):\n";
  for (const auto& [n, where] : notes) {
    o << "  " << n << "\n    in:";
    for (std::size_t i = 0; i < where.size(); ++i) o << (i ? ", " : " ") << where[i];
    o << '\n';
  }
  std::map<std::string, std::size_t> outcomes;
  for (const auto& c : r.cells) ++outcomes[c.outcome];
  o << "\noutcomes:";
  for (const auto& [k, n] : outcomes) o << ' ' << k << '=' << n;
  o << "; unexpected: " << r.unexpected() << '\n';
  return o.str();
}

}  // namespace gm
