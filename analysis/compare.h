// compare.json: both strategies over the same seeds, per-metric statistics and paired deltas (design §6).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace gm {

inline constexpr int kCompareSchemaVersion = 1;
inline constexpr const char* kBallooned = "ballooned";
inline constexpr const char* kUnpopulated = "unpopulated";
// Fewer values than this get the t interval even for bootstrap metrics (see build_compare): the
// percentile bootstrap of a mean over n values is too narrow by about a factor sqrt((n-1)/n) and has
// no small-sample correction, so with 5-9 seeds its `*` claimed more than the data showed.
inline constexpr std::size_t kMinBootstrapValues = 10;

// One finished run: its seed (pairing key), the report path as it should appear in compare.json, and
// the parsed report.
struct CompareRun {
  std::uint64_t seed = 0;
  std::string path;
  nlohmann::json report;
};

// Everything compare.json is built from.
struct CompareInput {
  nlohmann::json scenario;           // the resolved scenario; null: taken from the first report
  std::vector<std::uint64_t> seeds;  // the seeds asked for, in order (values arrays follow this order)
  std::uint64_t bootstrap_seed = 0;  // the scenario seed: bootstrap intervals are reproducible
  std::map<std::string, std::vector<CompareRun>> runs;  // strategy name -> its runs
  std::map<std::string, std::string> unavailable;       // strategy name -> why it could not run
};

// Contract: returns {"schema_version", "scenario", "seeds", "strategies":{NAME:{"runs":[paths],
// "metrics":{METRIC:{"values":[per seed, null when missing], "n", "mean", "stddev", "ci95":[lo,hi]|null,
// "interval":"t"|"bootstrap"}}}}, "deltas":{METRIC:{"values", "n", "mean", "ci95", "interval", "significant"}},
// "unavailable":{NAME:reason}, "metrics":{METRIC:{"pointer","unit","description","interval"}}}.
// A metric absent from every run of a strategy is left out of that strategy; deltas (unpopulated minus
// ballooned) exist when both strategies have the metric for at least one common seed and pair values
// by seed. Intervals need 2 values (null otherwise, and "significant" is then false); bootstrap metrics
// with fewer than kMinBootstrapValues values get the t interval, and "interval" names the method used. The bootstrap
// stream of a metric is seeded with bootstrap_seed mixed with the FNV-1a hash of "STRATEGY/METRIC" (or
// "delta/METRIC"), so the document depends only on its inputs.
nlohmann::json build_compare(const CompareInput& in);

// Reads and parses DIR/report.json-like files; throws gm::InputError ("FILE: ...") when the file is
// missing, is not JSON, or has no integer "seed".
CompareRun load_compare_run(const std::filesystem::path& report, const std::string& shown_path);

}  // namespace gm
