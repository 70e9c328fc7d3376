// The table-driven half of the loader: every key, type, range and default comes from scenario_params().
#include <cctype>
#include <charconv>
#include <cmath>
#include <map>

#include "models/kernel_version.h"
#include "sim/scenario/did_you_mean.h"
#include "sim/scenario/scenario_internal.h"
#include "sim/scenario/scenario_params.h"
#include "sim/scenario/strict_json.h"
#include "sim/engine/units_text.h"

namespace gm::scenario_detail {
namespace {

using nlohmann::json;
using T = ParamType;

std::string in_quotes(std::string_view s) { return "\"" + std::string(s) + "\""; }

std::string join_quoted(const std::vector<std::string_view>& v) {
  std::string out;
  for (auto s : v) out += (out.empty() ? "" : ", ") + in_quotes(s);
  return out;
}

std::string range_text(const ParamSpec& p) {
  if (p.min.empty() && p.max.empty()) return {};
  if (p.max.empty()) return " >= " + std::string(p.min);
  if (p.min.empty()) return " <= " + std::string(p.max);
  return " in [" + std::string(p.min) + ", " + std::string(p.max) + "]";
}

// What a parameter accepts, for "expected Y".
std::string expected_text(const ParamSpec& p) {
  switch (p.type) {
    case T::object: return "an object";
    case T::array: return "an array";
    case T::map: return "an object";
    case T::entries_or_file: return "an array of entries or {\"file\": PATH}";
    case T::string: return "a string";
    case T::boolean: return "true or false";
    case T::integer: return "an integer" + range_text(p);
    case T::number: return "a number" + range_text(p);
    case T::size: return "a size with a unit (B, KiB, MiB, GiB, TiB) such as \"4 GiB\"" + range_text(p);
    case T::duration: return "a duration with a unit (ns, us, ms, s, min, h) such as \"200 ms\"" + range_text(p);
    case T::enumeration: return "one of " + join_quoted(p.values);
    case T::kernel_version:
      return "a kernel version MAJOR.MINOR[.PATCH][-rcN] or \"v4-patch\", from " + std::string(p.min) + " to " +
             std::string(p.max);
    case T::xen_version: return "a Xen version MAJOR.MINOR such as \"4.19\"";
    case T::path: return "a file path (string) relative to the scenario file";
    case T::address: return "an address: an integer or a \"0x...\" hex string below 2^64";
    case T::kconfig_value: return "\"y\", \"m\", \"n\" or an integer";
    case T::scalar: return "a string or a number";
  }
  return "?";
}

// Suggests the closest unit for a size/duration string with a wrong unit ("4 GB" -> "4 GiB").
std::string unit_hint(std::string_view text, bool is_size) {
  std::size_t i = 0;
  while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.' || text[i] == ' '))
    ++i;
  std::string number(text.substr(0, i));
  while (!number.empty() && number.back() == ' ') number.pop_back();
  std::string unit(text.substr(i));
  if (number.empty()) return {};
  if (unit.empty()) return " (did you mean \"" + number + (is_size ? " MiB\"? xl.cfg sizes are MiB)" : " s\"?)");
  static const std::map<std::string, std::string_view> aliases{
      {"sec", "s"},     {"secs", "s"},    {"second", "s"},   {"seconds", "s"}, {"msec", "ms"}, {"usec", "us"},
      {"nsec", "ns"},   {"mins", "min"},  {"minute", "min"}, {"minutes", "min"}, {"m", "min"}, {"hr", "h"},
      {"hour", "h"},    {"hours", "h"},   {"k", "KiB"},      {"kb", "KiB"},    {"mb", "MiB"},
      {"g", "GiB"},     {"gb", "GiB"},    {"t", "TiB"},      {"tb", "TiB"},    {"kib", "KiB"}, {"mib", "MiB"},
      {"gib", "GiB"},   {"tib", "TiB"},   {"b", "B"},        {"bytes", "B"},   {"µs", "us"},   {"ms", "ms"}};
  std::string lower;
  for (char c : unit) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::string_view suggestion;
  if (is_size && lower == "m") suggestion = "MiB";
  else if (auto it = aliases.find(lower); it != aliases.end()) suggestion = it->second;
  std::vector<std::string_view> units = is_size ? std::vector<std::string_view>{"B", "KiB", "MiB", "GiB", "TiB"}
                                                : std::vector<std::string_view>{"ns", "us", "ms", "s", "min", "h"};
  bool fits = false;
  for (auto u : units) fits = fits || u == suggestion;
  if (!fits) suggestion = {};
  if (suggestion.empty()) {
    auto m = closest_match(unit, units);
    if (m.empty()) return {};
    return " (did you mean \"" + number + " " + m + "\"?)";
  }
  return " (did you mean \"" + number + " " + std::string(suggestion) + "\"?)";
}

bool parse_u64(std::string_view s, std::uint64_t& out) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc{} && p == s.data() + s.size();
}

class Normalizer {
 public:
  explicit Normalizer(LoadContext& ctx) : ctx_(ctx) {}

