// write_file_atomically: content lands, replaces the old file, and leaves no temporary behind.
#include "analysis/atomic_write.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "models/errors.h"
#include "tests/support/run_cli.h"

namespace gm {
namespace {

TEST(AtomicWrite, WritesAndReplacesWithoutLeftovers) {
  test::TempDir dir;
  write_file_atomically(dir / "report.json", "{\"a\":1}\n");
  EXPECT_EQ(test::read_file(dir / "report.json"), "{\"a\":1}\n");
  write_file_atomically(dir / "report.json", std::string(100000, 'x'));
  EXPECT_EQ(test::read_file(dir / "report.json"), std::string(100000, 'x'));
  write_file_atomically(dir / "empty", "");
  EXPECT_EQ(test::read_file(dir / "empty"), "");
  EXPECT_EQ(dir.files(), (std::vector<std::string>{"empty", "report.json"}));
  struct stat st {};
  ASSERT_EQ(::stat((dir / "report.json").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0644u);
}

// Missing folders above the file are created, as every output option promises.
TEST(AtomicWrite, CreatesMissingParentFolders) {
  test::TempDir dir;
  write_file_atomically(dir / "missing-dir" / "sub" / "report.json", "x");
  EXPECT_EQ(test::read_file(dir / "missing-dir" / "sub" / "report.json"), "x");
}

TEST(AtomicWrite, FailureLeavesNothingAndNamesTheFile) {
  test::TempDir dir;
  test::write_file(dir / "a-file", "f");
  try {
    write_file_atomically(dir / "a-file" / "report.json", "x");  // a folder cannot be made where a file is
    FAIL();
  } catch (const EnvironmentError& e) {
    EXPECT_NE(std::string(e.what()).find("a-file/report.json"), std::string::npos) << e.what();
  }
  std::filesystem::remove(dir / "a-file");
  // Renaming over a directory fails after the temporary was written: it must be removed.
  std::filesystem::create_directory(dir / "taken");
  test::write_file(dir / "taken" / "keep", "k");
  EXPECT_THROW(write_file_atomically(dir / "taken", "x"), EnvironmentError);
  EXPECT_EQ(dir.files(), std::vector<std::string>{"taken/keep"});
}

}  // namespace
}  // namespace gm
