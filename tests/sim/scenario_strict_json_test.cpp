// The strict JSON reader and the "did you mean" helper used by the scenario loader.
#include <gtest/gtest.h>

#include "sim/scenario/did_you_mean.h"
#include "sim/scenario/strict_json.h"
#include "tests/support/run_cli.h"

namespace gm {
namespace {

std::vector<std::string> parse_errors(const std::string& text, int depth = 64) {
  std::vector<std::string> errors;
  auto doc = parse_strict_json(text, "f", depth, errors);
  EXPECT_EQ(doc.has_value(), errors.empty());
  return errors;
}

TEST(ScenarioStrictJson, LineAndColumnFromOffset) {
  EXPECT_EQ(line_col("abc", 0), std::make_pair(std::size_t{1}, std::size_t{1}));
  EXPECT_EQ(line_col("abc", 2), std::make_pair(std::size_t{1}, std::size_t{3}));
  EXPECT_EQ(line_col("a\nbc\n", 3), std::make_pair(std::size_t{2}, std::size_t{2}));
  EXPECT_EQ(line_col("a\n", 2), std::make_pair(std::size_t{2}, std::size_t{1}));
  EXPECT_EQ(line_col("a", 99), std::make_pair(std::size_t{1}, std::size_t{2}));  // clamped to the end
}

TEST(ScenarioStrictJson, PointerSegmentsEscapeSlashAndTilde) {
  EXPECT_EQ(pointer_segment("a/b~c"), "a~1b~0c");
  EXPECT_EQ(pointer_segment("memory"), "memory");
}

TEST(ScenarioStrictJson, DuplicatesInsideArraysNameTheElement) {
  auto e = parse_errors(R"({"a": [{"x": 1}, {"x": 1, "y": 2, "x": 3}], "b": {"c": {"d": 1, "d": 2}}})");
  ASSERT_EQ(e.size(), 2u);
  EXPECT_EQ(e[0], "f: /a/1/x: found duplicate key \"x\", expected each key once per object");
  EXPECT_EQ(e[1], "f: /b/c/d: found duplicate key \"d\", expected each key once per object");
  EXPECT_TRUE(parse_errors(R"({"a": [{"x": 1}, {"x": 2}]})").empty());  // same key in sibling objects is fine
}

// Long arrays of objects: the document is built correctly and paths index the right element (the parser is
// linear here; json::parse with a callback rescans the parent array at each end of object).
TEST(ScenarioStrictJson, LongArraysOfObjects) {
  std::string text = "{\"a\": [";
  for (int i = 0; i < 20000; ++i) text += (i ? ",{\"x\":" : "{\"x\":") + std::to_string(i) + "}";
  std::vector<std::string> errors;
  auto doc = parse_strict_json(text + "]}", "f", 64, errors);
  ASSERT_TRUE(doc);
  ASSERT_EQ((*doc)["a"].size(), 20000u);
  EXPECT_EQ((*doc)["a"][19999]["x"], 19999);
  EXPECT_EQ(parse_errors(text + ",{\"x\":1,\"x\":2}]}").at(0),
            "f: /a/20000/x: found duplicate key \"x\", expected each key once per object");
}

TEST(ScenarioStrictJson, DepthLimitIsInclusive) {
  // The root object is level 1: 63 nested arrays reach level 64.
  EXPECT_TRUE(parse_errors("{\"x\": " + std::string(63, '[') + std::string(63, ']') + "}").empty());
  auto e = parse_errors("{\"x\": " + std::string(64, '[') + std::string(64, ']') + "}");
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0], "f: /x/0/0/0/0/0/0/0/...: found nesting deeper than 64 levels, expected at most 64 (the nesting "
                  "limit)");
}

TEST(ScenarioStrictJson, EncodingChecks) {
  EXPECT_TRUE(parse_errors("\xEF\xBB\xBF{}").empty());                   // a UTF-8 BOM is accepted
  EXPECT_TRUE(parse_errors("{\"n\": \"caf\xC3\xA9 \xF0\x9F\x98\x80\"}").empty());  // 2- and 4-byte sequences
  EXPECT_EQ(parse_errors("{\"n\": \"\xED\xA0\x80\"}").at(0),                 // a UTF-16 surrogate
            "f:1:8: found byte 0xED that is not UTF-8, expected UTF-8 JSON text");
  EXPECT_EQ(parse_errors("{\"n\": \"\xE2\x82\"}").at(0),                     // truncated sequence
            "f:1:8: found byte 0xE2 that is not UTF-8, expected UTF-8 JSON text");
  EXPECT_EQ(parse_errors(std::string("{\n\0}", 4)).at(0), "f:2:1: found binary content (a NUL byte), expected UTF-8 JSON text");
}

TEST(ScenarioStrictJson, ReadInputFileRefusals) {
  test::TempDir tmp;
  std::vector<std::string> errors;
  EXPECT_FALSE(read_input_file(tmp / "missing.json", "missing.json", 100, errors));
  EXPECT_FALSE(read_input_file(tmp.path(), "dir", 100, errors));
  test::write_file(tmp / "big.json", std::string(101, ' '));
  EXPECT_FALSE(read_input_file(tmp / "big.json", "big.json", 100, errors));
  test::write_file(tmp / "ok.json", std::string(100, ' '));
  EXPECT_EQ(read_input_file(tmp / "ok.json", "ok.json", 100, errors), std::string(100, ' '));
  ASSERT_EQ(errors.size(), 3u);
  EXPECT_EQ(errors[0], "missing.json: found no such file, expected a readable file");
  EXPECT_EQ(errors[1], "dir: found a directory or special file, expected a regular file");
  EXPECT_EQ(errors[2], "big.json: found 101 bytes, expected at most 100 bytes (the input size limit)");
}

TEST(ScenarioDidYouMean, EditDistanceAndSuggestions) {
  EXPECT_EQ(edit_distance("memroy", "memory"), 2u);
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
  EXPECT_EQ(edit_distance("", "abc"), 3u);
  EXPECT_EQ(edit_distance("GiB", "gib"), 0u);  // case-insensitive
  EXPECT_EQ(closest_match("memroy", {"type", "memory", "maxmem"}), "memory");
  EXPECT_EQ(closest_match("rat_per_s", {"process", "rate_per_s", "period"}), "rate_per_s");
  EXPECT_EQ(closest_match("network", {"guest", "xen", "kconfig"}), "");  // nothing plausible
  EXPECT_EQ(closest_match("hotplug", {"hotplug_unpopulated", "scrub"}), "hotplug_unpopulated");  // a prefix
}

}  // namespace
}  // namespace gm