  json run(const json& input) {
    json out = node(*find_param(""), &input, "", "");
    for (auto& [at, from] : deferred_) {
      json::json_pointer src(from);
      out[json::json_pointer(at)] = out.contains(src) ? out[src] : json();
    }
    return out;
  }

 private:
  // `pattern` is the table path ("/workload/callers/*/kind"), `path` the real one ("/workload/callers/0/kind").
  json node(const ParamSpec& p, const json* in, const std::string& pattern, const std::string& path) {
    switch (p.type) {
      case T::object: return object(p, in, pattern, path);
      case T::array: return array(p, in, pattern, path);
      case T::map: return map(p, in, pattern, path);
      case T::entries_or_file:
        if (in && in->is_array()) return array(p, in, pattern, path);
        if (in && in->is_object()) return object(p, in, pattern, path);
        ctx_.error(path, describe(*in), expected_text(p));
        return json();
      default: return leaf(p, *in, path);
    }
  }

  json object(const ParamSpec& p, const json* in, const std::string& pattern, const std::string& path) {
    if (in && !in->is_object()) {
      ctx_.error(path, describe(*in), expected_text(p));
      in = nullptr;
    }
    auto children = param_children(pattern);
    std::vector<std::string_view> keys;
    for (auto* c : children)
      if (param_key(*c) != "*") keys.push_back(param_key(*c));
    json out = json::object();
    std::vector<std::pair<std::string, std::string>> siblings;  // (key, sibling it defaults to)
    if (in) {
      for (auto& [k, v] : in->items()) {
        bool known = false;
        for (auto key : keys) known = known || key == k;
        if (known) continue;
        std::string hint = closest_match(k, keys);
        ctx_.error(path + "/" + pointer_segment(k), "unknown key " + in_quotes(k),
                   "one of " + join_quoted(keys) + (hint.empty() ? "" : " (did you mean " + in_quotes(hint) + "?)"));
      }
    }
    for (auto* c : children) {
      auto key = std::string(param_key(*c));
      if (key == "*") continue;
      std::string cpath = path + "/" + pointer_segment(key);
      std::string cpattern = pattern + "/" + key;
      const json* v = in && in->contains(key) ? &(*in)[key] : nullptr;
      if (v && v->is_null() && c->default_json.empty()) v = nullptr;  // null = absent, for optional parameters
      if (v) {
        json value = node(*c, v, cpattern, cpath);
        if (key.front() != '$') out[key] = std::move(value);
        continue;
      }
      std::string_view d = c->default_json;
      if (d.empty()) {
        if (key.front() != '$') out[key] = json();  // "$schema" is an editor hint, not part of the scenario
      } else if (d == "!") {
        ctx_.error(cpath, "nothing", expected_text(*c) + " (required)");
        out[key] = json();
      } else if (d.front() == '=') {
        d.remove_prefix(1);
        if (d.front() == '/') deferred_.emplace_back(cpath, std::string(d));
        else siblings.emplace_back(key, std::string(d));
      } else {
        json def = json::parse(d);
        out[key] = node(*c, &def, cpattern, cpath);
      }
    }
    for (auto& [key, from] : siblings) out[key] = out.contains(from) ? out[from] : json();
    return out;
  }

