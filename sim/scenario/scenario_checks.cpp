// Rules between fields that a per-field table cannot express (design §7 "semantic rules").
#include <set>

#include "sim/engine/cost_model.h"
#include "sim/scenario/did_you_mean.h"
#include "sim/scenario/scenario_internal.h"
#include "sim/scenario/scenario_loader.h"
#include "sim/engine/units_text.h"

namespace gm {

// MAX_PHYSMEM_BITS: arch/x86/include/asm/pgtable_64_types.h@6.12 (46 with 4-level paging; 5-level gives 52),
// arch/x86/include/asm/pgtable-3level_types.h@6.12 (i386 PAE: 36), arch/arm64/include/asm/sparsemem.h@6.12
// (CONFIG_ARM64_PA_BITS, 48 by default), arch/arm/include/asm/sparsemem.h@6.12 (36),
// arch/riscv/include/asm/sparsemem.h@6.12 (CONFIG_PA_BITS: 56 on 64-bit).
unsigned physical_address_bits(Arch a) {
  switch (a) {
    case Arch::x86_64: return 46;
    case Arch::i386: return 36;
    case Arch::arm64: return 48;
    case Arch::arm: return 36;
    case Arch::riscv64: return 56;
  }
  return 46;
}

namespace scenario_detail {
namespace {

std::string hex(std::uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%#llx", static_cast<unsigned long long>(v));
  return buf;
}

// Inclusive [start, end] must be ordered and below 2^bits.
void check_range(LoadContext& ctx, const std::string& path, std::uint64_t start, std::uint64_t end, unsigned bits,
                 Arch arch) {
  if (!ctx.ok(path + "/start") || !ctx.ok(path + "/end") || !ctx.ok(path + "/size")) return;
  if (end < start) {
    ctx.error(path + "/end", hex(end), "an end at or after start " + hex(start) + " (end is inclusive)");
    return;
  }
  std::uint64_t limit = bits >= 64 ? UINT64_MAX : (std::uint64_t{1} << bits) - 1;
  if (end > limit)
    ctx.error(path, "the range [" + hex(start) + ", " + hex(end) + "]",
              "a range inside the " + std::string(to_string(arch)) + " physical address space [0, " + hex(limit) +
                  "] (MAX_PHYSMEM_BITS " + std::to_string(bits) + ")");
}

// A placement key names one of the guest's vCPUs.
void check_vcpu(LoadContext& ctx, const std::string& path, int vcpu, const Scenario& s) {
  if (ctx.ok(path) && ctx.ok("/guest/vcpus") && vcpu >= s.guest.vcpus)
    ctx.error(path, std::to_string(vcpu),
              "a vCPU below guest.vcpus " + std::to_string(s.guest.vcpus) + " (they are numbered from 0)");
}

void check_time_in_run(LoadContext& ctx, const std::string& path, SimTime at, SimTime duration) {
  if (ctx.ok(path) && ctx.ok("/duration") && at > duration)
    ctx.error(path, "\"" + format_duration(at) + "\"", "a time within the run (duration " + format_duration(duration) + ")");
}

}  // namespace

void check_semantics(const Scenario& s, LoadContext& ctx) {
  const unsigned bits = physical_address_bits(s.arch);
  if (ctx.ok("/sampling") && ctx.ok("/duration") && s.sampling > s.duration)
    ctx.error("/sampling", "\"" + format_duration(s.sampling) + "\"",
              "at most the duration \"" + format_duration(s.duration) + "\"");

  for (std::size_t i = 0; i < s.expect.size(); ++i) {
    const auto& e = s.expect[i];
    std::string p = "/expect/" + std::to_string(i);
    if (!ctx.ok(p + "/check")) continue;
    if (e.check == ExpectCheck::metric_max || e.check == ExpectCheck::metric_min) {
      if (e.metric.empty() && ctx.ok(p + "/metric"))
        ctx.error(p + "/metric", "nothing", "a metric name (required by " + std::string(to_string(e.check)) + ")");
      if (e.value.empty() && ctx.ok(p + "/value"))
        ctx.error(p + "/value", "nothing", "a bound (required by " + std::string(to_string(e.check)) + ")");
      else if (!e.value_is_number && !e.value.empty() && !parse_size(e.value).value && !parse_duration(e.value).value)
        ctx.error(p + "/value", "\"" + e.value + "\"", "a number, a size (\"1 GiB\") or a duration (\"10 ms\")");
    }
    if (e.check == ExpectCheck::effective_strategy && e.strategy.empty() && ctx.ok(p + "/strategy"))
      ctx.error(p + "/strategy", "nothing", "\"ballooned\" or \"unpopulated\" (required by effective_strategy)");
  }

  // Guest.
  const bool x86 = s.arch == Arch::x86_64 || s.arch == Arch::i386;
  if (ctx.ok("/guest/maxmem") && ctx.ok("/guest/memory") && s.guest.maxmem < s.guest.memory)
    ctx.error("/guest/maxmem", "\"" + format_size(s.guest.maxmem) + "\"",
              "at least guest.memory \"" + format_size(s.guest.memory) + "\"");
  if (ctx.ok("/guest/memory") && s.guest.memory.value % kPageSize != 0)
    ctx.error("/guest/memory", "\"" + format_size(s.guest.memory) + "\"", "a multiple of 4 KiB (whole pages)");
  if (ctx.ok("/guest/maxmem") && s.guest.maxmem.value % kPageSize != 0)
    ctx.error("/guest/maxmem", "\"" + format_size(s.guest.maxmem) + "\"", "a multiple of 4 KiB (whole pages)");
  if (ctx.ok("/guest/type") && ctx.ok("/arch") && s.guest.type == GuestType::pv && !x86)
    ctx.error("/guest/type", "\"pv\" with arch \"" + std::string(to_string(s.arch)) + "\"",
              "\"pvh\" or \"hvm\" (PV guests exist only on x86)");
  if (ctx.ok("/guest/type") && s.guest.type == GuestType::hvm && s.guest.dom0)
    ctx.error("/guest/dom0", "true with type \"hvm\"", "a PV or PVH dom0 (Xen has no HVM dom0)");
  if (ctx.ok("/guest/pci_use_e820") && !s.guest.pci_use_e820 && ctx.ok("/kernel") && ctx.ok("/arch") &&
      (!x86 || !s.kernel.at_least("5.19-rc1")))
    ctx.error("/guest/pci_use_e820", "false with kernel " + s.kernel.str() + " on " + std::string(to_string(s.arch)),
              "true (\"pci=no_e820\" exists on x86 from 5.19)");
  for (std::size_t i = 0; i < s.guest.e820.size(); ++i) {
    const auto& e = s.guest.e820[i];
    check_range(ctx, "/guest/e820/" + std::to_string(i), e.range.start.value, e.range.end.value, bits, s.arch);
  }

  // Xen.
  if (!s.xen.extended_regions.empty() && s.arch != Arch::arm64 && s.arch != Arch::arm && ctx.ok("/arch"))
    ctx.error("/xen/extended_regions", "regions with arch \"" + std::string(to_string(s.arch)) + "\"",
              "extended regions only with arch \"arm64\" or \"arm\" (Xen advertises them in the device tree)");
  for (std::size_t i = 0; i < s.xen.extended_regions.size(); ++i) {
    const auto& r = s.xen.extended_regions[i];
    check_range(ctx, "/xen/extended_regions/" + std::to_string(i), r.start.value, r.end.value, bits, s.arch);
  }
  for (std::size_t i = 0; i < s.xen.faults.size(); ++i)
    check_time_in_run(ctx, "/xen/faults/" + std::to_string(i) + "/at", s.xen.faults[i].at, s.duration);

  // Balloon.
  for (std::size_t i = 0; i < s.balloon.target.size(); ++i) {
    std::string p = "/balloon/target/" + std::to_string(i);
    check_time_in_run(ctx, p + "/at", s.balloon.target[i].at, s.duration);
    if (ctx.ok(p + "/size") && ctx.ok("/guest/maxmem") && s.balloon.target[i].size > s.guest.maxmem)
      ctx.error(p + "/size", "\"" + format_size(s.balloon.target[i].size) + "\"",
                "at most guest.maxmem \"" + format_size(s.guest.maxmem) + "\"");
  }

  check_vcpu(ctx, "/balloon/vcpu", s.balloon.vcpu, s);

  // Costs: names the cost model knows.
  const auto& names = CostModel::parameter_names();
  std::vector<std::string_view> known(names.begin(), names.end());
  for (auto& [k, v] : s.costs.overrides) {
    bool found = false;
    for (auto n : known) found = found || n == k;
    if (found) continue;
    auto hint = closest_match(k, known);
    ctx.error("/costs/overrides/" + k, "unknown cost \"" + k + "\"",
              "a cost-model parameter" + (hint.empty() ? std::string() : " (did you mean \"" + hint + "\"?)"));
  }

  // Workload.
  std::set<std::string> names_seen;
  std::uint64_t actors = 0;
  for (std::size_t i = 0; i < s.workload.callers.size(); ++i) {
    const auto& c = s.workload.callers[i];
    std::string p = "/workload/callers/" + std::to_string(i);
    actors += static_cast<std::uint64_t>(c.count);
    if (ctx.ok(p + "/name") && !names_seen.insert(c.name).second)
      ctx.error(p + "/name", "\"" + c.name + "\" a second time", "a name unique among callers");
    if (ctx.ok(p + "/start") && ctx.ok(p + "/stop") && c.start >= c.stop)
      ctx.error(p + "/start", "\"" + format_duration(c.start) + "\"",
                "a start before stop \"" + format_duration(c.stop) + "\"");
    check_time_in_run(ctx, p + "/stop", c.stop, s.duration);
    if (c.vcpu) check_vcpu(ctx, p + "/vcpu", *c.vcpu, s);
    auto process = c.arrival.process;
    if ((process == ArrivalProcess::poisson || process == ArrivalProcess::burst) && c.arrival.rate_per_s <= 0 &&
        ctx.ok(p + "/arrival/rate_per_s"))
      ctx.error(p + "/arrival/rate_per_s", "0", "a rate above 0 for the " + std::string(to_string(process)) + " process");
    if (c.size.distribution == SizeDistribution::uniform && c.size.min_pages > c.size.max_pages &&
        ctx.ok(p + "/size/max_pages") && ctx.ok(p + "/size/min_pages"))
      ctx.error(p + "/size/max_pages", std::to_string(c.size.max_pages),
                "at least min_pages " + std::to_string(c.size.min_pages));
    if (c.size.distribution == SizeDistribution::choice && c.size.choices.empty() && ctx.ok(p + "/size/choices"))
      ctx.error(p + "/size/choices", "an empty array", "at least one size for the choice distribution");
  }
  // SimGrid crashes near 32,700 live actors with default settings (design §4): one actor per caller.
  if (actors > 30000)
    ctx.error("/workload/callers", std::to_string(actors) + " callers in total",
              "at most 30000 (the simulator's actor limit)");
  if (auto& m = s.workload.memory_pressure) {
    if (ctx.ok("/workload/memory_pressure/target_used") && ctx.ok("/guest/memory") && m->target_used > s.guest.memory)
      ctx.error("/workload/memory_pressure/target_used", "\"" + format_size(m->target_used) + "\"",
                "at most guest.memory \"" + format_size(s.guest.memory) + "\"");
    if (m->vcpu) check_vcpu(ctx, "/workload/memory_pressure/vcpu", *m->vcpu, s);
    check_vcpu(ctx, "/workload/memory_pressure/kcompactd_vcpu", m->kcompactd_vcpu, s);
  }
  for (std::size_t i = 0; i < s.workload.pci.size(); ++i) {
    const auto& e = s.workload.pci[i];
    std::string p = "/workload/pci/" + std::to_string(i);
    check_time_in_run(ctx, p + "/at", e.at, s.duration);
    if (e.size.value == 0) continue;
    std::uint64_t end = e.start.value + (e.size.value - 1);
    if (end < e.start.value) {
      ctx.error(p + "/size", "\"" + format_size(e.size) + "\" from " + hex(e.start.value), "a range below 2^64");
      continue;
    }
    check_range(ctx, p, e.start.value, end, bits, s.arch);
  }
}

}  // namespace scenario_detail
}  // namespace gm
