#include "models/kconfig.h"

#include "models/edit_distance.h"

#include <algorithm>
#include <charconv>

namespace gm {
namespace {

std::optional<long long> to_number(std::string_view s) {
  long long v = 0;
  int base = 10;
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) s.remove_prefix(2), base = 16;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v, base);
  if (s.empty() || ec != std::errc{} || p != s.data() + s.size()) return std::nullopt;
  return v;
}

// Symbols only an arch/<arch>/Kconfig defines: when undefined, the arch is the reason.
bool is_arch_symbol(std::string_view n) {
  for (std::string_view a : {"X86", "X86_32", "X86_64", "ARM", "ARM64", "RISCV", "64BIT", "XEN"})
    if (n == a) return true;
  return false;
}

}  // namespace

std::string KValue::text() const {
  if (type == KSymType::integer) return number ? std::to_string(*number) : "n";
  return std::string(tri_name(tri));
}

Kconfig::Kconfig(const KconfigRules& rules, std::map<std::string, KUserValue, std::less<>> user,
                 std::map<std::string, std::string, std::less<>> pinned)
    : rules_(rules), user_(std::move(user)), pinned_(std::move(pinned)) {}

bool Kconfig::defined(std::string_view name) const { return rules_.find(name) != nullptr; }

KValue Kconfig::value(std::string_view name) const {
  if (!rules_.find(name)) return KValue{};
  return calc(name);
}

KSymbolView Kconfig::view(std::string_view name) const {
  if (auto p = pinned_.find(name); p != pinned_.end()) return {Tristate::n, p->second};
  if (!rules_.find(name)) return {Tristate::n, "n"};
  const KValue& v = calc(name);
  if (v.type == KSymType::integer) return {Tristate::n, v.number ? std::to_string(*v.number) : ""};
  return {v.tri, std::string(tri_name(v.tri))};
}

Tristate Kconfig::eval(const KExprPtr& e) const {
  return kexpr_eval(e, [this](std::string_view n) { return view(n); });
}

std::string Kconfig::annotated(const KExprPtr& e) const {
  KLookup look = [this](std::string_view n) { return view(n); };
  return kexpr_str(e, &look);
}

const KValue& Kconfig::calc(std::string_view name) const {
  auto it = state_.find(name);
  if (it == state_.end()) it = state_.emplace(std::string(name), State{}).first;
  State& s = it->second;
  if (s.done) return s.v;
  if (s.busy) {  // Kconfig refuses such rules ("recursive dependency detected"); read n meanwhile
    if (std::find(recursive_.begin(), recursive_.end(), name) == recursive_.end()) recursive_.emplace_back(name);
    return s.v;
  }
  s.busy = true;
  const KSymbolDef* d = rules_.find(name);
  s.v.type = d->type;
  compute(*d, s);
  s.busy = false;
  s.done = true;
  return s.v;
}

std::optional<Tristate> Kconfig::user_tri(const KSymbolDef& d) const {
  auto u = user_.find(d.name);
  if (u == user_.end()) return std::nullopt;
  auto t = parse_tristate(u->second.value);
  if (!t || (*t == Tristate::m && d.type != KSymType::tristate)) return std::nullopt;  // invalid: ignored
  return t;
}

Tristate Kconfig::rev_dep(const KSymbolDef& d) const {
  Tristate r = Tristate::n;
  for (const auto& sel : rules_.selected_by(d.name)) r = tri_or(r, tri_and(calc(sel.selector).tri, eval(sel.cond)));
  return r;
}

// scripts/kconfig/symbol.c@v6.12 sym_calc_visibility() + sym_calc_value(): a visible symbol takes the
// user value limited by its visibility, otherwise the first default whose condition (and the symbol's
// dependencies) hold; then `select` raises it to the reverse dependency even over unmet dependencies.
void Kconfig::compute(const KSymbolDef& d, State& s) const {
  s.dir = eval(d.depends);
  Tristate vis = d.has_prompt ? tri_and(eval(d.prompt_cond), s.dir) : Tristate::n;
  if (vis == Tristate::m && d.type != KSymType::tristate) vis = Tristate::y;
  auto u = user_.find(d.name);
  s.user_ignored_no_prompt = u != user_.end() && !d.has_prompt;

  if (d.type == KSymType::integer) {
    std::optional<long long> n;
    if (vis != Tristate::n && u != user_.end() && (n = to_number(u->second.value))) {
      s.source = Source::user;
    } else {
      n.reset();
      s.source = s.dir == Tristate::n ? Source::deps_unmet : Source::no_default;
      for (const auto& def : d.defaults) {
        if (tri_and(eval(def.cond), s.dir) == Tristate::n) continue;
        n = to_number(kexpr_text(def.value, [this](std::string_view x) { return view(x); }));
        s.used_default = &def;
        s.source = Source::default_value;
        break;
      }
    }
    for (const auto& r : d.ranges) {  // sym_validate_range(): the first active range clamps
      if (!n || tri_and(eval(r.cond), s.dir) == Tristate::n) continue;
      auto lo = to_number(r.lo), hi = to_number(r.hi);
      if (lo && *n < *lo) n = lo;
      if (hi && *n > *hi) n = hi;
      break;
    }
    s.v.number = n;
    return;
  }

  Tristate val = Tristate::n;
  auto ut = user_tri(d);
  if (vis != Tristate::n && ut) {
    val = tri_and(*ut, vis);
    s.source = Source::user;
  } else {
    s.source = (ut && d.has_prompt)   ? Source::user_invisible
               : s.dir == Tristate::n ? Source::deps_unmet
                                      : Source::no_default;
    for (const auto& def : d.defaults) {
      Tristate dv = tri_and(eval(def.cond), s.dir);
      if (dv == Tristate::n) continue;
      val = tri_and(eval(def.value), dv);
      s.used_default = &def;
      if (s.source != Source::user_invisible) s.source = Source::default_value;
      break;
    }
  }
  s.own = val;
  s.rev = rev_dep(d);
  if (s.dir < s.rev) unmet_.push_back(d.name);  // sym_warn_unmet_dep()
  val = tri_or(val, s.rev);
  if (val == Tristate::m && d.type == KSymType::boolean) val = Tristate::y;
  s.v.tri = val;
}

