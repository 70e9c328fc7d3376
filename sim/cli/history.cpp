// `guestmem history SCENARIO [--kernels FROM..TO] [--jobs J] [--format text|md|csv|json]`: the
// scenario on every kernel version the model tells apart (sim/run/history.h), one child process each,
// then version -> outcome and last bad / first good. Exit 0 when the outcomes are monotone (bad then
// good), 1 otherwise, 2 on bad input.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <thread>
#include <unistd.h>

#include "sim/cli/command.h"
#include "models/errors.h"
#include "sim/run/history.h"
#include "sim/engine/process_pool.h"
#include "sim/scenario/scenario.h"

namespace gm::cli {
namespace {

namespace fs = std::filesystem;

struct HistoryArgs {
  std::string scenario;
  std::string kernels;
  unsigned jobs = std::max(1u, std::thread::hardware_concurrency());
  std::string format = "text";
  bool quiet = false;
};

std::optional<KernelVersion> bound(const std::string& text, const char* which) {
  if (text.empty()) return std::nullopt;
  auto v = KernelVersion::parse(text);
  if (!v) throw InputError("--kernels: found \"" + text + "\" as the " + which + " version, expected MAJOR.MINOR[.PATCH][-rcN]");
  return v;
}

// The copy each child runs: the same scenario with "kernel" replaced and the files it names made
// absolute (they are relative to the original file).
std::string copy_for(const nlohmann::json& original, const fs::path& dir, const std::string& kernel) {
  nlohmann::json sc = original;
  sc["kernel"] = kernel;
  auto absolute = [&](nlohmann::json& v) {
    if (v.is_string() && fs::path(v.get<std::string>()).is_relative()) v = (dir / v.get<std::string>()).string();
  };
  if (sc.contains("guest") && sc["guest"].is_object()) {
    auto& g = sc["guest"];
    if (g.contains("e820") && g["e820"].is_object() && g["e820"].contains("file")) absolute(g["e820"]["file"]);
    if (g.contains("iomem")) absolute(g["iomem"]);
  }
  if (sc.contains("costs") && sc["costs"].is_object() && sc["costs"].contains("file")) absolute(sc["costs"]["file"]);
  return sc.dump(2);
}

std::string read_text(const fs::path& p) {
  std::ifstream f(p);
  return std::string(std::istreambuf_iterator<char>(f), {});
}

void execute(const HistoryArgs& a, Context& ctx) {
  Scenario sc = load_scenario_file(a.scenario);  // bad input: exit 2 before anything runs
  std::string from, to;
  if (!a.kernels.empty()) {
    auto dots = a.kernels.find("..");
    if (dots == std::string::npos) throw InputError("--kernels: found \"" + a.kernels + "\", expected FROM..TO (either may be empty)");
    from = a.kernels.substr(0, dots);
    to = a.kernels.substr(dots + 2);
  }
  std::vector<KernelVersion> versions = history_versions(bound(from, "first"), bound(to, "last"));
  if (versions.empty()) throw InputError("--kernels: no kernel version the model distinguishes lies in " + a.kernels);
  const nlohmann::json original = nlohmann::json::parse(read_text(a.scenario));
  const fs::path base = fs::absolute(fs::path(a.scenario)).parent_path();

  fs::path work = fs::temp_directory_path() / ("guestmem-history-" + std::to_string(::getpid()));
  std::error_code ec;
  fs::create_directories(work, ec);
  if (ec) throw EnvironmentError("cannot create " + work.string() + ": " + ec.message());
  std::vector<ChildJob> jobs;
  const std::string self = self_executable(ctx.argv0);
  for (const auto& v : versions) {
    fs::path dir = work / v.str();
    fs::create_directories(dir, ec);
    std::ofstream(dir / "scenario.json") << copy_for(original, base, v.str());
    std::vector<std::string> argv{self, "run", (dir / "scenario.json").string(), "--out", (dir / "out").string(), "--quiet"};
    argv.insert(argv.end(), ctx.simgrid_args.begin(), ctx.simgrid_args.end());
    jobs.push_back({argv, dir / "stdout.txt", dir / "stderr.txt"});
  }
  std::size_t done = 0;
  auto results = run_children(jobs, a.jobs, [&](std::size_t i, const ChildResult& r) {
    ++done;
    if (!a.quiet)
      std::cerr << "guestmem history: " << versions[i].str() << " exit " << r.exit_code << " (" << done << "/"
                << jobs.size() << ")\n";
  });
  std::vector<HistoryRow> rows;
  for (std::size_t i = 0; i < versions.size(); ++i) {
    fs::path report = work / versions[i].str() / "out" / "report.json";
    std::optional<nlohmann::json> rep;
    if (fs::exists(report)) {
      try {
        rep = nlohmann::json::parse(read_text(report));
      } catch (const std::exception&) {
      }
    }
    HistoryRow row = history_row(versions[i].str(), results[i].exit_code, rep ? &*rep : nullptr);
    if (!rep) {
      std::string err = read_text(work / versions[i].str() / "stderr.txt");
      if (!err.empty()) row.detail = err.substr(0, err.find('\n'));
    }
    rows.push_back(row);
  }
  fs::remove_all(work, ec);
  HistorySummary s = summarize_history(rows);
  std::cout << format_history(sc.name, rows, s, a.format);
  ctx.exit_code = s.monotone ? 0 : 1;
}

void add_history(CLI::App& app, Context& ctx) {
  auto a = std::make_shared<HistoryArgs>();
  auto* sub = app.add_subcommand("history", "Run a scenario on every kernel version the model distinguishes");
  sub->description(
      "Runs SCENARIO once per kernel version at which a modelled behaviour switches (and the stable releases\n"
      "that took such a change), each in its own child process, and prints version -> outcome (ok, the failed\n"
      "expect, guest crash, deadlock) with the last bad and first good version, as a bisection reads.\n"
      "Exit 0 when the outcomes are monotone (bad versions, then good ones), 1 otherwise, 2 on bad input.");
  sub->add_option("scenario", a->scenario, "Scenario JSON file")->required();
  sub->add_option("--kernels", a->kernels, "FROM..TO, both inclusive, either side may be empty (e.g. 5.10..5.14)");
  sub->add_option("--jobs,-j", a->jobs, "Simulations running at once (default: cores)")->check(CLI::Range(1, 256));
  sub->add_option("--format", a->format, "text | md | csv | json")
      ->check(CLI::IsMember({"text", "md", "csv", "json"}))
      ->capture_default_str();
  sub->add_flag("--quiet", a->quiet, "No progress on stderr");
  sub->footer(
      "Examples:\n"
      "  guestmem history scenarios/bugs/s2-fill-list-bug-on.json --kernels 5.10..5.14\n"
      "  guestmem history scenarios/bugs/s5-pvh-dom0-scratch-in-pci-window.json --format md --jobs 2");
  sub->callback([a, &ctx] { execute(*a, ctx); });
}

}  // namespace

GUESTMEM_COMMAND(25, add_history);

}  // namespace gm::cli
