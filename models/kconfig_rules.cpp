#include "models/kconfig_rules.h"

#include <cctype>

namespace gm {
namespace {

bool is_word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// One logical line (continuations joined) with a cursor and error reporting.
struct Line {
  std::string_view file;
  int number = 0;
  std::string text;
  std::size_t pos = 0;

  void skip_space() {
    while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\t')) ++pos;
  }
  bool at_end() {
    skip_space();
    return pos >= text.size() || text[pos] == '#';
  }
  std::string found() {
    skip_space();
    if (pos >= text.size() || text[pos] == '#') return "end of line";
    std::size_t e = pos;
    while (e < text.size() && is_word_char(text[e])) ++e;
    return "'" + text.substr(pos, e > pos ? e - pos : 1) + "'";
  }
  std::string error(const std::string& message) const {
    return std::string(file) + ":" + std::to_string(number) + ":" + std::to_string(pos + 1) + ": " + message;
  }
  std::string expected(const std::string& what) { return error("found " + found() + ", expected " + what); }
  std::string word() {
    skip_space();
    std::size_t b = pos;
    while (pos < text.size() && is_word_char(text[pos])) ++pos;
    return text.substr(b, pos - b);
  }
  bool take_word(std::string_view w) {
    skip_space();
    std::size_t save = pos;
    if (word() == w) return true;
    pos = save;
    return false;
  }
  std::optional<std::string> quoted() {
    skip_space();
    if (pos >= text.size() || (text[pos] != '"' && text[pos] != '\'')) return std::nullopt;
    std::size_t e = text.find(text[pos], pos + 1);
    if (e == std::string::npos) return std::nullopt;
    std::string s = text.substr(pos + 1, e - pos - 1);
    pos = e + 1;
    return s;
  }
};

int indent_of(std::string_view s) {
  int col = 0;
  for (char c : s) {
    if (c == ' ')
      ++col;
    else if (c == '\t')
      col = (col / 8 + 1) * 8;
    else
      break;
  }
  return col;
}

bool blank(std::string_view s) { return s.find_first_not_of(" \t\r") == std::string_view::npos; }

}  // namespace

const KSymbolDef* KconfigRules::find(std::string_view name) const {
  auto it = index_.find(name);
  return it == index_.end() ? nullptr : &symbols_[it->second];
}

const std::vector<KReverseDep>& KconfigRules::selected_by(std::string_view name) const {
  static const std::vector<KReverseDep> none;
  auto it = reverse_.find(name);
  return it == reverse_.end() ? none : it->second;
}

std::optional<std::string> KconfigRules::add_file(std::string_view file_name, std::string_view text) {
  files_.emplace_back(file_name);
  struct Block {
    bool is_menu;
    KExprPtr dep;
  };
  std::vector<Block> blocks;
  enum class State { none, entry, menu_header, comment } state = State::none;
  KSymbolDef cur;
  KExprPtr own_deps;
  bool typed = false;
  int help_indent = -1;  // >= 0 while skipping a help text; 0 until its first line is seen
  bool in_help = false;

  auto block_deps = [&] {
    KExprPtr d;
    for (const auto& b : blocks) d = kexpr_and(d, b.dep);
    return d;
  };
  // Ends the entry being read: its symbol joins the table (scripts/kconfig/menu.c menu_finalize()).
  // Problems of a whole entry are reported at its `config` line (cur.origin is "FILE:LINE").
  auto finish = [&]() -> std::optional<std::string> {
    if (state == State::entry) {
      if (!typed) return cur.origin + ":1: symbol " + cur.name + " has no type (bool, tristate, int, def_bool)";
      if (auto* prev = find(cur.name))
        return cur.origin + ":1: symbol " + cur.name + " is defined twice (first at " + prev->origin + ")";
      cur.depends = kexpr_and(block_deps(), own_deps);
      for (const auto& s : cur.selects) reverse_[s.target].push_back({cur.name, kexpr_and(s.cond, cur.depends)});
      index_[cur.name] = symbols_.size();
      symbols_.push_back(std::move(cur));
    }
    cur = KSymbolDef{};
    own_deps = nullptr;
    typed = false;
    state = State::none;
    return std::nullopt;
  };
  auto parse_expr = [&](Line& l, KExprPtr& out) -> std::optional<std::string> {
    std::string err;
    std::size_t p = l.pos;
    out = parse_kconfig_expr(l.text, p, err);
    l.pos = p;
    if (!out) return l.error(err);
    return std::nullopt;
  };
  // Optional trailing `if COND`, then nothing but a comment.
  auto parse_if_tail = [&](Line& l, KExprPtr& cond) -> std::optional<std::string> {
    if (l.take_word("if"))
      if (auto e = parse_expr(l, cond)) return e;
    if (!l.at_end()) return l.expected("'if' or end of line");
    return std::nullopt;
  };

  int number = 0;
  std::size_t at = 0;
  while (at <= text.size()) {
    std::size_t nl = text.find('\n', at);
    if (nl == std::string_view::npos) nl = text.size();
    std::string raw(text.substr(at, nl - at));
    at = nl + 1;
    ++number;
    Line l{file_name, number, raw, 0};
    while (!l.text.empty() && l.text.back() == '\\' && at <= text.size()) {  // continuation lines
      std::size_t nl2 = text.find('\n', at);
      if (nl2 == std::string_view::npos) nl2 = text.size();
      l.text.pop_back();
      l.text += " " + std::string(text.substr(at, nl2 - at));
      at = nl2 + 1;
      ++number;
    }
    if (!l.text.empty() && l.text.back() == '\r') l.text.pop_back();

    if (in_help) {  // help text: every line indented deeper than the first help line, or blank
      if (blank(l.text)) continue;
      int ind = indent_of(l.text);
      if (help_indent < 0) help_indent = ind;
      if (ind >= help_indent && ind > 0) continue;
      in_help = false;
    }
    if (l.at_end()) continue;

    std::size_t kw_pos = l.pos;
    std::string kw = l.word();
    if (kw.empty()) return l.expected("a keyword");

    if (kw == "config" || kw == "menuconfig") {
      if (auto e = finish()) return e;
      std::string name = l.word();
      if (name.empty()) return l.expected("a symbol name");
      if (!l.at_end()) return l.expected("end of line");
      state = State::entry;
      cur.name = name;
      cur.origin = std::string(file_name) + ":" + std::to_string(number);
    } else if (kw == "menu" || kw == "comment") {
      if (auto e = finish()) return e;
      if (!l.quoted()) return l.expected("a quoted title");
      if (!l.at_end()) return l.expected("end of line");
      if (kw == "menu") blocks.push_back({true, nullptr});
      state = kw == "menu" ? State::menu_header : State::comment;
    } else if (kw == "endmenu" || kw == "endif") {
      if (auto e = finish()) return e;
      bool menu = kw == "endmenu";
      if (blocks.empty() || blocks.back().is_menu != menu) {
        l.pos = kw_pos;
        return l.expected(blocks.empty()          ? "'config', 'menu' or 'if'"
                          : blocks.back().is_menu ? "'endmenu'"
                                                  : "'endif'");
      }
      blocks.pop_back();
    } else if (kw == "if") {
      if (auto e = finish()) return e;
      KExprPtr cond;
      if (auto e = parse_expr(l, cond)) return e;
      if (!l.at_end()) return l.expected("end of line");
      blocks.push_back({false, cond});
    } else if (kw == "depends") {
      if (!l.take_word("on")) return l.expected("'on'");
      KExprPtr d;
      if (auto e = parse_expr(l, d)) return e;
      if (!l.at_end()) return l.expected("end of line");
      if (state == State::entry)
        own_deps = kexpr_and(own_deps, d);
      else if (state == State::menu_header)
        blocks.back().dep = kexpr_and(blocks.back().dep, d);
      else if (state == State::none)
        return (l.pos = kw_pos, l.expected("'config' before 'depends on'"));
    } else if (state != State::entry) {
      l.pos = kw_pos;
      return l.expected("'config', 'menu', 'if', 'comment' or 'endmenu' (unsupported keywords: source, choice, imply)");
    } else if (kw == "bool" || kw == "tristate" || kw == "int" || kw == "def_bool" || kw == "def_tristate") {
      typed = true;
      cur.type = (kw == "int")                                ? KSymType::integer
                 : (kw == "tristate" || kw == "def_tristate") ? KSymType::tristate
                                                              : KSymType::boolean;
      if (kw.rfind("def_", 0) == 0) {
        KDefault d;
        if (auto e = parse_expr(l, d.value)) return e;
        if (auto e = parse_if_tail(l, d.cond)) return e;
        cur.defaults.push_back(std::move(d));
      } else if (auto p = l.quoted()) {
        cur.has_prompt = true;
        if (auto e = parse_if_tail(l, cur.prompt_cond)) return e;
      } else if (!l.at_end()) {
        return l.expected("a quoted prompt or end of line");
      }
    } else if (kw == "prompt") {
      if (!l.quoted()) return l.expected("a quoted prompt");
      cur.has_prompt = true;
      if (auto e = parse_if_tail(l, cur.prompt_cond)) return e;
    } else if (kw == "default") {
      KDefault d;
      if (auto e = parse_expr(l, d.value)) return e;
      if (auto e = parse_if_tail(l, d.cond)) return e;
      cur.defaults.push_back(std::move(d));
    } else if (kw == "select") {
      KSelect s;
      s.target = l.word();
      if (s.target.empty()) return l.expected("a symbol name");
      if (auto e = parse_if_tail(l, s.cond)) return e;
      cur.selects.push_back(std::move(s));
    } else if (kw == "range") {
      KRange r;
      r.lo = l.word();
      r.hi = l.word();
      if (r.lo.empty() || r.hi.empty()) return l.expected("two bounds");
      if (auto e = parse_if_tail(l, r.cond)) return e;
      cur.ranges.push_back(std::move(r));
    } else if (kw == "help") {
      in_help = true;
      help_indent = -1;
    } else {
      l.pos = kw_pos;
      return l.expected(
          "a config property (bool, tristate, int, def_bool, prompt, depends, select, default, range, "
          "help)");
    }
  }
  Line end{file_name, number, "", 0};
  if (auto e = finish()) return e;
  if (!blocks.empty()) return end.expected(blocks.back().is_menu ? "'endmenu'" : "'endif'");
  return std::nullopt;
}

KConfigFragment parse_config_fragment(std::string_view file_name, std::string_view text) {
  KConfigFragment out;
  int number = 0;
  std::size_t at = 0;
  while (at <= text.size()) {
    std::size_t nl = text.find('\n', at);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(at, nl - at);
    at = nl + 1;
    ++number;
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
    auto err = [&](std::string what) {
      out.error = std::string(file_name) + ":" + std::to_string(number) + ":1: found '" + std::string(line) +
                  "', expected " + what;
      return out;
    };
    if (line.empty()) continue;
    if (line.front() == '#') {  // "# CONFIG_FOO is not set" sets n; any other comment is ignored
      constexpr std::string_view pre = "# CONFIG_", post = " is not set";
      if (line.size() > pre.size() + post.size() && line.substr(0, pre.size()) == pre &&
          line.substr(line.size() - post.size()) == post) {
        out.values.emplace_back(std::string(line.substr(pre.size(), line.size() - pre.size() - post.size())), "n");
        out.lines.push_back(number);
      }
      continue;
    }
    if (line.substr(0, 7) != "CONFIG_") return err("CONFIG_NAME=VALUE or '# CONFIG_NAME is not set'");
    auto eq = line.find('=');
    if (eq == std::string_view::npos || eq == 7) return err("CONFIG_NAME=VALUE");
    std::string_view name = line.substr(7, eq - 7), value = line.substr(eq + 1);
    for (char c : name)
      if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_'))
        return err("a symbol name of letters, digits and '_' before '='");
    if (value.empty()) return err("a value after '=' (y, m, a number or a \"string\")");
    if (value.front() == '"' && (value.size() < 2 || value.back() != '"'))
      return err("a string value closed by '\"'");
    out.values.emplace_back(std::string(name), std::string(value));
    out.lines.push_back(number);
  }
  return out;
}

}  // namespace gm