std::vector<std::pair<std::string, KValue>> Kconfig::all() const {
  std::vector<std::pair<std::string, KValue>> out;
  for (const auto& d : rules_.symbols()) out.emplace_back(d.name, calc(d.name));
  return out;
}

std::vector<std::string> Kconfig::warnings() const {
  all();
  std::vector<std::string> w;
  for (const auto& name : recursive_) w.push_back("recursive dependency detected for " + name + " (read as n)");
  for (const auto& name : unmet_) {
    const KSymbolDef* d = rules_.find(name);
    std::string line = "WARNING: unmet direct dependencies detected for " + name + ": depends on [" +
                       std::string(tri_name(eval(d->depends))) + "]: " + annotated(d->depends) + "; selected by [" +
                       std::string(tri_name(rev_dep(*d))) + "]:";
    for (const auto& sel : rules_.selected_by(name))
      if (tri_and(calc(sel.selector).tri, eval(sel.cond)) != Tristate::n)
        line += " " + sel.selector + " [=" + calc(sel.selector).text() + "]" +
                (sel.cond ? " && " + annotated(sel.cond) : std::string());
    w.push_back(line);
  }
  for (const auto& [name, u] : user_) {
    if (!u.warn) continue;
    const KSymbolDef* d = rules_.find(name);
    if (!d) {
      std::string best;
      std::size_t best_d = 3;
      for (const auto& s : rules_.symbols())
        if (auto dist = edit_distance(name, s.name); dist < best_d) best = s.name, best_d = dist;
      w.push_back(name + ": unknown symbol (" + u.origin + "), value ignored" +
                  (best.empty() ? "" : "; did you mean " + best + "?"));
      continue;
    }
    if (d->type == KSymType::integer ? !to_number(u.value).has_value() : !user_tri(*d).has_value()) {
      w.push_back("symbol value '" + u.value + "' invalid for " + name + " (" + std::string(ksym_type_name(d->type)) +
                  ", " + u.origin + ")");
      continue;
    }
    if (!d->has_prompt) {
      w.push_back(name + ": user value " + u.value + " (" + u.origin +
                  ") ignored: the symbol has no prompt; its value comes from defaults and selects");
      continue;
    }
    KValue v = calc(name);
    std::string got = v.text();
    bool same = d->type == KSymType::integer ? (v.number && to_number(u.value) == v.number) : got == u.value;
    if (!same)  // merge_config.sh: "Value requested ... not in final .config"
      w.push_back(name + ": value requested " + u.value + " (" + u.origin + "), actual value " + got);
  }
  return w;
}

std::vector<std::string> Kconfig::culprits(const KExprPtr& e, bool want_true) const {
  std::vector<std::string> out;
  if (!e) return out;
  auto add = [&](const std::vector<std::string>& v) { out.insert(out.end(), v.begin(), v.end()); };
  switch (e->op) {
    case KExpr::Op::symbol:
      if (!e->quoted && !parse_tristate(e->name) && !to_number(e->name)) out.push_back(e->name);
      break;
    case KExpr::Op::not_:
      add(culprits(e->a, !want_true));
      break;
    case KExpr::Op::and_:
    case KExpr::Op::or_: {
      bool conj = e->op == KExpr::Op::and_;
      for (const auto& c : {e->a, e->b}) {
        bool c_true = eval(c) != Tristate::n;
        // a true && is true because of all; a false && because of its false parts (dually for ||)
        if (conj == want_true || c_true == want_true) add(culprits(c, want_true));
      }
      break;
    }
    case KExpr::Op::equal:
    case KExpr::Op::unequal:
      add(culprits(e->a, true));
      add(culprits(e->b, true));
      break;
  }
  return out;
}

