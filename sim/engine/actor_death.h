// Which actors SimGrid has already killed. A killed actor is unwound by a ForcefulKillException, and
// SimGrid forbids simcalls from then on (s4u Actor::on_exit: "your actor is dead already"): under the
// raw/ucontext factories such a simcall silently never returns (the rest of the unwinding, with its
// destructors, is dropped); under the thread factory it deadlocks, the maestro joining a thread that
// waits to be scheduled (measured, SimGrid 3.32: a daemon balloon worker killed at the end of the run
// inside its wait queue, whose unique_lock then unlocked). Lock guards that unwind through a kill
// therefore ask here and skip the unlock: every actor is dying or dead by then.
#pragma once

#include <simgrid/Exception.hpp>

namespace gm {

// Called first thing in an actor's body: marks it dying when SimGrid tears it down (on_exit).
void watch_actor_death();

// Runs one blocking simcall (a sleep, a lock); if SimGrid kills the actor there, marks it dying before
// the kill unwinds it. A lock holder is killed inside one of these, so the mark is set by construction
// before its guards run, whatever the order of SimGrid's on_exit callbacks.
template <class F>
decltype(auto) killable(F&& blocking_call);

// True while the calling actor unwinds a kill.
bool current_actor_dying();

void mark_current_actor_dying();  // for killable()

template <class F>
decltype(auto) killable(F&& blocking_call) {
  try {
    return blocking_call();
  } catch (const simgrid::ForcefulKillException&) {
    mark_current_actor_dying();
    throw;
  }
}

}  // namespace gm
