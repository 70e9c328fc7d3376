// The scenario loader: defaults, every unit, the full fixture field by field, and error lines.
#include <gtest/gtest.h>

#include "models/errors.h"
#include "sim/scenario/scenario.h"
#include "sim/scenario/scenario_loader.h"
#include "tests/support/run_cli.h"

namespace gm {
namespace {

using nlohmann::json;

ScenarioCheck check(const std::string& text) { return check_scenario_text(text, "t.json", test::data_path("scenario")); }

std::vector<std::string> errors_of(const std::string& text) { return check(text).errors; }

TEST(ScenarioLoader, EmptyObjectGivesEveryDefault) {
  Scenario s = load_scenario_text("{}", "t.json", ".");
  EXPECT_EQ(s.name, "unnamed");
  EXPECT_EQ(s.seed, 1u);
  EXPECT_EQ(s.kernel.str(), "6.12");
  EXPECT_EQ(s.arch, Arch::x86_64);
  EXPECT_EQ(s.duration, seconds(60));
  EXPECT_EQ(s.sampling, seconds(1));
  EXPECT_EQ(s.guest.type, GuestType::pvh);
  EXPECT_FALSE(s.guest.dom0);
  EXPECT_EQ(s.guest.memory, GiB(4));
  EXPECT_EQ(s.guest.maxmem, GiB(4));
  EXPECT_EQ(s.guest.vcpus, 2);
  EXPECT_EQ(s.guest.firmware, Firmware::acpi);
  EXPECT_FALSE(s.guest.e820_file);
  EXPECT_TRUE(s.guest.e820.empty());
  EXPECT_EQ(s.xen.version, "4.19");
  EXPECT_EQ(s.xen.host_free_memory, GiB(64));
  EXPECT_TRUE(s.balloon.scrub);
  EXPECT_EQ(s.balloon.max_retry_count, 4);
  EXPECT_EQ(s.balloon.max_schedule_delay, seconds(32));
  EXPECT_TRUE(s.balloon.auto_online);
  EXPECT_FALSE(s.workload.memory_pressure);
  EXPECT_TRUE(s.workload.callers.empty());

  json j = to_json(s);
  EXPECT_EQ(j["guest"]["memory"], "4 GiB");
  EXPECT_EQ(j["guest"]["maxmem"], "4 GiB");
  EXPECT_EQ(j["duration"], "1 min");
  EXPECT_EQ(j["balloon"]["max_schedule_delay"], "32 s");
  EXPECT_TRUE(j["guest"]["e820"].is_null());
  EXPECT_TRUE(j["workload"]["memory_pressure"].is_null());
}

TEST(ScenarioLoader, DerivedDefaults) {
  Scenario s = load_scenario_text(
      R"({"duration": "90 s", "guest": {"memory": "8 GiB"}, "workload": {"callers": [{"kind": "netback"}]}})",
      "t.json", ".");
  EXPECT_EQ(s.guest.maxmem, GiB(8));               // maxmem = memory
  EXPECT_EQ(s.workload.callers[0].name, "netback");  // name = kind
  EXPECT_EQ(s.workload.callers[0].stop, seconds(90));  // stop = duration
  EXPECT_EQ(s.workload.callers[0].count, 1);
  EXPECT_EQ(s.workload.callers[0].arrival.process, ArrivalProcess::poisson);
  EXPECT_DOUBLE_EQ(s.workload.callers[0].arrival.rate_per_s, 100.0);
  EXPECT_EQ(s.workload.callers[0].hold, milliseconds(10));
}

TEST(ScenarioLoader, FullFixtureFieldByField) {
  Scenario s = load_scenario_file(test::data_path("scenario/full.json"));
  EXPECT_EQ(s.name, "full");
  EXPECT_EQ(s.seed, 42u);
  EXPECT_EQ(s.kernel.str(), "5.10.70");
  EXPECT_EQ(s.duration, seconds(90));
  EXPECT_EQ(s.sampling, milliseconds(250));
  ASSERT_EQ(s.expect.size(), 4u);
  EXPECT_EQ(s.expect[1].check, ExpectCheck::metric_max);
  EXPECT_EQ(s.expect[1].metric, "latency.overall.p99_ns");
  EXPECT_EQ(s.expect[1].value, "5 ms");
  EXPECT_FALSE(s.expect[1].value_is_number);
  EXPECT_TRUE(s.expect[2].value_is_number);
  EXPECT_EQ(s.expect[2].value, "0.5");
  EXPECT_EQ(s.expect[3].strategy, "unpopulated");
  EXPECT_EQ(s.guest.type, GuestType::pv);
  EXPECT_TRUE(s.guest.dom0);
  EXPECT_EQ(s.guest.memory, GiB(2));
  EXPECT_EQ(s.guest.maxmem, GiB(3));
  EXPECT_EQ(s.guest.vcpus, 8);
  ASSERT_EQ(s.guest.e820.size(), 3u);
  EXPECT_EQ(s.guest.e820[0].range.end, PhysAddr{0x9ffff});
  EXPECT_EQ(s.guest.e820[1].range.start, PhysAddr{0x100000});
  EXPECT_EQ(s.guest.e820[1].range.end, PhysAddr{0x7fffffff});
  EXPECT_EQ(s.guest.e820[2].type, "reserved");
  ASSERT_TRUE(s.guest.iomem);
  EXPECT_EQ(s.guest.iomem->filename(), "iomem.txt");
  EXPECT_TRUE(std::filesystem::exists(*s.guest.iomem));
  EXPECT_EQ(s.kconfig.at("XEN_UNPOPULATED_ALLOC"), "y");
  EXPECT_EQ(s.kconfig.at("NR_CPUS"), "64");
  EXPECT_EQ(s.xen.version, "4.17");
  EXPECT_EQ(s.xen.host_free_memory, GiB(512));
  ASSERT_EQ(s.xen.faults.size(), 1u);
  EXPECT_EQ(s.xen.faults[0].what, FaultWhat::populate_physmap);
  EXPECT_EQ(s.xen.faults[0].at, seconds(10));
  EXPECT_EQ(s.xen.faults[0].count, 3);
  EXPECT_FALSE(s.balloon.scrub);
  EXPECT_EQ(s.balloon.max_retry_count, 0);
  EXPECT_EQ(s.balloon.max_schedule_delay, seconds(16));
  EXPECT_TRUE(s.balloon.hotplug_unpopulated);
  EXPECT_FALSE(s.balloon.auto_online);
  EXPECT_EQ(s.balloon.online_delay, milliseconds(500));
  ASSERT_EQ(s.balloon.target.size(), 2u);
  EXPECT_EQ(s.balloon.target[0].size, MiB(1536));
  EXPECT_EQ(s.balloon.target[1].at, seconds(60));
  ASSERT_TRUE(s.costs.file);
  EXPECT_EQ(s.costs.file->filename(), "costs.json");
  EXPECT_EQ(s.costs.overrides.at("scrub_page"), "1500 ns");
  ASSERT_EQ(s.workload.callers.size(), 3u);
  const auto& g = s.workload.callers[0];
  EXPECT_EQ(g.name, "gntdev");
  EXPECT_EQ(g.count, 3);
  EXPECT_EQ(g.arrival.process, ArrivalProcess::burst);
  EXPECT_DOUBLE_EQ(g.arrival.rate_per_s, 2.5);
  EXPECT_EQ(g.arrival.burst_size, 8);
  EXPECT_EQ(g.size.distribution, SizeDistribution::uniform);
  EXPECT_EQ(g.size.min_pages, 2);
  EXPECT_EQ(g.size.max_pages, 64);
  EXPECT_EQ(g.hold, milliseconds(200));
  EXPECT_EQ(g.start, seconds(1));
  EXPECT_EQ(g.stop, seconds(90));
  EXPECT_EQ(g.max_requests, 1000u);
  EXPECT_EQ(s.workload.callers[1].name, "disk");
  EXPECT_EQ(s.workload.callers[1].arrival.period, milliseconds(5));
  EXPECT_EQ(s.workload.callers[1].size.choices, (std::vector<std::int64_t>{1, 2, 4}));
  EXPECT_EQ(s.workload.callers[1].stop, seconds(45));
  EXPECT_DOUBLE_EQ(s.workload.callers[2].size.median_pages, 256.0);
  EXPECT_DOUBLE_EQ(s.workload.callers[2].size.sigma, 0.5);
  ASSERT_TRUE(s.workload.memory_pressure);
  EXPECT_EQ(s.workload.memory_pressure->order, 2);
  EXPECT_EQ(s.workload.memory_pressure->lifetime, seconds(2));
  EXPECT_EQ(s.workload.memory_pressure->target_used, GiB(1));
  ASSERT_EQ(s.workload.pci.size(), 1u);
  EXPECT_EQ(s.workload.pci[0].kind, PciKind::bar);
  EXPECT_EQ(s.workload.pci[0].start, PhysAddr{0xf0000000});
  EXPECT_EQ(s.workload.pci[0].size, MiB(16));
}

// to_json(bind(normalize(x))) must equal normalize(x): the binding reads every field the table declares.
TEST(ScenarioLoader, ToJsonMatchesTheTableNormalization) {
  for (const char* f : {"scenario/full.json", "scenario/e820_file.json"}) {
    auto r = check_scenario_file(test::data_path(f));
    ASSERT_TRUE(r.errors.empty()) << r.errors.front();
    EXPECT_EQ(to_json(*r.scenario), r.normalized) << f << "\n" << to_json(*r.scenario).dump(1) << "\n"
                                                  << r.normalized.dump(1);
    // And loading what to_json printed gives the same scenario again.
    Scenario again = load_scenario_text(to_json(*r.scenario).dump(), "again.json", test::data_path("scenario"));
    EXPECT_EQ(to_json(again), to_json(*r.scenario));
  }
}

TEST(ScenarioLoader, SchemaHintIsAcceptedAndDropped) {
  auto r = check(R"({"$schema": "../../scenarios/scenario.schema.json", "seed": 3})");
  ASSERT_TRUE(r.errors.empty()) << r.errors.front();
  EXPECT_FALSE(to_json(*r.scenario).contains("$schema"));
  EXPECT_EQ(to_json(*r.scenario), r.normalized);
  EXPECT_EQ(errors_of(R"({"$schema": 1})").at(0), "t.json: /$schema: found 1, expected a string");
}

// The scenario's names for the shared enums must be the ones the models print.
TEST(ScenarioLoader, EnumNamesMatchTheModels) {
  for (int i = 0; i <= static_cast<int>(CallerKind::drm_front); ++i)
    EXPECT_EQ(to_string(static_cast<CallerKind>(i)), caller_kind_name(static_cast<CallerKind>(i)));
  for (int i = 0; i <= static_cast<int>(Arch::riscv64); ++i)
    EXPECT_EQ(to_string(static_cast<Arch>(i)), arch_name(static_cast<Arch>(i)));
  for (int i = 0; i <= static_cast<int>(GuestType::hvm); ++i)
    EXPECT_EQ(to_string(static_cast<GuestType>(i)), guest_type_name(static_cast<GuestType>(i)));
}

TEST(ScenarioLoader, DefaultScenarioLoads) {
  Scenario s = load_scenario_file(test::source_path("scenarios/default.json"));
  EXPECT_EQ(s.name, "default");
}

TEST(ScenarioLoader, E820FileIsResolvedNotParsed) {
  Scenario s = load_scenario_file(test::data_path("scenario/e820_file.json"));
  ASSERT_TRUE(s.guest.e820_file);
  EXPECT_EQ(s.guest.e820_file->filename(), "host.e820");
  EXPECT_TRUE(std::filesystem::exists(*s.guest.e820_file));
  EXPECT_TRUE(s.guest.e820.empty());
  EXPECT_EQ(to_json(s)["guest"]["e820"], (json{{"file", "host.e820"}}));
}

struct UnitCase {
  const char* text;
  std::uint64_t value;
  const char* normalized;
};

TEST(ScenarioLoader, EverySizeUnit) {
  for (auto c : {UnitCase{"1 B", 1, "1 B"}, UnitCase{"4097 B", 4097, "4097 B"}, UnitCase{"3 KiB", 3072, "3 KiB"},
                 UnitCase{"16 MiB", 16u << 20, "16 MiB"}, UnitCase{"4GiB", 4ull << 30, "4 GiB"},
                 UnitCase{"2 TiB", 2ull << 40, "2 TiB"}, UnitCase{"1.5 GiB", 3ull << 29, "1536 MiB"},
                 UnitCase{"1024 MiB", 1ull << 30, "1 GiB"}}) {
    auto r = check(std::string(R"({"xen": {"host_free_memory": ")") + c.text + "\"}}");
    ASSERT_TRUE(r.errors.empty()) << c.text << ": " << r.errors.front();
    EXPECT_EQ(r.scenario->xen.host_free_memory.value, c.value) << c.text;
    EXPECT_EQ(to_json(*r.scenario)["xen"]["host_free_memory"], c.normalized) << c.text;
  }
}

TEST(ScenarioLoader, EveryDurationUnit) {
  for (auto c : {UnitCase{"7 ns", 7, "7 ns"}, UnitCase{"5 us", 5000, "5 us"}, UnitCase{"200 ms", 200000000, "200 ms"},
                 UnitCase{"3 s", 3000000000, "3 s"}, UnitCase{"2 min", 120000000000, "2 min"},
                 UnitCase{"1 h", 3600000000000, "1 h"}, UnitCase{"1.5 s", 1500000000, "1500 ms"},
                 UnitCase{"200ms", 200000000, "200 ms"}}) {
    auto r = check(std::string(R"({"duration": "2 h", "balloon": {"online_delay": ")") + c.text + "\"}}");
    ASSERT_TRUE(r.errors.empty()) << c.text << ": " << r.errors.front();
    EXPECT_EQ(r.scenario->balloon.online_delay.ns, static_cast<std::int64_t>(c.value)) << c.text;
    EXPECT_EQ(to_json(*r.scenario)["balloon"]["online_delay"], c.normalized) << c.text;
  }
}

TEST(ScenarioLoader, ErrorLinesNamePathFoundAndExpected) {
  EXPECT_EQ(errors_of(R"({"guest": {"memory": 4096}})"),
            std::vector<std::string>{"t.json: /guest/memory: found 4096, expected a size with a unit (B, KiB, MiB, "
                                     "GiB, TiB) such as \"4 GiB\" in [16 MiB, 64 TiB] (did you mean \"4096 MiB\"? a "
                                     "bare number is ambiguous: xl.cfg means MiB)"});
  EXPECT_EQ(errors_of(R"({"guest": {"memroy": "4 GiB"}})").at(0).substr(0, 59),
            "t.json: /guest/memroy: found unknown key \"memroy\", expected");
  EXPECT_NE(errors_of(R"({"guest": {"memroy": "4 GiB"}})").at(0).find("(did you mean \"memory\"?)"), std::string::npos);
  EXPECT_EQ(errors_of(R"({"guest": {"vcpus": 129}})"),
            std::vector<std::string>{"t.json: /guest/vcpus: found 129, expected an integer in [1, 128]"});
  EXPECT_EQ(errors_of(R"({"guest": {"memory": "4 GiB", "maxmem": "2 GiB"}})"),
            std::vector<std::string>{"t.json: /guest/maxmem: found \"2 GiB\", expected at least guest.memory \"4 GiB\""});
  EXPECT_EQ(errors_of(R"({"arch": "amd64"})").at(0),
            "t.json: /arch: found \"amd64\", expected one of \"x86_64\", \"i386\", \"arm64\", \"arm\", \"riscv64\"");
  EXPECT_EQ(errors_of(R"({"guest": {"type": "pvhh"}})").at(0),
            "t.json: /guest/type: found \"pvhh\", expected one of \"pv\", \"pvh\", \"hvm\" (did you mean \"pvh\"?)");
  EXPECT_EQ(errors_of(R"({"xen": {"host_free_memory": "4 GB"}})").at(0).substr(0, 51),
            "t.json: /xen/host_free_memory: found \"4 GB\", expect");
  EXPECT_NE(errors_of(R"({"xen": {"host_free_memory": "4 GB"}})").at(0).find("did you mean \"4 GiB\"?"),
            std::string::npos);
  EXPECT_EQ(errors_of(R"({"workload": {"callers": [{"kind": "gntdev", "start": "10 s", "stop": "5 s"}]}})"),
            std::vector<std::string>{"t.json: /workload/callers/0/start: found \"10 s\", expected a start before stop "
                                     "\"5 s\""});
  EXPECT_EQ(errors_of(R"({"workload": {"callers": [{"count": 2}]}})").at(0).substr(0, 62),
            "t.json: /workload/callers/0/kind: found nothing, expected one ");
  EXPECT_EQ(errors_of(R"({"kernel": "8.0"})").at(0).substr(0, 42), "t.json: /kernel: found \"8.0\", expected a k");
  EXPECT_EQ(errors_of(R"({"seed": -1})").at(0),
            "t.json: /seed: found -1, expected an integer in [0, 18446744073709551615]");
  EXPECT_EQ(errors_of(R"({"seed": 18446744073709551616})").at(0),
            "t.json: /seed: found 1.8446744073709552e+19 (a number beyond 2^64-1), expected an integer in [0, "
            "18446744073709551615]");
  EXPECT_EQ(errors_of(R"({"guest": {"iomem": "nope.txt"}})").at(0).substr(0, 50),
            "t.json: /guest/iomem: found \"nope.txt\", expected a");
  EXPECT_EQ(errors_of("[1, 2]"), std::vector<std::string>{"t.json: /: found an array, expected a JSON object (a scenario)"});
}

TEST(ScenarioLoader, SyntaxErrorsGiveLineAndColumn) {
  auto e = errors_of("{\n  \"seed\": 1,\n  \"name\": x\n}");
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].substr(0, 12), "t.json:3:11:") << e[0];
  e = errors_of("{\"seed\": NaN}");
  EXPECT_EQ(e.at(0).substr(0, 12), "t.json:1:10:") << e[0];
  e = errors_of("{\"name\": \"a\"");
  EXPECT_EQ(e.at(0).substr(0, 12), "t.json:1:13:") << e[0];
  e = errors_of("");
  EXPECT_EQ(e.at(0), "t.json:1:1: found an empty file, expected a JSON object");
  e = errors_of(std::string("{\"name\": \"a\xff\"}"));
  EXPECT_EQ(e.at(0), "t.json:1:12: found byte 0xFF that is not UTF-8, expected UTF-8 JSON text");
}