std::vector<std::string> Kconfig::explain(std::string_view name) const {
  std::vector<std::string> out;
  std::set<std::string, std::less<>> seen;
  explain_into(name, out, seen, 0);
  return out;
}

void Kconfig::explain_into(std::string_view name, std::vector<std::string>& out,
                           std::set<std::string, std::less<>>& seen, int depth) const {
  if (depth > 8 || !seen.emplace(name).second) return;
  std::string n(name);
  if (auto p = pinned_.find(name); p != pinned_.end()) {
    out.push_back(n + "=" + p->second + ": set by the build (make ARCH=" + p->second + ")");
    return;
  }
  const KSymbolDef* d = rules_.find(name);
  if (!d) {
    auto arch = pinned_.find("ARCH");
    if (is_arch_symbol(name) && arch != pinned_.end())
      out.push_back(n + "=n: arch is " + arch->second + " (" + n + " is not defined for " + arch->second + ")");
    else
      out.push_back(n + "=n: no such symbol in this kernel");
    return;
  }
  calc(name);
  const State& s = state_.find(name)->second;
  std::string head = n + "=" + s.v.text() + ": ";
  std::vector<std::string> next;
  auto dep_str = [&] { return "depends on " + annotated(d->depends); };
  auto user = user_.find(name);
  std::string user_str = user == user_.end() ? "" : user->second.value + " (" + user->second.origin + ")";

  if (s.v.type != KSymType::integer && s.rev > s.own) {
    std::string line = head + "selected by";
    for (const auto& sel : rules_.selected_by(name)) {
      if (tri_and(calc(sel.selector).tri, eval(sel.cond)) == Tristate::n) continue;
      line += " " + sel.selector + " [=" + calc(sel.selector).text() + "]";
      next.push_back(sel.selector);
    }
    if (s.dir < s.rev) line += ", despite unmet direct dependencies: " + dep_str();
    out.push_back(line);
  } else if (s.source == Source::user) {
    std::string line = head + "set to " + user_str;
    if (s.v.type != KSymType::integer && s.v.tri != parse_tristate(user->second.value))
      line += ", limited by " + dep_str();
    out.push_back(line);
  } else if (s.source == Source::user_invisible || s.source == Source::deps_unmet) {
    std::string line = head + (s.source == Source::user_invisible ? "set to " + user_str + ", but " : "") + dep_str();
    if (d->has_prompt && d->prompt_cond && eval(d->prompt_cond) == Tristate::n)
      line += ", prompt only if " + annotated(d->prompt_cond);
    out.push_back(line);
    next = culprits(d->depends, false);
    if (d->prompt_cond) {
      auto more = culprits(d->prompt_cond, false);
      next.insert(next.end(), more.begin(), more.end());
    }
  } else if (s.source == Source::default_value) {
    const KDefault& def = *s.used_default;
    out.push_back(head + "default " + annotated(def.value) + (def.cond ? " if " + annotated(def.cond) : ""));
    next = culprits(def.value, s.own != Tristate::n || s.v.type == KSymType::integer);
  } else {  // no default applied and nothing selects it
    std::vector<std::string> parts;
    if (!d->defaults.empty()) {
      std::string p = "no default applies (";
      for (std::size_t i = 0; i < d->defaults.size(); ++i) {
        const KDefault& def = d->defaults[i];
        p += (i ? "; default " : "default ") + kexpr_str(def.value) + (def.cond ? " if " + annotated(def.cond) : "");
        auto more = culprits(def.cond, false);
        next.insert(next.end(), more.begin(), more.end());
      }
      parts.push_back(p + ")");
    }
    if (!rules_.selected_by(name).empty()) {
      std::string p = "not selected (";
      bool first = true;
      for (const auto& sel : rules_.selected_by(name)) {
        p += (first ? "" : "; ") + sel.selector + " [=" + calc(sel.selector).text() + "]" +
             (sel.cond ? " && " + annotated(sel.cond) : std::string());
        first = false;
        if (calc(sel.selector).tri == Tristate::n)
          next.push_back(sel.selector);
        else {
          auto more = culprits(sel.cond, false);
          next.insert(next.end(), more.begin(), more.end());
        }
      }
      parts.push_back(p + ")");
    }
    if (parts.empty()) {
      auto arch = pinned_.find("ARCH");
      parts.push_back("no default and nothing selects it" +
                      (arch != pinned_.end() ? " (the " + arch->second + " arch code does not)" : std::string()));
    }
    std::string line = head;
    for (std::size_t i = 0; i < parts.size(); ++i) line += (i ? "; " : "") + parts[i];
    out.push_back(line);
  }
  if (s.user_ignored_no_prompt && user->second.warn)
    out.back() += " (the value " + user_str + " is ignored: no prompt)";
  if (auto arch = pinned_.find("ARCH"); is_arch_symbol(name) && arch != pinned_.end() && s.source != Source::user)
    out.back() += " (arch is " + arch->second + ")";
  for (const auto& c : next) explain_into(c, out, seen, depth + 1);
}

}  // namespace gm
