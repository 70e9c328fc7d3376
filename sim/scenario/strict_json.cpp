#include "sim/scenario/strict_json.h"

#include <fstream>
#include <set>
#include <sstream>
#include <system_error>

namespace gm {
namespace {

// Offset of the first byte that breaks UTF-8 (RFC 3629: no overlongs, no surrogates, <= U+10FFFF).
std::optional<std::size_t> first_invalid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = 0;
    unsigned lo = 0x80, hi = 0xBF;
    if (c < 0x80) { ++i; continue; }
    if (c >= 0xC2 && c <= 0xDF) n = 1;
    else if (c == 0xE0) n = 2, lo = 0xA0;
    else if (c == 0xED) n = 2, hi = 0x9F;
    else if (c >= 0xE1 && c <= 0xEF) n = 2;
    else if (c == 0xF0) n = 3, lo = 0x90;
    else if (c >= 0xF1 && c <= 0xF3) n = 3;
    else if (c == 0xF4) n = 3, hi = 0x8F;
    else return i;
    for (std::size_t k = 1; k <= n; ++k) {
      if (i + k >= s.size()) return i;
      auto d = static_cast<unsigned char>(s[i + k]);
      unsigned l = k == 1 ? lo : 0x80, h = k == 1 ? hi : 0xBF;
      if (d < l || d > h) return i;
    }
    i += n + 1;
  }
  return std::nullopt;
}

std::string hex_byte(unsigned char c) {
  static const char* digits = "0123456789ABCDEF";
  return std::string("0x") + digits[c >> 4] + digits[c & 15];
}

// Thrown from the parser callback to stop at the nesting limit.
struct TooDeep {};

// Tracks where the parser is (for JSON paths) and the keys seen in each open object.
class Tracker {
 public:
  Tracker(std::string_view name, int max_depth, std::vector<std::string>& errors)
      : name_(name), max_depth_(max_depth), errors_(errors) {}

  bool on_event(nlohmann::json::parse_event_t event, const nlohmann::json& parsed) {
    using E = nlohmann::json::parse_event_t;
    switch (event) {
      case E::object_start:
      case E::array_start: {
        std::string seg = next_segment();
        frames_.push_back({event == E::array_start, seg, {}, {}, 0});
        if (static_cast<int>(frames_.size()) > max_depth_) {
          errors_.push_back(name_ + ": " + short_path() + ": found nesting deeper than " + std::to_string(max_depth_) +
                            " levels, expected at most " + std::to_string(max_depth_) + " (the nesting limit)");
          throw TooDeep{};
        }
        break;
      }
      case E::object_end:
      case E::array_end:
        if (!frames_.empty()) frames_.pop_back();
        break;
      case E::key: {
        auto& f = frames_.back();
        f.key = parsed.get<std::string>();
        if (!f.keys.insert(f.key).second)
          errors_.push_back(name_ + ": " + raw_path() + "/" + pointer_segment(f.key) + ": found duplicate key \"" +
                            f.key + "\", expected each key once per object");
        break;
      }
      case E::value:
        if (!frames_.empty() && frames_.back().is_array) ++frames_.back().count;
        break;
    }
    return true;
  }

 private:
  struct Frame {
    bool is_array;
    std::string segment;
    std::string key;
    std::set<std::string> keys;
    std::size_t count;
  };
  std::string next_segment() {
    if (frames_.empty()) return {};
    auto& f = frames_.back();
    if (f.is_array) return std::to_string(f.count++);
    return pointer_segment(f.key);
  }
  std::string raw_path() const {  // "" for the root
    std::string p;
    for (std::size_t i = 1; i < frames_.size(); ++i) p += "/" + frames_[i].segment;
    return p;
  }
  std::string path() const { return frames_.size() <= 1 ? "/" : raw_path(); }
  std::string short_path() const {  // the first 8 levels, for the nesting-limit message
    std::string p;
    for (std::size_t i = 1; i < frames_.size() && i <= 8; ++i) p += "/" + frames_[i].segment;
    return frames_.size() > 9 ? p + "/..." : path();
  }
  std::string name_;
  int max_depth_;
  std::vector<std::string>& errors_;
  std::vector<Frame> frames_;
};

}  // namespace

std::pair<std::size_t, std::size_t> line_col(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  std::size_t line = 1, col = 1;
  for (std::size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++line;
      col = 1;
    } else {
      ++col;
    }
  }
  return {line, col};
}

