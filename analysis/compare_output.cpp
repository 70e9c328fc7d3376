// compare.json and the comparison plots, written together.
#include "analysis/compare_output.h"

#include <algorithm>
#include <map>
#include <system_error>

#include "analysis/atomic_write.h"
#include "analysis/report_plots.h"
#include "models/errors.h"

namespace gm {

CompareOutputs write_compare_outputs(const std::filesystem::path& dir, const CompareInput& in, const PlotOptions& o) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw EnvironmentError("cannot create " + dir.string() + ": " + ec.message());
  CompareOutputs out;
  out.compare = build_compare(in);
  write_file_atomically(dir / "compare.json", out.compare.dump(2) + "\n");
  std::map<std::string, std::vector<nlohmann::json>> reports;
  for (const auto& [name, runs] : in.runs)
    for (const auto& r : runs) reports[name].push_back(r.report);
  // Runs in seed order, so "first seed" in the plot titles is the lowest seed asked for.
  for (auto& [name, list] : reports)
    std::stable_sort(list.begin(), list.end(), [](const nlohmann::json& a, const nlohmann::json& b) {
      return a.value("seed", std::uint64_t{0}) < b.value("seed", std::uint64_t{0});
    });
  out.plots = write_compare_plots(dir, reports, o);
  return out;
}

}  // namespace gm
