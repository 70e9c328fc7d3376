#include "models/kconfig_expr.h"

#include <cctype>
#include <charconv>

namespace gm {
namespace {

bool is_word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// y/m/n written bare are constants in Kconfig (scripts/kconfig/symbol.c@v6.12 symbol_yes/mod/no).
std::optional<Tristate> constant_tristate(const KExpr& e) {
  if (e.op != KExpr::Op::symbol) return std::nullopt;
  return parse_tristate(e.name);
}

std::optional<long long> as_number(std::string_view s) {
  if (s.empty()) return std::nullopt;
  long long v = 0;
  int base = 10;
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) s.remove_prefix(2), base = 16;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v, base);
  if (ec != std::errc{} || p != s.data() + s.size()) return std::nullopt;
  return v;
}

bool is_constant(const KExpr& e) { return e.quoted || parse_tristate(e.name) || as_number(e.name); }

// Recursive-descent parser over one line; precedence as scripts/kconfig/parser.y@v6.12:
// || < && < (= !=) < !.
class Parser {
 public:
  Parser(std::string_view t, std::size_t pos) : t_(t), pos_(pos) {}

  KExprPtr parse(std::string& error) {
    auto e = parse_or();
    if (!e) error = error_;
    return e;
  }
  std::size_t pos() const { return pos_; }

 private:
  void skip_space() {
    while (pos_ < t_.size() && (t_[pos_] == ' ' || t_[pos_] == '\t')) ++pos_;
  }
  bool at_end() {
    skip_space();
    return pos_ >= t_.size() || t_[pos_] == '#' || peek_keyword_if();
  }
  bool peek_keyword_if() const {
    return t_.substr(pos_, 2) == "if" && (pos_ + 2 >= t_.size() || !is_word_char(t_[pos_ + 2]));
  }
  bool take(std::string_view op) {
    skip_space();
    if (t_.substr(pos_, op.size()) != op) return false;
    pos_ += op.size();
    return true;
  }
  KExprPtr fail(std::string what) {
    if (error_.empty()) {
      skip_space();
      std::string found = pos_ >= t_.size() ? "end of line" : "'" + std::string(1, t_[pos_]) + "'";
      if (pos_ < t_.size() && is_word_char(t_[pos_])) {
        std::size_t e = pos_;
        while (e < t_.size() && is_word_char(t_[e])) ++e;
        found = "'" + std::string(t_.substr(pos_, e - pos_)) + "'";
      }
      error_ = "found " + found + ", expected " + what;
      error_pos_ = pos_;
    }
    pos_ = error_pos_;
    return nullptr;
  }

  KExprPtr parse_or() {
    auto l = parse_and();
    while (l && take("||")) {
      auto r = parse_and();
      if (!r) return nullptr;
      l = kexpr_or(l, r);
    }
    return l;
  }
  KExprPtr parse_and() {
    auto l = parse_unary();
    while (l && take("&&")) {
      auto r = parse_unary();
      if (!r) return nullptr;
      l = kexpr_and(l, r);
    }
    return l;
  }
  KExprPtr parse_unary() {
    skip_space();
    if (t_.substr(pos_, 2) != "!=" && take("!")) {
      auto a = parse_unary();
      return a ? kexpr_not(a) : nullptr;
    }
    if (take("(")) {
      auto e = parse_or();
      if (!e) return nullptr;
      if (!take(")")) return fail("')'");
      return e;
    }
    auto l = parse_operand();
    if (!l) return nullptr;
    skip_space();
    for (auto [tok, op] : {std::pair{"!=", KExpr::Op::unequal}, std::pair{"=", KExpr::Op::equal}}) {
      if (take(tok)) {
        auto r = parse_operand();
        if (!r) return nullptr;
        auto e = std::make_shared<KExpr>();
        e->op = op, e->a = l, e->b = r;
        return e;
      }
    }
    if (pos_ < t_.size() && (t_[pos_] == '<' || t_[pos_] == '>'))
      return fail("'&&', '||', '=', '!=' or ')' (relational operators are not supported)");
    return l;
  }
  KExprPtr parse_operand() {
    if (at_end()) return fail("a symbol or constant");
    if (t_[pos_] == '"' || t_[pos_] == '\'') {
      char q = t_[pos_];
      std::size_t e = t_.find(q, pos_ + 1);
      if (e == std::string_view::npos) return fail("a closing quote");
      auto s = kexpr_symbol(std::string(t_.substr(pos_ + 1, e - pos_ - 1)), true);
      pos_ = e + 1;
      return s;
    }
    std::size_t e = pos_;
    while (e < t_.size() && is_word_char(t_[e])) ++e;
    if (e == pos_) return fail("a symbol or constant");
    auto s = kexpr_symbol(std::string(t_.substr(pos_, e - pos_)));
    pos_ = e;
    return s;
  }

