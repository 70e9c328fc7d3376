// The real-backend seam: refusals, the missing-privcmd path, the trace format, and the production
// balloon driver running unchanged over XenHypervisor with a test double of the libxen layer.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "models/xen/balloon.h"
#include "sim/engine/cost_model.h"
#include "models/errors.h"
#include "sim/hypervisor/backend.h"
#include "sim/hypervisor/hypercall_trace.h"
#include "sim/hypervisor/xen_calls.h"
#include "sim/run/runner.h"
#include "sim/scenario/scenario.h"
#include "tests/support/fake_guest_kernel.h"
#include "tests/support/inline_env.h"
#include "tests/support/run_cli.h"
#ifdef GUESTMEM_WITH_XEN
#include "sim/hypervisor/xen.h"
#endif

namespace gm {
namespace {

// Test double of the libxen layer: domains with tot/max pages; remembers which gfns are populated
// and records every hypercall with the gfns it was given.
class FakeXenCalls : public XenCalls {
 public:
  struct Call {
    std::string kind;
    std::uint32_t domid;
    std::vector<Pfn> gfns;
  };
  long populate_physmap(std::uint32_t domid, std::span<Pfn> gfns) override {
    std::this_thread::sleep_for(delay);
    calls.push_back({"populate", domid, {gfns.begin(), gfns.end()}});
    if (fail_every_populate > 0 && ++populates % fail_every_populate == 0) return 0;  // no extent done
    auto& d = domains.at(domid);
    long done = 0;
    for (Pfn g : gfns) {
      if (d.tot_pages >= d.max_pages) break;  // Xen stops at the first extent it cannot allocate
      ++d.tot_pages;
      populated.insert(g.value);
      ++done;
    }
    return done;
  }
  long decrease_reservation(std::uint32_t domid, std::span<Pfn> gfns) override {
    std::this_thread::sleep_for(delay);
    calls.push_back({"decrease", domid, {gfns.begin(), gfns.end()}});
    if (fail_decrease || (fail_every_decrease > 0 && ++decreases % fail_every_decrease == 0)) return -22;
    auto& d = domains.at(domid);
    d.tot_pages -= gfns.size();
    for (Pfn g : gfns) populated.erase(g.value);
    return static_cast<long>(gfns.size());
  }
  std::optional<XenDomainInfo> domain_info(std::uint32_t domid) override {
    auto it = domains.find(domid);
    if (it == domains.end()) return std::nullopt;
    return it->second;
  }
  bool is_own_domain(std::uint32_t domid) override { return domid == own; }

