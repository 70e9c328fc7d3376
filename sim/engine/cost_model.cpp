#include "sim/engine/cost_model.h"

#include <guestmem/embedded.h>
#include <nlohmann/json.hpp>

#include "models/errors.h"
#include "models/utf8.h"
#include "sim/scenario/did_you_mean.h"
#include "sim/scenario/strict_json.h"
#include "sim/engine/units_text.h"

namespace gm {
namespace {

// Parameter names as they appear in cost files, in a fixed order.
const std::vector<std::string> kNames{
    "hypercall_base",   "populate_per_page", "decrease_per_page",   "scrub_page",       "va_mapping_update",
    "p2m_update_page",  "tlb_flush_all",     "memmap_init_page",    "resource_alloc",   "list_op_page",
    "page_alloc",       "migrate_page",      "compaction_scan",     "grant_map_page",   "grant_unmap_page",
    "spin_lock",        "pte_set",           "memory_block_device", "rcu_grace_period"};

// FILE:LINE:COL of the key `"name"` inside the "costs" object (the first match after "costs"), or
// just FILE when it cannot be found.
std::string position(std::string_view text, const std::string& file, const std::string& key) {
  std::size_t costs = text.find("\"costs\"");
  std::size_t at = text.find("\"" + key + "\"", costs == std::string_view::npos ? 0 : costs);
  if (at == std::string_view::npos) return file;
  auto [line, col] = line_col(text, at);
  return file + ":" + std::to_string(line) + ":" + std::to_string(col);
}

}  // namespace

const std::vector<std::string>& CostModel::parameter_names() { return kNames; }

SimTime* CostModel::slot(std::string_view name) {
  auto w = [&](Work k) { return &work_[static_cast<std::size_t>(k)]; };
  if (name == "hypercall_base") return w(Work::hypercall);
  if (name == "populate_per_page") return &populate_per_page_;
  if (name == "decrease_per_page") return &decrease_per_page_;
  if (name == "scrub_page") return w(Work::scrub_page);
  if (name == "va_mapping_update") return w(Work::va_mapping_update);
  if (name == "p2m_update_page") return w(Work::p2m_update_page);
  if (name == "tlb_flush_all") return w(Work::tlb_flush_all);
  if (name == "memmap_init_page") return w(Work::memmap_init_page);
  if (name == "resource_alloc") return w(Work::resource_alloc);
  if (name == "list_op_page") return w(Work::list_op_page);
  if (name == "page_alloc") return w(Work::page_alloc);
  if (name == "migrate_page") return w(Work::migrate_page);
  if (name == "compaction_scan") return w(Work::compaction_scan);
  if (name == "grant_map_page") return w(Work::grant_map_page);
  if (name == "grant_unmap_page") return w(Work::grant_unmap_page);
  if (name == "spin_lock") return w(Work::spin_lock);
  if (name == "pte_set") return w(Work::pte_set);
  if (name == "memory_block_device") return w(Work::memory_block_device);
  if (name == "rcu_grace_period") return w(Work::rcu_grace_period);
  return nullptr;
}

CostModel CostModel::from_json_text(std::string_view text, std::string_view display_name) {
  std::string file(display_name);
  require_utf8(text, file, "UTF-8 JSON text");  // one rule for every input (models/utf8.h)
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    throw InputError(file + ": byte " + std::to_string(e.byte) + ": " + e.what());
  } catch (const nlohmann::json::out_of_range&) {
    // A number beyond a double ("1e999") is out_of_range 406, not parse_error (found by tests/fuzz/cost_fuzz).
    throw InputError(file + ": found a number beyond the range of a double, expected a cost with a unit");
  }
  std::vector<std::string> errors;
  CostModel m;
  std::vector<bool> seen(kNames.size(), false);
  if (!doc.is_object() || !doc.contains("costs") || !doc["costs"].is_object())
    throw InputError(file + ": /costs: missing, expected an object of parameters");
  // Strict like scenario files (design §7): a misspelt field ("hight") would otherwise be dropped in silence
  // and `sensitivity` would vary a range the file never meant.
  for (auto& [key, v] : doc.items())
    if (key != "description" && key != "costs") {
      auto hint = closest_match(key, {"description", "costs"});
      errors.push_back(position(text, file, key) + ": /" + key + ": unknown field, expected \"description\" or \"costs\"" +
                       (hint.empty() ? std::string() : " (did you mean \"" + hint + "\"?)"));
    }
  for (auto& [key, entry] : doc["costs"].items()) {
    std::string path = "/costs/" + key;
    SimTime* dst = m.slot(key);
    if (!dst) {
      std::vector<std::string_view> known(kNames.begin(), kNames.end());
      auto hint = closest_match(key, known);
      errors.push_back(file + ": " + path + ": unknown cost parameter" +
                       (hint.empty() ? std::string() : " (did you mean \"" + hint + "\"?)"));
      continue;
    }
    if (entry.is_object())
      for (auto& [field, v] : entry.items())
        if (field != "value" && field != "low" && field != "high" && field != "source") {
          auto hint = closest_match(field, {"value", "low", "high", "source"});
          errors.push_back(position(text, file, key) + ": " + path + "/" + field +
                           ": unknown field, expected value, low, high or source" +
                           (hint.empty() ? std::string() : " (did you mean \"" + hint + "\"?)"));
        }
    if (!entry.is_object() || !entry.contains("value") || !entry["value"].is_string() || !entry.contains("source")) {
      errors.push_back(file + ": " + path + ": expected {\"value\": \"<duration>\", \"source\": \"...\"}");
      continue;
    }
    auto parsed = parse_duration(entry["value"].get<std::string>());
    if (!parsed.value) {
      errors.push_back(file + ": " + path + "/value: found " + entry["value"].dump() + ", expected " + parsed.problem);
      continue;
    }
    *dst = SimTime{static_cast<std::int64_t>(*parsed.value)};
    for (std::size_t i = 0; i < kNames.size(); ++i)
      if (kNames[i] == key) seen[i] = true;
    Entry e{*dst, *dst, entry["source"].is_string() ? entry["source"].get<std::string>() : std::string()};
    // The plausible range: optional, but when given it must hold the value (low <= value <= high).
    bool range_ok = true;
    for (const char* bound : {"low", "high"}) {
      if (!entry.contains(bound)) continue;
      auto b = entry[bound].is_string() ? parse_duration(entry[bound].get<std::string>()) : parse_duration("");
      if (!b.value) {
        errors.push_back(position(text, file, key) + ": " + path + "/" + bound + ": found " + entry[bound].dump() +
                         ", expected " + (entry[bound].is_string() ? b.problem : "a duration string"));
        range_ok = false;
        continue;
      }
      (std::string_view(bound) == "low" ? e.low : e.high) = SimTime{static_cast<std::int64_t>(*b.value)};
    }
    if (range_ok && !(e.low <= *dst && *dst <= e.high))
      errors.push_back(position(text, file, key) + ": " + path + ": found low " + std::to_string(e.low.ns) +
                       " ns, value " + std::to_string(dst->ns) + " ns, high " + std::to_string(e.high.ns) +
                       " ns, expected low <= value <= high");
    m.entries_[key] = std::move(e);
  }
  for (std::size_t i = 0; i < kNames.size(); ++i)
    if (!seen[i]) errors.push_back(file + ": /costs/" + kNames[i] + ": missing, every cost parameter is required");
  if (!errors.empty()) throw InputError(errors);
  return m;
}

CostModel CostModel::defaults() { return from_json_text(embedded::default_costs, "<embedded costs/default.json>"); }

void CostModel::apply_overrides(const std::map<std::string, std::string>& overrides, std::string_view where) {
  std::vector<std::string> errors;
  for (auto& [name, text] : overrides) {
    std::string path = std::string(where) + "/" + name;
    SimTime* dst = slot(name);
    if (!dst) {
      errors.push_back(path + ": unknown cost parameter");
      continue;
    }
    auto parsed = parse_duration(text);
    if (!parsed.value) {
      errors.push_back(path + ": found \"" + text + "\", expected " + parsed.problem);
      continue;
    }
    *dst = SimTime{static_cast<std::int64_t>(*parsed.value)};
  }
  if (!errors.empty()) throw InputError(errors);
}

std::map<std::string, SimTime> CostModel::values() const {
  std::map<std::string, SimTime> out;
  auto* self = const_cast<CostModel*>(this);
  for (auto& n : kNames) out[n] = *self->slot(n);
  return out;
}

}  // namespace gm
