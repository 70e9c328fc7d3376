#include "sim/actors/caller_actor.h"

#include <simgrid/s4u.hpp>

#include <algorithm>
#include <limits>
#include <queue>

#include "sim/run/workload_gen.h"

namespace sg4 = simgrid::s4u;

namespace gm {
namespace {

SimTime now() { return SimTime::from_seconds(sg4::Engine::get_clock()); }

void sleep_until(SimTime t) {
  SimTime n = now();
  if (t > n) sg4::this_actor::sleep_for((t - n).seconds());
}

struct Held {
  SimTime release;
  std::uint64_t seq;  // FIFO among equal times: deterministic order
  std::uint64_t handle;
  bool operator>(const Held& o) const { return release != o.release ? release > o.release : seq > o.seq; }
};

}  // namespace

CallerRunStats run_caller(const CallerSpec& spec, std::uint64_t seed, RequestServer& server, const CallerObserver& obs,
                          SimTime end, const std::function<bool()>& stop_requested) {
  constexpr SimTime kNever{std::numeric_limits<std::int64_t>::max()};
  RequestGenerator gen(spec.arrival, spec.size, seed);
  std::priority_queue<Held, std::vector<Held>, std::greater<>> held;
  CallerRunStats st;
  SimTime stop = std::min(spec.stop, end);
  SimTime next = spec.start + gen.next_gap();
  std::uint64_t seq = 0;
  bool once_done = false;
  auto may_issue = [&] {
    if (once_done || next >= stop) return false;
    return spec.max_requests == 0 || st.requests < spec.max_requests;
  };
  while (!(stop_requested && stop_requested())) {
    SimTime next_release = held.empty() ? kNever : held.top().release;
    if (may_issue() && next <= next_release) {
      sleep_until(next);
      std::uint32_t pages = gen.next_size();
      SimTime arrival = next;
      auto r = server.map(pages);
      SimTime done = now();
      ++st.requests;
      if (r.ok()) {
        st.pages_mapped += server.pages_held(r.value());
        held.push({done + spec.hold, seq++, r.value()});
      } else {
        ++st.failures;
        if (r.error() == Errno::enomem) ++st.enomem;
      }
      if (obs.on_request) obs.on_request(arrival, done, pages, r.ok() ? Errno::ok : r.error(), server.last_alloc_start(),
                                         server.last_alloc_latency());
      if (spec.arrival.process == ArrivalProcess::once) {
        once_done = true;
      } else {
        next = next + gen.next_gap();
      }
    } else if (!held.empty() && next_release <= end) {
      sleep_until(next_release);
      server.unmap(held.top().handle);
      held.pop();
    } else {
      break;
    }
  }
  st.held_at_end = held.size();
  return st;
}

}  // namespace gm
