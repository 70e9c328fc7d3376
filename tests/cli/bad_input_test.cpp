// The bad-input corpus (tests/data/bad/, driven by EXPECTED.tsv): every file makes `guestmem validate` and
// `guestmem run` exit 2 with a message naming the file and the JSON path or LINE:COL, and nothing is written.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <set>

#include "tests/support/run_cli.h"

namespace gm::test {
namespace {

struct BadCase {
  std::string file;
  std::string expected;  // "/json/path", "LINE:COL" or a phrase
};

std::vector<BadCase> read_expected() {
  std::vector<BadCase> out;
  std::ifstream in(data_path("bad/EXPECTED.tsv"));
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    auto tab = line.find('\t');
    if (tab == std::string::npos) continue;
    out.push_back({line.substr(0, tab), line.substr(tab + 1)});
  }
  return out;
}

// The line a message must contain for the expected fragment.
std::string needle(const std::string& file, const std::string& expected) {
  if (expected.front() == '/') return file + ": " + expected + ":";
  if (std::regex_match(expected, std::regex("[0-9]+:[0-9]+"))) return file + ":" + expected + ":";
  return expected;
}

void expect_rejected(const RunResult& r, const std::string& file, const std::string& expected) {
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find(file), std::string::npos) << "message does not name the file:\n" << r.err;
  EXPECT_NE(r.err.find(needle(file, expected)), std::string::npos)
      << "expected \"" << needle(file, expected) << "\" in:\n" << r.err;
}

class BadInput : public ::testing::TestWithParam<BadCase> {};

TEST_P(BadInput, ValidateRejects) {
  const auto& c = GetParam();
  const std::string file = data_path("bad/" + c.file).string();
  auto r = run_guestmem({"validate", file});
  expect_rejected(r, file, c.expected);
  EXPECT_EQ(r.out.find(": ok"), std::string::npos) << r.out;
}

TEST_P(BadInput, RunRejectsAndWritesNothing) {
  const auto& c = GetParam();
  const std::string file = data_path("bad/" + c.file).string();
  TempDir tmp;
  auto r = run_guestmem({"run", file, "--out", (tmp / "out").string()}, tmp.path());
  expect_rejected(r, file, c.expected);
  EXPECT_TRUE(tmp.files().empty()) << "run wrote " << tmp.files().front();
}

std::string case_name(const ::testing::TestParamInfo<BadCase>& info) {
  std::string n = info.param.file;
  for (auto& ch : n)
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  return n;
}

INSTANTIATE_TEST_SUITE_P(Corpus, BadInput, ::testing::ValuesIn(read_expected()), case_name);

TEST(BadInputCorpus, TableCoversEveryFileAndHasAtLeastFifty) {
  auto cases = read_expected();
  EXPECT_GE(cases.size(), 50u);
  std::set<std::string> listed, present;
  for (auto& c : cases) EXPECT_TRUE(listed.insert(c.file).second) << "listed twice: " << c.file;
  for (auto& e : std::filesystem::directory_iterator(data_path("bad")))
    if (e.path().filename() != "EXPECTED.tsv") present.insert(e.path().filename().string());
  EXPECT_EQ(listed, present);
}

// Larger than the documented 64 MiB input limit: generated here, never committed.
TEST(BadInputCorpus, OversizedFileIsRefused) {
  TempDir tmp;
  const auto file = (tmp / "oversized.json").string();
  {
    std::ofstream out(file, std::ios::binary);
    out << "{\"description\": \"";
    std::string chunk(1 << 20, 'x');
    for (int i = 0; i < 64; ++i) out << chunk;
    out << "\"}\n";
  }
  auto r = run_guestmem({"validate", file});
  expect_rejected(r, file, "the input size limit");
  auto out_dir = tmp / "out";
  auto rr = run_guestmem({"run", file, "--out", out_dir.string()});
  expect_rejected(rr, file, "the input size limit");
  EXPECT_FALSE(std::filesystem::exists(out_dir));
}

}  // namespace
}  // namespace gm::test
