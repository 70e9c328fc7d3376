// Normalized JSON <-> typed Scenario: binding after loading, and to_json for report.json's "scenario".
#include "sim/scenario/scenario_internal.h"
#include "sim/engine/units_text.h"

namespace gm {

using scenario_detail::enum_from;
using namespace scenario_detail;
using nlohmann::json;

std::string_view to_string(Arch a) { return kArchNames[static_cast<std::size_t>(a)]; }
std::string_view to_string(GuestType t) { return kGuestTypeNames[static_cast<std::size_t>(t)]; }
std::string_view to_string(Firmware f) { return kFirmwareNames[static_cast<std::size_t>(f)]; }
std::string_view to_string(ExpectCheck c) { return kExpectNames[static_cast<std::size_t>(c)]; }
std::string_view to_string(FaultWhat w) { return kFaultNames[static_cast<std::size_t>(w)]; }
std::string_view to_string(CallerKind k) { return kCallerKindNames[static_cast<std::size_t>(k)]; }
std::string_view to_string(ArrivalProcess p) { return kArrivalNames[static_cast<std::size_t>(p)]; }
std::string_view to_string(SizeDistribution d) { return kDistributionNames[static_cast<std::size_t>(d)]; }
std::string_view to_string(PciKind k) { return kPciKindNames[static_cast<std::size_t>(k)]; }

namespace {

// Readers that keep the struct's default when the value is null (a value the loader rejected).
const json* at(const json& o, const char* key) {
  if (!o.is_object()) return nullptr;
  auto it = o.find(key);
  return it == o.end() || it->is_null() ? nullptr : &*it;
}
template <class V>
void get(const json& o, const char* key, V& out) {
  if (auto* v = at(o, key)) out = v->get<V>();
}
void get_size(const json& o, const char* key, Bytes& out) {
  if (auto* v = at(o, key))
    if (auto r = parse_size(v->get<std::string>()); r.value) out = Bytes{*r.value};
}
void get_time(const json& o, const char* key, SimTime& out) {
  if (auto* v = at(o, key))
    if (auto r = parse_duration(v->get<std::string>()); r.value) out = SimTime{static_cast<std::int64_t>(*r.value)};
}
template <class E, std::size_t N>
void get_enum(const json& o, const char* key, const std::array<std::string_view, N>& names, E& out) {
  if (auto* v = at(o, key)) out = enum_from(names, v->get<std::string>(), out);
}
void get_addr(const json& o, const char* key, PhysAddr& out) {
  if (auto* v = at(o, key)) out = PhysAddr{v->get<std::uint64_t>()};
}
void get_path(const json& o, const char* key, const std::filesystem::path& base,
              std::optional<std::filesystem::path>& out) {
  if (auto* v = at(o, key)) {
    std::filesystem::path p(v->get<std::string>());
    out = p.is_absolute() ? p : base / p;
  }
}
const json& section(const json& o, const char* key) {
  static const json empty = json::object();
  auto* v = at(o, key);
  return v ? *v : empty;
}

json path_json(const std::optional<std::filesystem::path>& p, const std::filesystem::path& base) {
  if (!p) return json();
  if (!base.empty()) {
    auto rel = p->lexically_relative(base);
    if (!rel.empty() && *rel.begin() != "..") return rel.generic_string();
  }
  return p->generic_string();
}

}  // namespace

namespace scenario_detail {

Scenario bind_scenario(const json& n, const std::filesystem::path& base) {
  Scenario s;
  s.base_dir = base;
  get(n, "name", s.name);
  get(n, "description", s.description);
  get(n, "seed", s.seed);
  if (auto* v = at(n, "kernel"))
    if (auto k = KernelVersion::parse(v->get<std::string>())) s.kernel = *k;
  get_enum(n, "arch", kArchNames, s.arch);
  get_time(n, "duration", s.duration);
  get_time(n, "sampling", s.sampling);
  for (auto& e : section(n, "expect")) {
    Expectation x;
    get_enum(e, "check", kExpectNames, x.check);
    get(e, "metric", x.metric);
    if (auto* v = at(e, "value")) {
      x.value_is_number = v->is_number();
      x.value = v->is_string() ? v->get<std::string>() : v->dump();
    }
    get(e, "strategy", x.strategy);
    s.expect.push_back(x);
  }

  const json& g = section(n, "guest");
  get_enum(g, "type", kGuestTypeNames, s.guest.type);
  get(g, "dom0", s.guest.dom0);
  get_size(g, "memory", s.guest.memory);
  s.guest.maxmem = s.guest.memory;
  get_size(g, "maxmem", s.guest.maxmem);
  get(g, "vcpus", s.guest.vcpus);
  get(g, "phys_bits", s.guest.phys_bits);
  get_enum(g, "firmware", kFirmwareNames, s.guest.firmware);
  get(g, "pci_use_e820", s.guest.pci_use_e820);
  if (auto* e820 = at(g, "e820")) {
    if (e820->is_array()) {
      for (auto& e : *e820) {
        E820EntrySpec x;
        get_addr(e, "start", x.range.start);
        get_addr(e, "end", x.range.end);
        get(e, "type", x.type);
        s.guest.e820.push_back(x);
      }
    } else {
      get_path(*e820, "file", base, s.guest.e820_file);
    }
  }
  get_path(g, "iomem", base, s.guest.iomem);

  for (auto& [k, v] : section(n, "kconfig").items())
    if (v.is_string()) s.kconfig[k] = v.get<std::string>();
  get_path(n, "kconfig_file", base, s.kconfig_file);

  const json& x = section(n, "xen");
  get(x, "version", s.xen.version);
  get_size(x, "host_free_memory", s.xen.host_free_memory);
  for (auto& r : section(x, "extended_regions")) {
    AddrRange a;
    get_addr(r, "start", a.start);
    get_addr(r, "end", a.end);
    s.xen.extended_regions.push_back(a);
  }
  for (auto& f : section(x, "faults")) {
    FaultSpec fs;
    get_enum(f, "what", kFaultNames, fs.what);
    get_time(f, "at", fs.at);
    get(f, "count", fs.count);
    s.xen.faults.push_back(fs);
  }

  const json& b = section(n, "balloon");
  get(b, "scrub", s.balloon.scrub);
  get(b, "max_retry_count", s.balloon.max_retry_count);
  get_time(b, "max_schedule_delay", s.balloon.max_schedule_delay);
  get(b, "hotplug_unpopulated", s.balloon.hotplug_unpopulated);
  get(b, "auto_online", s.balloon.auto_online);
  get_time(b, "online_delay", s.balloon.online_delay);
  get(b, "vcpu", s.balloon.vcpu);
  for (auto& t : section(b, "target")) {
    TargetChange tc;
    get_time(t, "at", tc.at);
    get_size(t, "size", tc.size);
    s.balloon.target.push_back(tc);
  }

  const json& c = section(n, "costs");
  get_path(c, "file", base, s.costs.file);
  for (auto& [k, v] : section(c, "overrides").items())
    if (v.is_string()) s.costs.overrides[k] = v.get<std::string>();

  const json& w = section(n, "workload");
  for (auto& j : section(w, "callers")) {
    CallerSpec cs;
    get_enum(j, "kind", kCallerKindNames, cs.kind);
    cs.name = std::string(to_string(cs.kind));
    get(j, "name", cs.name);
    get(j, "count", cs.count);
    const json& a = section(j, "arrival");
    get_enum(a, "process", kArrivalNames, cs.arrival.process);
    get(a, "rate_per_s", cs.arrival.rate_per_s);
    get_time(a, "period", cs.arrival.period);
    get(a, "burst_size", cs.arrival.burst_size);
    const json& z = section(j, "size");
    get_enum(z, "distribution", kDistributionNames, cs.size.distribution);
    get(z, "pages", cs.size.pages);
    get(z, "min_pages", cs.size.min_pages);
    get(z, "max_pages", cs.size.max_pages);
    get(z, "median_pages", cs.size.median_pages);
    get(z, "sigma", cs.size.sigma);
    for (auto& v : section(z, "choices"))
      if (v.is_number_integer()) cs.size.choices.push_back(v.get<std::int64_t>());
    get_time(j, "hold", cs.hold);
    get_time(j, "start", cs.start);
    cs.stop = s.duration;
    get_time(j, "stop", cs.stop);
    get(j, "max_requests", cs.max_requests);
    if (auto* v = at(j, "vcpu")) cs.vcpu = v->get<int>();
    s.workload.callers.push_back(cs);
  }
  if (auto* mp = at(w, "memory_pressure")) {
    MemoryPressureSpec m;
    get(*mp, "anon_rate_per_s", m.anon_rate_per_s);
    get(*mp, "slab_rate_per_s", m.slab_rate_per_s);
    get(*mp, "order", m.order);
    get_time(*mp, "lifetime", m.lifetime);
    get(*mp, "thp_attempts_per_s", m.thp_attempts_per_s);
    get_size(*mp, "target_used", m.target_used);
    if (auto* v = at(*mp, "vcpu")) m.vcpu = v->get<int>();
    get(*mp, "kcompactd_vcpu", m.kcompactd_vcpu);
    get(*mp, "file_rate_per_s", m.file_rate_per_s);
    s.workload.memory_pressure = m;
  }
  for (auto& p : section(w, "pci")) {
    PciEventSpec e;
    get_time(p, "at", e.at);
    get_enum(p, "kind", kPciKindNames, e.kind);
    get(p, "name", e.name);
    get_addr(p, "start", e.start);
    get_size(p, "size", e.size);
    s.workload.pci.push_back(e);
  }
  return s;
}

}  // namespace scenario_detail

json to_json(const Scenario& s) {
  auto t = [](SimTime v) { return format_duration(v); };
  auto z = [](Bytes v) { return format_size(v); };
  json j;
  j["name"] = s.name;
  j["description"] = s.description;
  j["seed"] = s.seed;
  j["kernel"] = s.kernel.str();
  j["arch"] = to_string(s.arch);
  j["duration"] = t(s.duration);
  j["sampling"] = t(s.sampling);
  j["expect"] = json::array();
  for (auto& e : s.expect) {
    json v = e.value.empty() ? json() : e.value_is_number ? json::parse(e.value) : json(e.value);
    j["expect"].push_back({{"check", to_string(e.check)},
                           {"metric", e.metric},
                           {"value", v},
                           {"strategy", e.strategy.empty() ? json() : json(e.strategy)}});
  }
  json g;
  g["type"] = to_string(s.guest.type);
  g["dom0"] = s.guest.dom0;
  g["memory"] = z(s.guest.memory);
  g["maxmem"] = z(s.guest.maxmem);
  g["vcpus"] = s.guest.vcpus;
  g["phys_bits"] = s.guest.phys_bits;
  g["firmware"] = to_string(s.guest.firmware);
  g["pci_use_e820"] = s.guest.pci_use_e820;
  if (s.guest.e820_file) {
    g["e820"] = {{"file", path_json(s.guest.e820_file, s.base_dir)}};
  } else if (!s.guest.e820.empty()) {
    g["e820"] = json::array();
    for (auto& e : s.guest.e820)
      g["e820"].push_back({{"start", e.range.start.value}, {"end", e.range.end.value}, {"type", e.type}});
  } else {
    g["e820"] = json();
  }
  g["iomem"] = path_json(s.guest.iomem, s.base_dir);
  j["guest"] = g;
  j["kconfig"] = json::object();
  for (auto& [k, v] : s.kconfig) j["kconfig"][k] = v;
  j["kconfig_file"] = path_json(s.kconfig_file, s.base_dir);

  json x;
  x["version"] = s.xen.version;
  x["host_free_memory"] = z(s.xen.host_free_memory);
  x["extended_regions"] = json::array();
  for (auto& r : s.xen.extended_regions) x["extended_regions"].push_back({{"start", r.start.value}, {"end", r.end.value}});
  x["faults"] = json::array();
  for (auto& f : s.xen.faults) x["faults"].push_back({{"what", to_string(f.what)}, {"at", t(f.at)}, {"count", f.count}});
  j["xen"] = x;

  json b;
  b["scrub"] = s.balloon.scrub;
  b["max_retry_count"] = s.balloon.max_retry_count;
  b["max_schedule_delay"] = t(s.balloon.max_schedule_delay);
  b["hotplug_unpopulated"] = s.balloon.hotplug_unpopulated;
  b["auto_online"] = s.balloon.auto_online;
  b["online_delay"] = t(s.balloon.online_delay);
  b["vcpu"] = s.balloon.vcpu;
  b["target"] = json::array();
  for (auto& tc : s.balloon.target) b["target"].push_back({{"at", t(tc.at)}, {"size", z(tc.size)}});
  j["balloon"] = b;

  json c;
  c["file"] = path_json(s.costs.file, s.base_dir);
  c["overrides"] = json::object();
  for (auto& [k, v] : s.costs.overrides) c["overrides"][k] = v;
  j["costs"] = c;

  json w;
  w["callers"] = json::array();
  for (auto& cs : s.workload.callers) {
    json a{{"process", to_string(cs.arrival.process)},
           {"rate_per_s", cs.arrival.rate_per_s},
           {"period", t(cs.arrival.period)},
           {"burst_size", cs.arrival.burst_size}};
    json sz{{"distribution", to_string(cs.size.distribution)},
            {"pages", cs.size.pages},
            {"min_pages", cs.size.min_pages},
            {"max_pages", cs.size.max_pages},
            {"median_pages", cs.size.median_pages},
            {"sigma", cs.size.sigma},
            {"choices", cs.size.choices}};
    w["callers"].push_back({{"name", cs.name},
                            {"kind", to_string(cs.kind)},
                            {"count", cs.count},
                            {"arrival", a},
                            {"size", sz},
                            {"hold", t(cs.hold)},
                            {"start", t(cs.start)},
                            {"stop", t(cs.stop)},
                            {"max_requests", cs.max_requests},
                            {"vcpu", cs.vcpu ? json(*cs.vcpu) : json()}});
  }
  if (auto& m = s.workload.memory_pressure) {
    w["memory_pressure"] = {{"anon_rate_per_s", m->anon_rate_per_s},   {"slab_rate_per_s", m->slab_rate_per_s},
                            {"order", m->order},                       {"lifetime", t(m->lifetime)},
                            {"thp_attempts_per_s", m->thp_attempts_per_s}, {"target_used", z(m->target_used)},
                            {"vcpu", m->vcpu ? json(*m->vcpu) : json()},  {"kcompactd_vcpu", m->kcompactd_vcpu},
                            {"file_rate_per_s", m->file_rate_per_s}};
  } else {
    w["memory_pressure"] = json();
  }
  w["pci"] = json::array();
  for (auto& p : s.workload.pci)
    w["pci"].push_back({{"at", t(p.at)}, {"kind", to_string(p.kind)}, {"name", p.name}, {"start", p.start.value},
                        {"size", z(p.size)}});
  j["workload"] = w;
  return j;
}

}  // namespace gm
