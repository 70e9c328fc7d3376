// Fuzz target: `guestmem calibrate TRACE [--out F] [--plots D] [--json]` whole, but for the final write
// (analysis/calibration.h: the UTF-8 rule, the hypercall-trace reader, the least-squares fit, the JSON, the
// text, the cost file on the embedded default costs and the residual plot's script and data, not rendered).
// Its documented failure is gm::InputError, listing every bad line.
#include <guestmem/embedded.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <string_view>

#include "analysis/calibration.h"
#include "models/errors.h"
#include "tests/fuzz/fuzz_target.h"

namespace {

// One folder per fuzzing process for the plot files, on tmpfs where there is one (they are rewritten for
// every input that fits); removed when the process exits.
struct PlotDir {
  std::filesystem::path path;
  PlotDir() {
    std::filesystem::path base =
        std::filesystem::exists("/dev/shm") ? "/dev/shm" : std::filesystem::temp_directory_path();
    path = base / ("guestmem-trace-fuzz-" + std::to_string(::getpid()));
    std::filesystem::create_directories(path);
  }
  ~PlotDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
};

const std::filesystem::path& plot_dir() {
  static const PlotDir dir;
  return dir.path;
}

std::string read_or_empty(const std::filesystem::path& p) {
  std::error_code ec;
  if (!std::filesystem::exists(p, ec)) return {};
  FILE* f = std::fopen(p.c_str(), "rb");
  if (!f) return {};
  std::string s;
  char buf[4096];
  for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) s.append(buf, n);
  std::fclose(f);
  return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const std::vector<gm::TraceCall> calls = gm::parse_hypercall_trace(text, "fuzz-trace.jsonl");
    for (const gm::TraceCall& c : calls) {
      if (c.ns < 0) __builtin_trap();  // the reader refuses negative durations
    }
    const gm::Calibration c = gm::calibrate(calls, "fuzz-trace.jsonl");
    gm::fuzz::check_json_output(gm::calibration_json(c, "costs.json").dump(2));
    gm::fuzz::check_text_output(gm::calibration_text(c));
    gm::fuzz::check_json_output(gm::calibrated_cost_file(c, gm::embedded::default_costs, "fuzz-trace.jsonl"));
    gm::PlotOptions no_render;
    no_render.render = false;
    gm::plot_calibration_residuals(plot_dir(), "residuals", c, no_render);
    gm::fuzz::check_text_output(read_or_empty(plot_dir() / "residuals.dat"));
    gm::fuzz::check_text_output(read_or_empty(plot_dir() / "residuals.gp"));
  } catch (const gm::InputError&) {
  }
  return 0;
}
