// Replays fuzz corpora through one fuzz target with the normal compiler (no libFuzzer), so `make test`
// re-checks every seed and every past finding. Usage: <target>_replay FILE_OR_DIR...
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "tests/fuzz/fuzz_target.h"

namespace {

std::vector<std::filesystem::path> inputs_of(const std::filesystem::path& arg) {
  std::vector<std::filesystem::path> out;
  if (std::filesystem::is_directory(arg)) {
    for (const auto& e : std::filesystem::recursive_directory_iterator(arg)) {
      if (e.is_regular_file()) out.push_back(e.path());
    }
    std::sort(out.begin(), out.end());  // a stable order, so a failure names the same file every time
  } else {
    out.push_back(arg);
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t count = 0;
  for (int i = 1; i < argc; ++i) {
    for (const std::filesystem::path& p : inputs_of(argv[i])) {
      std::ifstream in(p, std::ios::binary);
      if (!in) {
        std::fprintf(stderr, "%s: cannot read\n", p.string().c_str());
        return 1;
      }
      const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      // Printed before the call: when an input crashes, the last line names it.
      std::fprintf(stderr, "replay %s (%zu bytes)\n", p.string().c_str(), bytes.size());
      LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
      ++count;
    }
  }
  std::printf("replayed %zu inputs\n", count);
  return count == 0 ? 1 : 0;  // an empty corpus means a wrong path: fail rather than pass vacuously
}