std::string pointer_segment(std::string_view key) {
  std::string out;
  for (char c : key) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

std::optional<std::string> read_input_file(const std::filesystem::path& path, std::string_view display_name,
                                           std::uint64_t limit, std::vector<std::string>& errors) {
  std::string name(display_name);
  std::error_code ec;
  auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status)) {
    errors.push_back(name + ": found no such file, expected a readable file");
    return std::nullopt;
  }
  if (!std::filesystem::is_regular_file(status)) {
    errors.push_back(name + ": found a directory or special file, expected a regular file");
    return std::nullopt;
  }
  auto size = std::filesystem::file_size(path, ec);
  if (!ec && size > limit) {
    errors.push_back(name + ": found " + std::to_string(size) + " bytes, expected at most " + std::to_string(limit) +
                     " bytes (the input size limit)");
    return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    errors.push_back(name + ": found an unreadable file, expected read permission");
    return std::nullopt;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  if (text.size() > limit) {  // grew while reading, or a file without a size (a pipe)
    errors.push_back(name + ": found more than " + std::to_string(limit) + " bytes, expected at most " +
                     std::to_string(limit) + " bytes (the input size limit)");
    return std::nullopt;
  }
  return text;
}

std::optional<nlohmann::json> parse_strict_json(std::string_view text, std::string_view display_name,
                                                int max_depth, std::vector<std::string>& errors) {
  std::string name(display_name);
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    errors.push_back(name + ":1:1: found an empty file, expected a JSON object");
    return std::nullopt;
  }
  if (auto nul = text.find('\0'); nul != std::string_view::npos) {
    auto [l, c] = line_col(text, nul);
    errors.push_back(name + ":" + std::to_string(l) + ":" + std::to_string(c) +
                     ": found binary content (a NUL byte), expected UTF-8 JSON text");
    return std::nullopt;
  }
  if (auto bad = first_invalid_utf8(text)) {
    auto [l, c] = line_col(text, *bad);
    errors.push_back(name + ":" + std::to_string(l) + ":" + std::to_string(c) + ": found byte " +
                     hex_byte(static_cast<unsigned char>(text[*bad])) + " that is not UTF-8, expected UTF-8 JSON text");
    return std::nullopt;
  }
  const std::size_t before = errors.size();
  Tracker tracker(name, max_depth, errors);
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(
        text, [&](int, nlohmann::json::parse_event_t ev, nlohmann::json& parsed) { return tracker.on_event(ev, parsed); },
        true, false);
  } catch (const TooDeep&) {
    return std::nullopt;
  } catch (const nlohmann::json::out_of_range& e) {
    // Number overflow ("1e400"): the exception carries no offset, so find the literal outside strings.
    std::string what = e.what();
    auto q1 = what.find('\''), q2 = what.rfind('\'');
    std::string token = q1 != std::string::npos && q2 > q1 ? what.substr(q1 + 1, q2 - q1 - 1) : std::string();
    std::size_t at = 0;
    bool in_string = false;
    for (std::size_t i = 0; i < text.size() && !token.empty(); ++i) {
      if (text[i] == '"' && (i == 0 || text[i - 1] != '\\')) in_string = !in_string;
      if (!in_string && text.compare(i, token.size(), token) == 0) {
        at = i;
        break;
      }
    }
    auto [l, c] = line_col(text, at);
    errors.push_back(name + ":" + std::to_string(l) + ":" + std::to_string(c) + ": found the number " + token +
                     ", expected a number a double can hold (finite)");
    return std::nullopt;
  } catch (const nlohmann::json::parse_error& e) {
    // e.byte counts the characters read, so the offending one is at offset byte - 1.
    auto [l, c] = line_col(text, e.byte == 0 ? 0 : e.byte - 1);
    std::string what = e.what();
    auto colon = what.find(": ", what.find("parse error"));
    std::string detail = colon == std::string::npos ? what : what.substr(colon + 2);
    if (e.byte > text.size()) detail = "found the end of the file (truncated?), " + detail;
    errors.push_back(name + ":" + std::to_string(l) + ":" + std::to_string(c) + ": " + detail);
    return std::nullopt;
  }
  if (errors.size() != before) return std::nullopt;
  return doc;
}

}  // namespace gm