  json array(const ParamSpec& p, const json* in, const std::string& pattern, const std::string& path) {
    if (!in || !in->is_array()) {
      if (in) ctx_.error(path, describe(*in), expected_text(p));
      return json::array();
    }
    const ParamSpec* elem = find_param(pattern + "/*");
    json out = json::array();
    for (std::size_t i = 0; i < in->size(); ++i)
      out.push_back(node(*elem, &(*in)[i], pattern + "/*", path + "/" + std::to_string(i)));
    return out;
  }

  json map(const ParamSpec& p, const json* in, const std::string& pattern, const std::string& path) {
    if (!in || !in->is_object()) {
      if (in) ctx_.error(path, describe(*in), expected_text(p));
      return json::object();
    }
    auto children = param_children(pattern);
    const ParamSpec* elem = children.front();
    json out = json::object();
    for (auto& [k, v] : in->items()) {
      std::string kpath = path + "/" + pointer_segment(k);
      if (elem->type == T::kconfig_value) {
        bool good = !k.empty();
        for (char c : k) good = good && (std::isupper(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '_');
        if (!good || k.rfind("CONFIG_", 0) == 0) {
          std::string hint = k.rfind("CONFIG_", 0) == 0 ? " (did you mean " + in_quotes(k.substr(7)) + "?)" : "";
          ctx_.error(kpath, "symbol name " + in_quotes(k),
                     "an upper-case Kconfig symbol without the CONFIG_ prefix" + hint);
          continue;
        }
      }
      out[k] = leaf(*elem, v, kpath);
    }
    return out;
  }

  // Checks and normalizes one value. On error records it and returns the default (or null).
  json leaf(const ParamSpec& p, const json& v, const std::string& path) {
    std::string why;  // extra text after "expected ..."
    json out = convert(p, v, why);
    if (!out.is_discarded()) return out;
    ctx_.error(path, describe(v), expected_text(p) + why);
    std::string_view d = p.default_json;
    if (d.empty() || d == "!" || d.front() == '=') return json();
    json def = json::parse(d);
    std::string ignored;
    json back = convert(p, def, ignored);
    return back.is_discarded() ? json() : back;
  }

  static json bad() { return json(json::value_t::discarded); }

  json convert(const ParamSpec& p, const json& v, std::string& why) {
    switch (p.type) {
      case T::string:
        return v.is_string() ? v : bad();
      case T::boolean:
        return v.is_boolean() ? v : bad();
      case T::integer: {
        if (!v.is_number_integer()) return bad();  // describe() already flags numbers beyond 2^64-1
        std::uint64_t lo = 0, hi = UINT64_MAX;
        parse_u64(p.min, lo);
        if (!p.max.empty()) parse_u64(p.max, hi);
        if (v.is_number_unsigned() || v.get<std::int64_t>() >= 0) {
          auto u = v.get<std::uint64_t>();
          if (u < lo || u > hi) return bad();
          return json(u);
        }
        return bad();  // negative; every integer parameter has a minimum >= 0
      }
      case T::number: {
        if (!v.is_number()) return bad();
        double d = v.get<double>();
        double lo = p.min.empty() ? -INFINITY : std::stod(std::string(p.min));
        double hi = p.max.empty() ? INFINITY : std::stod(std::string(p.max));
        if (!(d >= lo && d <= hi)) return bad();
        return json(d);
      }
      case T::size:
      case T::duration: {
        bool is_size = p.type == T::size;
        if (v.is_number()) {
          why = v.is_number_integer() && v.get<double>() >= 0
                    ? (is_size ? " (did you mean \"" + v.dump() + " MiB\"? a bare number is ambiguous: xl.cfg means MiB)"
                               : " (did you mean \"" + v.dump() + " s\"? a bare number has no unit)")
                    : std::string(" (a bare number has no unit)");
          return bad();
        }
        if (!v.is_string()) return bad();
        auto text = v.get<std::string>();
        UnitParse r = is_size ? parse_size(text) : parse_duration(text);
        if (!r.value) {
          if (r.problem.find("negative") != std::string::npos) why = " (not negative)";
          else if (r.problem.find("2^64") != std::string::npos) why = " (below 2^64 " + std::string(is_size ? "bytes)" : "ns)");
          else if (r.problem.find("whole") != std::string::npos) why = " (a whole number of bytes)";
          else why = unit_hint(text, is_size);
          return bad();
        }
        UnitParse lo = is_size ? parse_size(p.min) : parse_duration(p.min);
        UnitParse hi = is_size ? parse_size(p.max) : parse_duration(p.max);
        if ((lo.value && *r.value < *lo.value) || (hi.value && *r.value > *hi.value)) return bad();
        return is_size ? json(format_size(Bytes{*r.value}))
                       : json(format_duration(SimTime{static_cast<std::int64_t>(*r.value)}));
      }
      case T::enumeration: {
        if (!v.is_string()) return bad();
        auto s = v.get<std::string>();
        for (auto e : p.values)
          if (e == s) return v;
        auto hint = closest_match(s, p.values);
        if (!hint.empty()) why = " (did you mean " + in_quotes(hint) + "?)";
        return bad();
      }
      case T::kernel_version: {
        if (!v.is_string()) return bad();
        auto kv = KernelVersion::parse(v.get<std::string>());
        if (!kv) return bad();
        auto lo = KernelVersion::parse(p.min);
        int max_major = std::stoi(std::string(p.max));  // "7.x": any 7.y
        if ((lo && *kv < *lo) || kv->major() > max_major) {
          why = " (versions outside this range are not modelled)";
          return bad();
        }
        return json(kv->str());
      }
      case T::xen_version: {
        if (!v.is_string()) return bad();
        auto s = v.get<std::string>();
        auto dot = s.find('.');
        std::uint64_t a = 0, b = 0;
        if (dot == std::string::npos || !parse_u64(std::string_view(s).substr(0, dot), a) ||
            !parse_u64(std::string_view(s).substr(dot + 1), b) || a < 3 || a > 99 || b > 99)
          return bad();
        return v;
      }
      case T::path: {
        if (!v.is_string() || v.get<std::string>().empty()) return bad();
        std::filesystem::path rel(v.get<std::string>());
        auto full = rel.is_absolute() ? rel : ctx_.base_dir / rel;
        std::error_code ec;
        if (!std::filesystem::is_regular_file(full, ec)) {
          why = " (no such file: " + full.generic_string() + ")";
          return bad();
        }
        return v;
      }
      case T::address: {
        if (v.is_number_integer() && (v.is_number_unsigned() || v.get<std::int64_t>() >= 0))
          return json(v.get<std::uint64_t>());
        if (!v.is_string()) return bad();
        auto s = v.get<std::string>();
        std::uint64_t a = 0;
        if (s.size() < 3 || (s.substr(0, 2) != "0x" && s.substr(0, 2) != "0X")) return bad();
        auto [ptr, ec] = std::from_chars(s.data() + 2, s.data() + s.size(), a, 16);
        if (ec == std::errc::result_out_of_range) why = " (beyond 2^64-1)";
        if (ec != std::errc{} || ptr != s.data() + s.size()) return bad();
        return json(a);
      }
      case T::kconfig_value: {
        if (v.is_number_integer()) return json(v.dump());
        if (!v.is_string()) return bad();
        auto s = v.get<std::string>();
        if (s == "y" || s == "m" || s == "n") return v;
        std::int64_t n = 0;
        auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
        if (!s.empty() && ec == std::errc{} && ptr == s.data() + s.size()) return json(std::to_string(n));
        return bad();
      }
      case T::scalar:
        if (v.is_string() || v.is_number_integer()) return v;
        if (v.is_number_float() && std::isfinite(v.get<double>())) return v;
        return bad();
      default:
        return bad();
    }
  }

  LoadContext& ctx_;
  std::vector<std::pair<std::string, std::string>> deferred_;  // (path, source path) for "=/..." defaults
};

}  // namespace

std::string describe(const json& v) {
  switch (v.type()) {
    case json::value_t::null: return "null";
    case json::value_t::object: return "an object";
    case json::value_t::array: return "an array";
    case json::value_t::discarded: return "nothing";
    case json::value_t::number_float:
      if (std::fabs(v.get<double>()) >= 18446744073709551616.0) return v.dump() + " (a number beyond 2^64-1)";
      return v.dump();
    default: {
      std::string s = v.dump();
      if (s.size() > 60) s = s.substr(0, 57) + "...";
      return s;
    }
  }
}

json normalize_scenario(const json& input, LoadContext& ctx) { return Normalizer(ctx).run(input); }

}  // namespace gm::scenario_detail