  std::map<std::uint32_t, XenDomainInfo> domains;
  std::uint32_t own = 3;
  bool fail_decrease = false;
  unsigned fail_every_decrease = 0;  // every Nth decrease_reservation fails with -EINVAL (0: none)
  unsigned decreases = 0;
  unsigned fail_every_populate = 0;  // every Nth populate_physmap does no extent (0: none)
  unsigned populates = 0;
  // Each hypercall takes at least this long, so the time the backend measures and charges is known to be
  // at least delay per call (the real backend charges steady_clock time around the call).
  std::chrono::microseconds delay{200};
  std::set<std::uint64_t> populated;
  std::vector<Call> calls;
};

TEST(XenBackendRequest, UsageChecksAreInputErrors) {
  EXPECT_THROW(check_backend_request({BackendKind::sim, 5, false, {}, {}}), InputError);
  EXPECT_THROW(check_backend_request({BackendKind::sim, {}, true, {}, {}}), InputError);
  EXPECT_THROW(check_backend_request({BackendKind::xen, {}, false, {}, {}}), InputError);
  try {
    check_backend_request({BackendKind::xen, 0, false, {}, {}});
    FAIL() << "domain 0 accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("refused, domain 0 is the control domain"), std::string::npos) << e.what();
  }
  EXPECT_NO_THROW(check_backend_request({BackendKind::sim, {}, false, {}, {}}));
}

TEST(XenBackendRequest, MissingPrivcmdIsAnEnvironmentErrorWithTheExactMessage) {
  test::TempDir dir;
  try {
    check_backend_request({BackendKind::xen, 5, false, {}, {}}, dir / "privcmd");
    FAIL() << "no privcmd accepted";
  } catch (const EnvironmentError& e) {
    EXPECT_EQ(std::string(e.what()),
              "the real Xen backend needs a Xen domain with /dev/xen/privcmd; this machine has none");
  }
  // A dry run prints what it would do and needs no Xen.
  EXPECT_NO_THROW(check_backend_request({BackendKind::xen, 5, true, {}, {}}, dir / "privcmd"));
}

TEST(HypercallTrace, OneJsonObjectPerLine) {
  HypercallRecord r{"populate_physmap", 512, 510, SimTime{1000}, SimTime{73120}};
  EXPECT_EQ(
      format_hypercall_record(r, 5),
      R"({"kind":"populate_physmap","domain":5,"extents":512,"order":0,"result":510,"ns":73120,"start_ns":1000})");
  EXPECT_EQ(
      format_hypercall_record({"decrease_reservation", 1, -22, SimTime{0}, SimTime{900}}, std::nullopt),
      R"({"kind":"decrease_reservation","domain":null,"extents":1,"order":0,"result":-22,"ns":900,"start_ns":0})");
  test::TempDir dir;
  {
    HypercallTraceWriter w(dir / "t.jsonl", 7);
    w.write(r);
    w.write(r);
    EXPECT_EQ(w.records(), 2u);
  }
  std::string text = test::read_file(dir / "t.jsonl");
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 2);
  // Missing folders are created (as for --out); a folder that cannot be created is the environment's fault.
  EXPECT_NO_THROW(HypercallTraceWriter(dir / "no" / "such" / "dir.jsonl", 7));
  EXPECT_TRUE(std::filesystem::is_regular_file(dir / "no" / "such" / "dir.jsonl"));
  test::write_file(dir / "file", "x");
  EXPECT_THROW(HypercallTraceWriter(dir / "file" / "t.jsonl", 7), EnvironmentError);
}

#ifdef GUESTMEM_WITH_XEN

FakeXenCalls target_with(std::uint64_t tot, std::uint64_t max) {
  FakeXenCalls f;
  f.domains[5] = {5, tot, max, false};
  f.domains[3] = {3, tot, max, false};
  f.domains[9] = {9, tot, max, true};
  return f;
}

std::string refusal(FakeXenCalls& f, XenTargetExpectation e) {
  try {
    verify_xen_target(f, e);
  } catch (const InputError& err) {
    EXPECT_TRUE(f.calls.empty()) << "a hypercall before the target was verified";
    return err.what();
  }
  return "";
}

TEST(XenTarget, RefusesDomainZeroMissingDyingOwnAndMismatchedDomains) {
  FakeXenCalls f = target_with(262144, 524288);  // 1 GiB, maxmem 2 GiB
  EXPECT_NE(refusal(f, {0, 262144, 524288}).find("domain 0 is the control domain"), std::string::npos);
  EXPECT_NE(refusal(f, {42, 262144, 524288}).find("no such domain"), std::string::npos);
  EXPECT_NE(refusal(f, {9, 262144, 524288}).find("dying"), std::string::npos);
  EXPECT_NE(refusal(f, {3, 262144, 524288}).find("the domain guestmem runs in"), std::string::npos);
  // 2 GiB expected, 1 GiB found.
  EXPECT_EQ(refusal(f, {5, 524288, 524288}),
            "--domid 5: refused, the domain has 262144 pages (tot_pages), the scenario's guest.memory is 524288 "
            "pages; create it with the scenario's memory");
  EXPECT_NE(refusal(f, {5, 262144, 1048576}).find("max_pages 524288 is below"), std::string::npos);
  // Within 1/64 of guest.memory (266240 / 64 = 4160 pages): the few pages xl adds are tolerated.
  EXPECT_EQ(refusal(f, {5, 266240, 524288}), "");
  EXPECT_EQ(refusal(f, {5, 262144, 524288}), "");
  EXPECT_NE(refusal(f, {5, 266500, 524288}), "");  // 4356 pages off, 4164 allowed
}

TEST(XenHypervisor, PassesTheDriversGfnsAndChargesTheMeasuredTime) {
  FakeXenCalls f = target_with(100, 103);
  std::vector<HypercallRecord> trace;
  std::vector<SimTime> charged;
  XenBackendConfig cfg;
  cfg.domid = 5;
  cfg.charge = [&](SimTime t) { charged.push_back(t); };
  cfg.now = [] { return SimTime{42}; };
  cfg.on_call = [&](const HypercallRecord& r) { trace.push_back(r); };
  XenHypervisor hv(f, cfg);
  std::vector<Pfn> gfns{Pfn{0x1000}, Pfn{0x1001}, Pfn{0x2000}, Pfn{0x2001}, Pfn{0x2002}};
  EXPECT_EQ(hv.populate_physmap(gfns), 3);  // max_pages - tot_pages = 3: partial populate
  ASSERT_EQ(f.calls.size(), 1u);
  EXPECT_EQ(f.calls[0].domid, 5u);
  EXPECT_EQ(f.calls[0].gfns, gfns);
  EXPECT_EQ(f.populated, (std::set<std::uint64_t>{0x1000, 0x1001, 0x2000}));
  EXPECT_EQ(hv.current_reservation(), 103u);
  EXPECT_EQ(hv.maximum_reservation(), 103u);
  f.fail_decrease = true;
  EXPECT_EQ(hv.decrease_reservation(std::span(gfns).first(1)), -22);  // errors pass through
  ASSERT_EQ(trace.size(), 2u);
  EXPECT_STREQ(trace[0].kind, "populate_physmap");
  EXPECT_EQ(trace[0].extents, 5u);
  EXPECT_EQ(trace[0].result, 3);
  EXPECT_EQ(trace[0].start, SimTime{42});
  EXPECT_EQ(trace[1].result, -22);
  ASSERT_EQ(charged.size(), 2u);
  EXPECT_EQ(charged[0], trace[0].duration);  // the time charged is the time recorded
  EXPECT_EQ(charged[1], trace[1].duration);
  // ... and it is the call's measured duration: at least the fake's 200 us, far below a second.
  for (SimTime t : charged) {
    EXPECT_GE(t.ns, 200'000);
    EXPECT_LT(t.ns, 1'000'000'000);
  }
  EXPECT_EQ(hv.populate_counts().calls, 1u);
  EXPECT_EQ(hv.populate_counts().frames, 3u);
  EXPECT_EQ(hv.decrease_counts().calls, 1u);
  EXPECT_EQ(hv.decrease_counts().frames, 0u);
}

// The production balloon driver, unchanged, over the real backend class with a fake libxen layer:
// the frames it balloons out are the gfns handed to Xen, and they come back on the way up.
TEST(XenHypervisor, BalloonDriverRunsUnchangedOverTheRealBackend) {
  constexpr std::uint64_t kPhys = 1 << 20;  // FakeGuestKernel's get_num_physpages()
  FakeXenCalls f = target_with(kPhys, kPhys + 4096);
  XenBackendConfig cfg;
  cfg.domid = 5;
  std::int64_t charged_ns = 0;
  cfg.charge = [&](SimTime t) { charged_ns += t.ns; };
  XenHypervisor hv(f, cfg);
  test::FakeGuestKernel kernel(GuestType::pvh);
  test::InlineEnv env(kernel);
  Balloon balloon(env, hv, BalloonConfig::for_version(KernelVersion::from("6.12"), true));
  ASSERT_EQ(balloon.init({}, {}), Errno::ok);

  balloon.set_target(kPhys - 513);
  balloon.worker_main([&] { return balloon.current_credit() == 0; });
  ASSERT_EQ(f.calls.size(), 2u);
  EXPECT_EQ(f.calls[0].kind, "decrease");
  EXPECT_EQ(f.calls[0].gfns.size(), 512u);
  EXPECT_EQ(f.calls[1].gfns.size(), 1u);
  EXPECT_EQ(f.domains[5].tot_pages, kPhys - 513);
  EXPECT_EQ(balloon.ballooned_pages(), 513u);
  std::set<std::uint64_t> out;
  for (const auto& c : f.calls)
    for (Pfn g : c.gfns) out.insert(g.value);
  EXPECT_EQ(out.size(), 513u);  // distinct frames of the modelled guest

  balloon.set_target(kPhys);
  balloon.worker_main([&] { return balloon.current_credit() == 0; });
  ASSERT_EQ(f.calls.size(), 4u);
  std::set<std::uint64_t> back;
  for (std::size_t i = 2; i < 4; ++i) {
    EXPECT_EQ(f.calls[i].kind, "populate");
    for (Pfn g : f.calls[i].gfns) back.insert(g.value);
  }
  EXPECT_EQ(back, out);  // the same gfns go back in
  EXPECT_EQ(f.domains[5].tot_pages, kPhys);
  EXPECT_EQ(balloon.ballooned_pages(), 0u);
  EXPECT_EQ(balloon.stats().current_pages, kPhys);
  // Four hypercalls of at least 200 us each were measured and charged.
  EXPECT_GE(charged_ns, 4 * 200'000);
  EXPECT_LT(charged_ns, 4'000'000'000);
}

// The factory's real path over the double: verification before any hypercall, the model as a
// zero-cost mirror of the target, the trace, and the counts the report takes.
TEST(XenBackendFactory, VerifiesTheTargetThenMirrorsEveryRealResult) {
  CostModel zero = CostModel::defaults();
  zero.apply_overrides({{"hypercall_base", "0 ns"}, {"populate_per_page", "0 ns"}, {"decrease_per_page", "0 ns"}},
                       "test");
  SimulatedDomain d;
  d.tot_pages = 1000;
  d.max_pages = 2000;
  d.host_free_pages = 1 << 20;
  SimulatedHypervisor model(d, zero);
  test::TempDir dir;
  BackendRequest req{BackendKind::xen, 5, false, dir / "calls.jsonl", {}};
  std::int64_t charged = 0;
  auto ctx = [&] {
    return BackendContext{model, 1000, 1002, [&](SimTime t) { charged += t.ns; }, [] { return SimTime{7}; }, nullptr, {}};
  };

  // 4000 pages where the scenario says 1000: refused while constructing, before any hypercall.
  EXPECT_THROW(make_xen_backend(std::make_unique<FakeXenCalls>(target_with(4000, 8000)), req, ctx()), InputError);

  auto calls = std::make_unique<FakeXenCalls>(target_with(1000, 1002));
  FakeXenCalls& fake = *calls;
  auto backend = make_xen_backend(std::move(calls), req, ctx());
  std::vector<Pfn> gfns{Pfn{0x500}, Pfn{0x501}, Pfn{0x502}};
  EXPECT_EQ(backend->hypervisor().decrease_reservation(gfns), 3);
  EXPECT_EQ(backend->hypervisor().populate_physmap(gfns), 3);  // target: 997 -> 1000, max 1002
  EXPECT_EQ(backend->hypervisor().populate_physmap(std::vector<Pfn>{Pfn{0x600}, Pfn{0x601}, Pfn{0x602}}), 2);
  EXPECT_EQ(fake.domains[5].tot_pages, 1002u);
  EXPECT_EQ(model.domain().tot_pages, 1002u);  // the mirror followed every extent Xen did
  EXPECT_EQ(backend->populate_counts().calls, 2u);
  EXPECT_EQ(backend->populate_counts().frames, 5u);
  EXPECT_EQ(backend->decrease_counts().calls, 1u);
  EXPECT_EQ(backend->hypervisor().current_reservation(), 1002u);
  std::string trace = test::read_file(dir / "calls.jsonl");
  EXPECT_EQ(std::count(trace.begin(), trace.end(), '\n'), 3);
  EXPECT_EQ(trace.rfind(R"({"kind":"decrease_reservation","domain":5,"extents":3,"order":0,"result":3,"ns":)", 0), 0u)
      << trace;
  EXPECT_GE(charged, 3 * 200'000);  // three calls of at least 200 us, measured and charged
  EXPECT_LT(charged, 3'000'000'000);
}

// Forwards to a fake the test keeps (the backend owns and destroys the layer it is given).
class ForwardingCalls : public XenCalls {
 public:
  explicit ForwardingCalls(FakeXenCalls& f) : f_(f) {}
  long populate_physmap(std::uint32_t d, std::span<Pfn> g) override { return f_.populate_physmap(d, g); }
  long decrease_reservation(std::uint32_t d, std::span<Pfn> g) override { return f_.decrease_reservation(d, g); }
  std::optional<XenDomainInfo> domain_info(std::uint32_t d) override { return f_.domain_info(d); }
  bool is_own_domain(std::uint32_t d) override { return f_.is_own_domain(d); }

 private:
  FakeXenCalls& f_;
};

// Injected hypercall faults would go to the mirror, which the drivers do not call: the real backend refuses
// them (exit 2, explained) before any hypercall; the simulated and dry-run backends apply them.
TEST(XenBackendFaults, RealBackendRefusesHypercallFaultsBeforeAnyCall) {
  SimulatedDomain d;
  d.tot_pages = 1000;
  d.max_pages = 2000;
  SimulatedHypervisor model(d, CostModel::defaults());
  const std::vector<std::string> faults{"s.json: /xen/faults/1 (decrease_reservation)"};
  BackendContext ctx{model, 1000, 1002, nullptr, nullptr, nullptr, faults};
  FakeXenCalls fake = target_with(1000, 1002);
  try {
    make_xen_backend(std::make_unique<ForwardingCalls>(fake), {BackendKind::xen, 5, false, {}, {}}, ctx);
    FAIL() << "a hypercall fault was accepted with the real backend";
  } catch (const InputError& e) {
    ASSERT_EQ(e.lines().size(), 1u);
    EXPECT_EQ(e.lines()[0].rfind("s.json: /xen/faults/1 (decrease_reservation): refused with --backend xen", 0), 0u)
        << e.lines()[0];
    EXPECT_NE(e.lines()[0].find("--dry-run"), std::string::npos) << e.lines()[0];
  }
  EXPECT_TRUE(fake.calls.empty());
  EXPECT_TRUE(hypercall_fault_refusal({BackendKind::xen, 5, true, {}, {}}, faults).empty());   // dry run: applied
  EXPECT_TRUE(hypercall_fault_refusal({BackendKind::sim, {}, false, {}, {}}, faults).empty());  // sim: applied
  EXPECT_TRUE(hypercall_fault_refusal({BackendKind::xen, 5, false, {}, {}}, {}).empty());
}

// The backend's observer sees every call made, failed ones too; the mirror sees only done extents, so its
// counts differ from the calls made as soon as a call does nothing.
TEST(XenBackendFactory, ObserversSeeEveryCallMadeNotTheMirrorsReplays) {
  CostModel zero = CostModel::defaults();
  zero.apply_overrides({{"hypercall_base", "0 ns"}, {"populate_per_page", "0 ns"}, {"decrease_per_page", "0 ns"}},
                       "test");
  SimulatedDomain d;
  d.tot_pages = 1000;
  d.max_pages = 2000;
  d.host_free_pages = 1 << 20;
  SimulatedHypervisor model(d, zero);
  FakeXenCalls fake = target_with(1000, 2000);
  fake.fail_every_populate = 2;
  auto backend = make_xen_backend(std::make_unique<ForwardingCalls>(fake), {BackendKind::xen, 5, false, {}, {}},
                                  BackendContext{model, 1000, 2000, nullptr, nullptr, nullptr, {}});
  std::vector<HypercallRecord> seen;
  backend->observe_calls([&](const HypercallRecord& r) { seen.push_back(r); });
  std::vector<Pfn> gfns{Pfn{0x500}, Pfn{0x501}};
  EXPECT_EQ(backend->hypervisor().decrease_reservation(gfns), 2);
  EXPECT_EQ(backend->hypervisor().populate_physmap(gfns), 2);
  EXPECT_EQ(backend->hypervisor().populate_physmap(gfns), 0);  // the fake's 2nd populate does nothing
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[2].result, 0);
  EXPECT_EQ(backend->populate_counts().calls, 2u);
  EXPECT_EQ(backend->populate_counts().frames, 2u);
  EXPECT_EQ(backend->decrease_counts().calls, 1u);
  EXPECT_EQ(model.populate_counts().calls, 1u);  // the mirror never saw the call that did nothing
}

std::size_t count_calls(const FakeXenCalls& f, const std::string& kind) {
  return static_cast<std::size_t>(
      std::count_if(f.calls.begin(), f.calls.end(), [&](const FakeXenCalls::Call& c) { return c.kind == kind; }));
}

// A whole run over the fake libxen layer (one simulation in this test's process): the report, the time
// series and the Chrome trace count the calls made to the target, including the populate calls that did
// nothing (the mirror never sees those).
TEST(XenBackendRun, EveryHypercallCountComesFromTheCallsMade) {
  test::TempDir dir;
  Scenario sc = load_scenario_text(R"({"name": "xen-mirror", "duration": "10 s", "sampling": "500 ms",
      "guest": {"memory": "1 GiB", "maxmem": "1 GiB"},
      "balloon": {"target": [{"at": "0 s", "size": "992 MiB"}, {"at": "1 s", "size": "1 GiB"}]}})",
                                   "xen-mirror.json", dir.path());
  FakeXenCalls fake = target_with(262144, 262144);
  fake.delay = std::chrono::microseconds(0);
  fake.fail_every_populate = 5;
  RunOptions opt;
  opt.progress = false;
  opt.backend = {BackendKind::xen, 5, false, dir / "calls.jsonl", {}};
  opt.backend.libxen = [&fake] { return std::make_unique<ForwardingCalls>(fake); };
  opt.trace = dir / "trace.json";
  RunOutcome r = run_simulation(sc, opt);
  ASSERT_EQ(r.exit_code, 0) << r.report["expect"].dump() << r.report["invariants"].dump();

  const std::size_t populates = count_calls(fake, "populate"), decreases = count_calls(fake, "decrease");
  ASSERT_GE(populates, 17u) << "the scenario must make a populate call that does nothing: "
                            << r.report["balloon"].dump() << r.report["notes"].dump();
  ASSERT_GT(decreases, 0u);
  const auto& h = r.report["balloon"]["hypercalls"];
  EXPECT_EQ(h["populate_physmap"]["calls"], populates);
  EXPECT_EQ(h["decrease_reservation"]["calls"], decreases);
  EXPECT_EQ(h["decrease_reservation"]["frames"], 32u * 256);  // 32 MiB of 4 KiB frames out ...
  EXPECT_EQ(h["populate_physmap"]["frames"], 32u * 256);      // ... and back in
  const auto& ts = r.report["time_series"];
  EXPECT_EQ(ts["populate_calls"].back(), populates);
  EXPECT_EQ(ts["decrease_calls"].back(), decreases);
  auto trace = nlohmann::json::parse(test::read_file(dir / "trace.json"));
  std::size_t spans = 0;
  for (const auto& e : trace["traceEvents"]) spans += e.value("cat", "") == "hypercall" && e.value("ph", "") == "X";
  EXPECT_EQ(spans, populates + decreases);
  const std::string calls = test::read_file(dir / "calls.jsonl");
  EXPECT_EQ(static_cast<std::size_t>(std::count(calls.begin(), calls.end(), '\n')), populates + decreases);
}

TEST(XenBackendRun, HypercallFaultsAreRefusedBeforeAnyCall) {
  test::TempDir dir;
  Scenario sc = load_scenario_text(R"({"name": "xen-fault", "duration": "1 s",
      "guest": {"memory": "1 GiB", "maxmem": "2 GiB"},
      "xen": {"faults": [{"what": "pgmap_alloc"}, {"what": "populate_physmap", "at": "10 ms", "count": 3}]}})",
                                   "xen-fault.json", dir.path());
  FakeXenCalls fake = target_with(262144, 524288);
  RunOptions opt;
  opt.progress = false;
  opt.backend = {BackendKind::xen, 5, false, {}, {}};
  opt.backend.libxen = [&fake] { return std::make_unique<ForwardingCalls>(fake); };
  try {
    run_simulation(sc, opt);
    FAIL() << "the fault was accepted";
  } catch (const InputError& e) {
    ASSERT_EQ(e.lines().size(), 1u);
    EXPECT_EQ(e.lines()[0].rfind("xen-fault.json: /xen/faults/1 (populate_physmap): refused with --backend xen", 0),
              0u)
        << e.lines()[0];
  }
  EXPECT_TRUE(fake.calls.empty());
}

#endif  // GUESTMEM_WITH_XEN

}  // namespace
}  // namespace gm