TEST(ScenarioLoader, DuplicateKeysAndDepth) {
  auto e = errors_of(R"({"guest": {"memory": "1 GiB", "memory": "2 GiB"}})");
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0], "t.json: /guest/memory: found duplicate key \"memory\", expected each key once per object");
  std::string deep(100, '[');
  e = errors_of("{\"x\": " + deep);
  ASSERT_EQ(e.size(), 1u);
  EXPECT_NE(e[0].find("found nesting deeper than 64 levels"), std::string::npos) << e[0];
}

TEST(ScenarioLoader, AllErrorsOfAFileAreCollected) {
  auto e = errors_of(R"({"seed": "x", "guest": {"vcpus": 0, "firmware": "uefi"}, "nme": 1})");
  ASSERT_EQ(e.size(), 4u);
  EXPECT_EQ(e[0].substr(0, 13), "t.json: /nme:");
  EXPECT_EQ(e[1].substr(0, 14), "t.json: /seed:");
  EXPECT_EQ(e[2].substr(0, 21), "t.json: /guest/vcpus:");
  EXPECT_EQ(e[3].substr(0, 24), "t.json: /guest/firmware:");
}

TEST(ScenarioLoader, LoadThrowsInputErrorWithEveryLine) {
  try {
    load_scenario_text(R"({"guest": {"vcpus": 0, "memory": "-1 GiB"}})", "x.json", ".");
    FAIL() << "no exception";
  } catch (const InputError& e) {
    ASSERT_EQ(e.lines().size(), 2u);
    EXPECT_EQ(e.lines()[0].substr(0, 23), "x.json: /guest/memory: ");
  }
}

