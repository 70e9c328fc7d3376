#include "sim/scenario/strict_json.h"

#include <fstream>
#include <set>
#include <sstream>
#include <system_error>

#include "models/utf8.h"

namespace gm {
namespace {

// Builds the document while tracking where the parser is (for JSON paths), the keys seen in each open object
// and the depth. A SAX handler rather than json::parse's callback, whose end_object rescans the parent array
// for discarded values and so is quadratic in the length of arrays of objects (nlohmann 3.11).
class StrictSax {
 public:
  using json = nlohmann::json;
  using number_integer_t = json::number_integer_t;
  using number_unsigned_t = json::number_unsigned_t;
  using number_float_t = json::number_float_t;
  using string_t = json::string_t;
  using binary_t = json::binary_t;

  StrictSax(std::string_view text, std::string name, int max_depth, std::vector<std::string>& errors)
      : text_(text), name_(std::move(name)), max_depth_(max_depth), errors_(errors) {}

  json& root() { return root_; }

  bool null() { return put(json(nullptr)); }
  bool boolean(bool v) { return put(json(v)); }
  bool number_integer(number_integer_t v) { return put(json(v)); }
  bool number_unsigned(number_unsigned_t v) { return put(json(v)); }
  bool number_float(number_float_t v, const string_t&) { return put(json(v)); }
  bool string(string_t& v) { return put(json(std::move(v))); }
  bool binary(binary_t& v) { return put(json::binary(std::move(v))); }
  bool start_object(std::size_t) { return open(json::object(), false); }
  bool start_array(std::size_t) { return open(json::array(), true); }
  bool end_object() { return close(); }
  bool end_array() { return close(); }

  bool key(string_t& k) {
    auto& f = frames_.back();
    f.key = k;
    if (!f.keys.insert(k).second)
      errors_.push_back(name_ + ": " + raw_path() + "/" + pointer_segment(k) + ": found duplicate key \"" + k +
                        "\", expected each key once per object");
    return true;
  }

  bool parse_error(std::size_t position, const std::string& last_token, const nlohmann::detail::exception& ex) {
    std::string what = ex.what();
    std::size_t offset = position == 0 ? 0 : position - 1;  // `position` counts the characters read
    std::string detail;
    if (ex.id == 406) {  // number overflow ("1e400"): point at the start of the literal
      offset = position >= last_token.size() ? position - last_token.size() : 0;
      detail = "found the number " + last_token + ", expected a number a double can hold (finite)";
    } else {
      auto colon = what.find(": ", what.find("parse error"));
      detail = colon == std::string::npos ? what : what.substr(colon + 2);
      if (position > text_.size()) detail = "found the end of the file (truncated?), " + detail;
    }
    auto [l, c] = line_col(text_, offset);
    errors_.push_back(name_ + ":" + std::to_string(l) + ":" + std::to_string(c) + ": " + detail);
    return false;
  }

 private:
  struct Frame {
    bool is_array;
    std::string segment;
    std::string key;
    std::set<std::string> keys;
    std::size_t count;
  };

  // Stores a value in the open container (or as the root) and returns where it now lives.
  json* store(json v) {
    if (stack_.empty()) {
      root_ = std::move(v);
      return &root_;
    }
    json& top = *stack_.back();
    if (top.is_array()) {
      top.push_back(std::move(v));
      return &top.back();
    }
    json& slot = top[frames_.back().key];
    slot = std::move(v);
    return &slot;
  }
  bool put(json v) {
    if (!frames_.empty() && frames_.back().is_array) ++frames_.back().count;
    store(std::move(v));
    return true;
  }
  bool open(json container, bool is_array) {
    std::string seg;
    if (!frames_.empty()) seg = frames_.back().is_array ? std::to_string(frames_.back().count++)
                                                        : pointer_segment(frames_.back().key);
    stack_.push_back(store(std::move(container)));
    frames_.push_back({is_array, std::move(seg), {}, {}, 0});
    if (static_cast<int>(frames_.size()) > max_depth_) {
      errors_.push_back(name_ + ": " + short_path() + ": found nesting deeper than " + std::to_string(max_depth_) +
                        " levels, expected at most " + std::to_string(max_depth_) + " (the nesting limit)");
      return false;  // stops the parser
    }
    return true;
  }
  bool close() {
    stack_.pop_back();
    frames_.pop_back();
    return true;
  }
  std::string raw_path() const {  // "" for the root
    std::string p;
    for (std::size_t i = 1; i < frames_.size(); ++i) p += "/" + frames_[i].segment;
    return p;
  }
  std::string short_path() const {  // the first 8 levels, for the nesting-limit message
    std::string p;
    for (std::size_t i = 1; i < frames_.size() && i <= 8; ++i) p += "/" + frames_[i].segment;
    if (frames_.size() > 9) return p + "/...";
    return p.empty() ? "/" : p;
  }

  std::string_view text_;
  std::string name_;
  int max_depth_;
  std::vector<std::string>& errors_;
  json root_;
  std::vector<json*> stack_;  // open containers, outermost first (pointers stay valid: only the top grows)
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
  StrictSax sax(text, name, max_depth, errors);
  bool ok = nlohmann::json::sax_parse(text, &sax, nlohmann::json::input_format_t::json, true, false);
  if (!ok || errors.size() != before) return std::nullopt;
  return std::move(sax.root());
}

}  // namespace gm
