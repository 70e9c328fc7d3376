// `guestmem kconfig`: resolves the Kconfig symbols that decide which allocator Xen callers get, explains
// XEN_UNPOPULATED_ALLOC, and names what xen_alloc_unpopulated_pages() resolves to (design §6).
#include <filesystem>
#include <iostream>
#include <memory>
#include <regex>
#include <sstream>
#include <thread>

#include "analysis/atomic_write.h"
#include "sim/cli/command.h"
#include "models/errors.h"
#include "sim/kconfig/kconfig_embedded.h"
#include "sim/kconfig/kconfig_file.h"
#include "sim/kconfig/kconfig_json.h"
#include "sim/kconfig/kconfig_matrix.h"
#include "sim/engine/process_pool.h"
#include "sim/engine/units_text.h"

namespace gm::cli {
namespace {

struct KconfigArgs {
  std::string arch = "x86_64";
  std::string kernel = "6.12";
  std::vector<std::string> sets;
  std::string config;  // --config FILE: a real .config as the base
  std::string stage;
  std::string firmware = "dt";
  std::string xen = "4.19";
  bool json = false;
  bool all = false;
  // --matrix mode (sim/kconfig/kconfig_matrix.h).
  std::string matrix;
  unsigned jobs = std::max(1u, std::thread::hardware_concurrency());
  std::string out = "out/kconfig-matrix";
  std::string max_duration = "10 s";
  bool quiet = false;
  CLI::Option* matrix_opt = nullptr;
  CLI::Option* arch_opt = nullptr;
  CLI::Option* kernel_opt = nullptr;
  CLI::Option* set_opt = nullptr;
  CLI::Option* stage_opt = nullptr;
  CLI::Option* max_duration_opt = nullptr;
  CLI::Option* config_opt = nullptr;
};

// The symbols the text output shows (the JSON carries every symbol of the rule set).
constexpr std::string_view kShown[] = {"XEN_UNPOPULATED_ALLOC",
                                       "ZONE_DEVICE",
                                       "MEMORY_HOTPLUG",
                                       "MEMORY_HOTREMOVE",
                                       "SPARSEMEM_VMEMMAP",
                                       "ARCH_HAS_PTE_DEVMAP",
                                       "XEN",
                                       "XEN_PV",
                                       "XEN_PVH",
                                       "XEN_DOM0",
                                       "XEN_BACKEND",
                                       "XEN_GNTDEV",
                                       "XEN_PRIVCMD",
                                       "XEN_HAVE_PVMMU",
                                       "XEN_BALLOON",
                                       "XEN_BALLOON_MEMORY_HOTPLUG",
                                       "XEN_MEMORY_HOTPLUG_LIMIT",
                                       "XEN_BALLOON_MEMORY_HOTPLUG_LIMIT",
                                       "XEN_SCRUB_PAGES_DEFAULT",
                                       "64BIT",
                                       "X86",
                                       "X86_64",
                                       "X86_32",
                                       "ARM64",
                                       "ARM",
                                       "RISCV"};

std::map<std::string, std::string> parse_sets(const std::vector<std::string>& sets) {
  static const std::regex re("^(CONFIG_)?([A-Z0-9_]+)=([A-Za-z0-9_]+)$");
  std::map<std::string, std::string> out;
  for (const auto& s : sets) {
    std::smatch m;
    if (!std::regex_match(s, m, re))
      throw InputError("--set: found \"" + s +
                       "\", expected SYMBOL=VALUE with an upper-case symbol and y, m, n or "
                       "a number (e.g. --set ZONE_DEVICE=n)");
    if (out.count(m[2])) throw InputError("--set: found " + std::string(m[2]) + " twice, expected each symbol once");
    out[m[2]] = m[3];
  }
  return out;
}

// "4.16" -> true when Xen advertises extended regions to Arm guests (Xen 4.16 and later).
bool xen_has_extended_regions(const std::string& v) {
  static const std::regex re("^([0-9]{1,4})\\.([0-9]{1,4})$");
  std::smatch m;
  if (!std::regex_match(v, m, re)) throw InputError("--xen: found \"" + v + "\", expected MAJOR.MINOR (e.g. 4.16)");
  int major = std::stoi(m[1]), minor = std::stoi(m[2]);
  return major > 4 || (major == 4 && minor >= 16);
}

void execute(const KconfigArgs& a) {
  // --config: the file's own arch and version stand in for --arch/--kernel left out (its header and
  // CONFIG_X86_64 & co. say what it was written for).
  std::optional<KconfigFile> file;
  std::string arch_text = a.arch, kernel_text = a.kernel, inferred;
  if (a.config_opt->count()) {
    file = read_kconfig_file(a.config);
    if (!a.arch_opt->count() && file->arch) {
      arch_text = std::string(arch_name(*file->arch));
      inferred += "arch";
    }
    if (!a.kernel_opt->count() && file->kernel) {
      kernel_text = file->kernel->str();
      inferred += inferred.empty() ? "kernel" : " and kernel";
    }
  }
  auto arch = parse_arch(arch_text);
  if (!arch) throw InputError("--arch: found \"" + a.arch + "\", expected one of x86_64, i386, arm64, arm, riscv64");
  auto kernel = KernelVersion::parse(kernel_text);
  if (!kernel)
    throw InputError("--kernel: found \"" + kernel_text +
                     "\", expected MAJOR.MINOR[.PATCH][-rcN] (e.g. 5.9, 5.17, 6.10, 5.13-rc2) or v4-patch");
  std::optional<KconfigStage> stage;
  if (!a.stage.empty() && !(stage = parse_kconfig_stage(a.stage)))
    throw InputError("--stage: found \"" + a.stage +
                     "\", expected pre-5.9, v4-patch, v5-patch, 5.9, 5.12, 5.16 or 5.17");
  if (a.firmware != "dt" && a.firmware != "acpi")
    throw InputError("--firmware: found \"" + a.firmware + "\", expected dt or acpi");
  TargetResourceFacts facts{a.firmware == "acpi", xen_has_extended_regions(a.xen)};

  std::map<std::string, KUserValue, std::less<>> user;
  for (const auto& [k, v] : parse_sets(a.sets)) user[k] = KUserValue{v, "--set", true};
  KconfigResult cfg =
      resolve_kconfig(embedded_kconfig_rules(), *arch, *kernel, user, stage, file ? &file->base : nullptr);
  AllocatorChoice choice = choose_xen_allocator(cfg, has_target_resource(*arch, facts));

  std::vector<std::string> notes;
  if (file && file->arch && *file->arch != *arch)
    notes.push_back(a.config + ": written for " + std::string(arch_name(*file->arch)) + ", resolved as " +
                    std::string(arch_name(*arch)) + " (--arch)");
  if (file && file->kernel && !(file->kernel->major() == kernel->major() && file->kernel->minor() == kernel->minor()))
    notes.push_back(a.config + ": written for kernel " + file->kernel->str() + ", resolved with the rules of " +
                    kernel->str() + " (--kernel)");
  for (const auto& w : notes) std::cerr << "warning: " << w << '\n';
  for (const auto& w : cfg.warnings) std::cerr << "warning: " << w << '\n';
  if (a.json) {
    nlohmann::json j = kconfig_to_json(cfg, choice);
    j["base"] = file ? a.config : "distro dom0 config";
    j["contradictions"] = cfg.contradictions;
    if (!notes.empty()) {
      nlohmann::json all = notes;
      for (const auto& w : cfg.warnings) all.push_back(w);
      j["warnings"] = all;
    }
    std::cout << j.dump(2) << '\n';
    return;
  }
  std::ostringstream o;
  o << "Kconfig for " << arch_name(*arch) << ", kernel " << kernel->str() << " (rule stage "
    << kconfig_stage_name(cfg.stage) << ", " << (file ? "base " + a.config : std::string("distro dom0 base config"))
    << (a.sets.empty() ? "" : " + --set") << ")\n";
  if (!inferred.empty()) o << inferred << " read from " << a.config << '\n';
  if (file)
    o << (cfg.contradictions.empty()
              ? "the file agrees with these rules on every symbol guestmem models\n"
              : std::to_string(cfg.contradictions.size()) + " line(s) of the file contradict these rules (stderr)\n");
  o << '\n';
  o << "xen_alloc_unpopulated_pages() -> " << xen_allocator_name(choice.allocator)
    << (choice.runtime_fallback ? " (run-time fallback)" : "") << '\n';
  for (const auto& r : choice.reason) o << "  " << r << '\n';
  o << "\nwhy XEN_UNPOPULATED_ALLOC=" << cfg.text("XEN_UNPOPULATED_ALLOC") << ":\n";
  for (std::size_t i = 0; i < cfg.explanation.size(); ++i) o << "  " << (i ? "<- " : "") << cfg.explanation[i] << '\n';
  o << "\nsymbols:\n";
  auto row = [&](std::string_view name, const KValue& v) {
    o << "  " << name << std::string(name.size() < 34 ? 34 - name.size() : 1, ' ') << v.text() << '\n';
  };
  if (a.all) {
    for (const auto& [name, v] : cfg.symbols) row(name, v);
  } else {
    for (auto name : kShown)
      if (const KValue* v = cfg.find(name)) row(name, *v);
  }
  std::cout << o.str();
}

std::vector<std::string> split_list(const std::string& s) {
  std::vector<std::string> out;
  std::string cur;
  for (char ch : s + ",") {
    if (ch != ',') {
      cur += ch;
    } else if (!cur.empty()) {
      out.push_back(cur);
      cur.clear();
    }
  }
  return out;
}

// `--matrix [SCENARIO]`: --arch and --kernel become comma-separated filters.
void execute_matrix(const KconfigArgs& a, Context& ctx) {
  if (a.set_opt->count() || a.stage_opt->count() || a.all)
    throw InputError("--matrix: found --set, --stage or --all, expected none of them (the matrix sets the symbols)");
  MatrixOptions opt;
  opt.scenario = a.matrix;
  if (a.config_opt->count()) opt.kconfig_file = a.config;
  if (a.arch_opt->count())
    for (const auto& s : split_list(a.arch)) {
      auto arch = parse_arch(s);
      if (!arch) throw InputError("--arch: found \"" + s + "\", expected a list of x86_64, i386, arm64, arm, riscv64");
      opt.archs.push_back(*arch);
    }
  if (a.kernel_opt->count())
    for (const auto& s : split_list(a.kernel)) {
      auto k = KernelVersion::parse(s);
      if (!k)
        throw InputError("--kernel: found \"" + s + "\", expected a list of MAJOR.MINOR[.PATCH][-rcN] or v4-patch");
      opt.kernels.push_back(*k);
    }
  if (a.max_duration != "none") {
    auto t = parse_duration(a.max_duration);
    if (!t.value || *t.value == 0)
      throw InputError("--max-duration: found \"" + a.max_duration + "\", expected a positive duration or none" +
                       (t.value ? "" : " (" + t.problem + ")"));
    opt.max_duration = SimTime{static_cast<std::int64_t>(*t.value)};
    opt.max_duration_explicit = a.max_duration_opt->count() > 0;
  }
  opt.jobs = a.jobs;
  opt.out = a.out;
  opt.self = self_executable(ctx.argv0);
  opt.extra_args = ctx.simgrid_args;
  opt.progress = !a.quiet;
  MatrixResult r = run_kconfig_matrix(opt);
  nlohmann::json j = matrix_to_json(r);
  write_file_atomically(std::filesystem::path(a.out) / "matrix.json", j.dump(2) + "\n");
  std::string text = format_matrix_text(r);
  write_file_atomically(std::filesystem::path(a.out) / "matrix.txt", text);
  if (a.json)
    std::cout << j.dump(2) << '\n';
  else
    std::cout << text
              << (a.quiet ? ""
                          : "written: " + (std::filesystem::path(a.out) / "matrix.json").string() + ", " +
                                (std::filesystem::path(a.out) / "matrix.txt").string() + "\n");
  if (r.unexpected()) std::cerr << "guestmem: " << r.unexpected() << " cell(s) with an unexpected outcome\n";
  ctx.exit_code = r.unexpected() ? kExitFailed : kExitOk;
}

void add_kconfig(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<KconfigArgs>();
  auto* sub = app.add_subcommand("kconfig", "Resolve the Kconfig symbols that pick the allocator Xen callers get");
  sub->description(
      "Resolves XEN_UNPOPULATED_ALLOC, ZONE_DEVICE and its dependencies, the balloon and Xen options for an\n"
      "arch and kernel version, explains why XEN_UNPOPULATED_ALLOC has its value, and names what\n"
      "xen_alloc_unpopulated_pages() resolves to: the unpopulated (ZONE_DEVICE) allocator or ballooned\n"
      "pages, including the 5.17+ run-time fallback when no target resource exists (Arm with ACPI, or Xen\n"
      "older than 4.16). The base is a distro-like dom0 kernel (XEN_DOM0, XEN_BACKEND, XEN_GNTDEV=m,\n"
      "ZONE_DEVICE, MEMORY_HOTPLUG, MEMORY_HOTREMOVE, SPARSEMEM_VMEMMAP where the arch offers them);\n"
      "or the real .config given with --config; --set overrides it as a .config line would. Kconfig's warnings go to stderr. See docs/kconfig.md.");
  args->arch_opt = sub->add_option("--arch", args->arch,
                                   "x86_64 | i386 | arm64 | arm | riscv64 (with --matrix: a comma-separated filter)")
                       ->capture_default_str();
  args->kernel_opt =
      sub->add_option("--kernel", args->kernel,
                      "MAJOR.MINOR[.PATCH][-rcN] or v4-patch (with --matrix: a comma-separated list of kernels)")
          ->capture_default_str();
  args->set_opt =
      sub->add_option("--set", args->sets, "SYMBOL=VALUE (y, m, n or a number); once per symbol, repeatable");
  args->config_opt = sub->add_option(
      "--config", args->config,
      "A real kernel configuration as the base instead of the built-in distro dom0 config: a .config,\n"
      "/boot/config-*, /proc/config.gz (gzipped or not) or CONFIG_X=y lines; --set applies on top.\n"
      "Without --arch/--kernel, the file's own arch and version are used. Lines the kernel's rules\n"
      "contradict are warned about on stderr (with --matrix: every cell's base)");
  args->stage_opt = sub->add_option("--stage", args->stage,
                                    "Use this Kconfig rule stage instead of the one --kernel implies "
                                    "(pre-5.9, v4-patch, v5-patch, 5.9, 5.12, 5.16, 5.17)");
  sub->add_option("--firmware", args->firmware, "How an Arm guest boots: dt | acpi (ACPI leaves no target resource)")
      ->capture_default_str();
  sub->add_option("--xen", args->xen, "Xen version MAJOR.MINOR (extended regions for Arm from 4.16)")
      ->capture_default_str();
  sub->add_flag("--all", args->all, "List every symbol of the rule set, not just the ones that matter");
  sub->add_flag("--json", args->json, "Print one JSON document on stdout");
  args->matrix_opt =
      sub->add_option("--matrix", args->matrix,
                      "Run SCENARIO (default: the embedded scenarios/default.json) over arch x kernel x\n"
                      "{ZONE_DEVICE, XEN_UNPOPULATED_ALLOC, XEN_BALLOON_MEMORY_HOTPLUG} = y/n, one `guestmem run`\n"
                      "child per distinct resolved configuration, and classify every cell; exit 1 when a cell\n"
                      "has an unexpected outcome (docs/kconfig.md, \"The matrix\")")
          ->expected(0, 1);
  sub->add_option("--jobs,-j", args->jobs, "Matrix: simulations running at once (default: cores)")
      ->check(CLI::Range(1, 256));
  sub->add_option("--out", args->out, "Matrix: output directory (cells/, matrix.json, matrix.txt)")
      ->capture_default_str();
  args->max_duration_opt =
      sub->add_option("--max-duration", args->max_duration,
                      "Matrix: run each cell for min(scenario duration, this); \"none\" keeps the scenario's\n"
                      "(by default a scenario with events after 10 s runs in full)")
          ->capture_default_str();
  sub->add_flag("--quiet", args->quiet, "Matrix: no progress on stderr");
  sub->footer(
      "Examples:\n"
      "  guestmem kconfig --arch arm64 --kernel 5.9\n"
      "  guestmem kconfig --config /boot/config-$(uname -r)\n"
      "  guestmem kconfig --kernel 5.9 --set XEN_PV=n --set XEN_BACKEND=n --set XEN_GNTDEV=n   # a domU\n"
      "  guestmem kconfig --set MEMORY_HOTREMOVE=n --json\n"
      "  guestmem kconfig --matrix --jobs 2 --out out/matrix          # the default scenario, every cell\n"
      "  guestmem kconfig --matrix scenarios/pci-window.json --arch x86_64,arm64 --kernel 5.12,6.12 --json");
  sub->callback([args, &ctx] {
    if (args->matrix_opt->count())
      execute_matrix(*args, ctx);
    else
      execute(*args);
  });
}

}  // namespace

GUESTMEM_COMMAND(40, add_kconfig);

}  // namespace gm::cli