TEST(ScenarioLoader, AddressSpaceAndArchRules) {
  auto e = errors_of(R"({"arch": "i386", "workload": {"pci": [{"at": "1 s", "kind": "window", "name": "w",
                        "start": "0xff0000000", "size": "1 GiB"}]}})");
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0], "t.json: /workload/pci/0: found the range [0xff0000000, 0x102fffffff], expected a range inside the "
                  "i386 physical address space [0, 0xfffffffff] (MAX_PHYSMEM_BITS 36)");
  e = errors_of(R"({"arch": "arm64", "guest": {"type": "pv"}})");
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].substr(0, 21), "t.json: /guest/type: ");
  EXPECT_TRUE(errors_of(R"({"arch": "arm64", "xen": {"extended_regions": [{"start": "0x80000000000",
                          "end": "0x8ffffffffff"}]}})").empty());
  EXPECT_EQ(errors_of(R"({"xen": {"extended_regions": [{"start": 0, "end": 1}]}})").size(), 1u);
}

}  // namespace
}  // namespace gm

namespace gm {
namespace {

// Placement keys (docs/architecture.md "The CPU model") name an existing vCPU.
TEST(ScenarioLoader, PlacementsNameAVcpuOfTheGuest) {
  EXPECT_EQ(errors_of(R"({"guest": {"vcpus": 2}, "workload": {"callers": [{"kind": "gntdev", "vcpu": 2}]}})"),
            std::vector<std::string>{"t.json: /workload/callers/0/vcpu: found 2, expected a vCPU below guest.vcpus 2 "
                                     "(they are numbered from 0)"});
  EXPECT_EQ(errors_of(R"({"guest": {"vcpus": 1}, "balloon": {"vcpu": 1}})"),
            std::vector<std::string>{"t.json: /balloon/vcpu: found 1, expected a vCPU below guest.vcpus 1 (they are "
                                     "numbered from 0)"});
  EXPECT_EQ(errors_of(R"({"guest": {"vcpus": 4}, "workload": {"memory_pressure": {"vcpu": 4, "kcompactd_vcpu": 3}}})"),
            std::vector<std::string>{"t.json: /workload/memory_pressure/vcpu: found 4, expected a vCPU below "
                                     "guest.vcpus 4 (they are numbered from 0)"});
  Scenario s = load_scenario_text(R"({"guest": {"vcpus": 4}, "balloon": {"vcpu": 3},
      "workload": {"callers": [{"kind": "gntdev", "vcpu": 1}, {"kind": "blkback"}],
                   "memory_pressure": {"kcompactd_vcpu": 2}}})", "t.json", ".");
  EXPECT_EQ(s.balloon.vcpu, 3);
  EXPECT_EQ(s.workload.callers.at(0).vcpu, std::optional<int>(1));
  EXPECT_FALSE(s.workload.callers.at(1).vcpu.has_value());  // round robin
  EXPECT_FALSE(s.workload.memory_pressure->vcpu.has_value());  // the last vCPU
  EXPECT_EQ(s.workload.memory_pressure->kcompactd_vcpu, 2);
}

}  // namespace
}  // namespace gm
