// The UTF-8 rule of the input edge (models/utf8.h): RFC 3629 validity and the positioned message.
#include "models/utf8.h"

#include <gtest/gtest.h>

#include "models/errors.h"

namespace gm {
namespace {

std::string message_of(std::string_view text) {
  try {
    require_utf8(text, "f.txt");
  } catch (const InputError& e) {
    return e.lines().at(0);
  }
  return "";
}

TEST(Utf8, AcceptsEveryEncodingLength) {
  EXPECT_FALSE(first_invalid_utf8(""));
  EXPECT_FALSE(first_invalid_utf8("ascii\n\t"));
  EXPECT_FALSE(first_invalid_utf8("\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80 \xF4\x8F\xBF\xBF"));  // é € 😀 U+10FFFF
  EXPECT_FALSE(first_invalid_utf8(std::string_view("a\0b", 3)));  // NUL is UTF-8; JSON writers escape it
}

TEST(Utf8, RefusesWhatRfc3629Excludes) {
  EXPECT_EQ(first_invalid_utf8("ab\xFF"), 2u);
  EXPECT_EQ(first_invalid_utf8("\x80"), 0u);                // a lone continuation byte
  EXPECT_EQ(first_invalid_utf8("x\xC0\xAF"), 1u);           // overlong '/'
  EXPECT_EQ(first_invalid_utf8("\xE0\x80\xAF"), 0u);        // overlong, three bytes
  EXPECT_EQ(first_invalid_utf8("\xED\xA0\x80"), 0u);        // a UTF-16 surrogate
  EXPECT_EQ(first_invalid_utf8("\xF4\x90\x80\x80"), 0u);    // above U+10FFFF
  EXPECT_EQ(first_invalid_utf8("ok \xE2\x82"), 3u);         // truncated at the end
  EXPECT_EQ(first_invalid_utf8("\xC3\xA9\xC3("), 2u);       // a continuation byte missing
}

TEST(Utf8, MessageNamesLineColumnAndByte) {
  EXPECT_EQ(message_of("fine\nNode 0, zone N\xFEormal 1\n"), "f.txt:2:15: found byte 0xFE that is not UTF-8, expected UTF-8 text");
  EXPECT_EQ(message_of("\xFF"), "f.txt:1:1: found byte 0xFF that is not UTF-8, expected UTF-8 text");
  EXPECT_EQ(message_of("valid \xC3\xA9"), "");
  try {
    require_utf8_string("ab\xC3", "argument 2");
    FAIL() << "no exception";
  } catch (const InputError& e) {
    EXPECT_EQ(e.lines().at(0), "argument 2: found byte 0xC3 at byte 3 that is not UTF-8, expected UTF-8 text");
  }
}

}  // namespace
}  // namespace gm