  std::string_view t_;
  std::size_t pos_;
  std::string error_;
  std::size_t error_pos_ = 0;
};

int precedence(const KExpr& e) {
  switch (e.op) {
    case KExpr::Op::or_:
      return 1;
    case KExpr::Op::and_:
      return 2;
    case KExpr::Op::equal:
    case KExpr::Op::unequal:
      return 3;
    case KExpr::Op::not_:
      return 4;
    case KExpr::Op::symbol:
      return 5;
  }
  return 5;
}

}  // namespace

std::optional<Tristate> parse_tristate(std::string_view s) {
  if (s == "y") return Tristate::y;
  if (s == "m") return Tristate::m;
  if (s == "n") return Tristate::n;
  return std::nullopt;
}

KExprPtr kexpr_symbol(std::string name, bool quoted) {
  auto e = std::make_shared<KExpr>();
  e->name = std::move(name), e->quoted = quoted;
  return e;
}
KExprPtr kexpr_not(KExprPtr a) {
  auto e = std::make_shared<KExpr>();
  e->op = KExpr::Op::not_, e->a = std::move(a);
  return e;
}
KExprPtr kexpr_and(KExprPtr a, KExprPtr b) {
  if (!a) return b;
  if (!b) return a;
  auto e = std::make_shared<KExpr>();
  e->op = KExpr::Op::and_, e->a = std::move(a), e->b = std::move(b);
  return e;
}
KExprPtr kexpr_or(KExprPtr a, KExprPtr b) {
  if (!a || !b) return nullptr;  // y || x = y
  auto e = std::make_shared<KExpr>();
  e->op = KExpr::Op::or_, e->a = std::move(a), e->b = std::move(b);
  return e;
}

std::string kexpr_text(const KExprPtr& e, const KLookup& lookup) {
  if (!e) return "y";
  if (e->op != KExpr::Op::symbol) return std::string(tri_name(kexpr_eval(e, lookup)));
  if (is_constant(*e)) return e->name;
  return lookup(e->name).text;
}

Tristate kexpr_eval(const KExprPtr& e, const KLookup& lookup) {
  if (!e) return Tristate::y;
  switch (e->op) {
    case KExpr::Op::symbol:
      if (auto t = constant_tristate(*e)) return *t;
      if (is_constant(*e)) return Tristate::n;
      return lookup(e->name).tri;
    case KExpr::Op::not_:
      return tri_not(kexpr_eval(e->a, lookup));
    case KExpr::Op::and_:
      return tri_and(kexpr_eval(e->a, lookup), kexpr_eval(e->b, lookup));
    case KExpr::Op::or_:
      return tri_or(kexpr_eval(e->a, lookup), kexpr_eval(e->b, lookup));
    case KExpr::Op::equal:
    case KExpr::Op::unequal: {
      std::string l = kexpr_text(e->a, lookup), r = kexpr_text(e->b, lookup);
      auto ln = as_number(l), rn = as_number(r);
      bool eq = (ln && rn) ? *ln == *rn : l == r;
      return eq == (e->op == KExpr::Op::equal) ? Tristate::y : Tristate::n;
    }
  }
  return Tristate::n;
}

std::string kexpr_str(const KExprPtr& e, const KLookup* annotate) {
  if (!e) return "y";
  auto child = [&](const KExprPtr& c, int min_prec) {
    std::string s = kexpr_str(c, annotate);
    return precedence(*c) < min_prec ? "(" + s + ")" : s;
  };
  switch (e->op) {
    case KExpr::Op::symbol:
      if (e->quoted) return "\"" + e->name + "\"";
      if (annotate && !is_constant(*e)) return e->name + " [=" + ((*annotate)(e->name).text) + "]";
      return e->name;
    case KExpr::Op::not_:
      return "!" + child(e->a, 4);
    case KExpr::Op::and_:
      return child(e->a, 2) + " && " + child(e->b, 2);
    case KExpr::Op::or_:
      return child(e->a, 1) + " || " + child(e->b, 1);
    case KExpr::Op::equal:
      return child(e->a, 4) + " = " + child(e->b, 4);
    case KExpr::Op::unequal:
      return child(e->a, 4) + " != " + child(e->b, 4);
  }
  return "?";
}

KExprPtr parse_kconfig_expr(std::string_view text, std::size_t& pos, std::string& error) {
  Parser p(text, pos);
  auto e = p.parse(error);
  pos = p.pos();
  return e;
}

}  // namespace gm
