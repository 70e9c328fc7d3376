// Which actors SimGrid has already killed. A killed actor is unwound by a ForcefulKillException, and
// SimGrid forbids simcalls from then on (s4u Actor::on_exit: "your actor is dead already"): under the
// raw/ucontext factories such a simcall silently never returns (the rest of the unwinding, with its
// destructors, is dropped); under the thread factory it deadlocks, the maestro joining a thread that
// waits to be scheduled (measured, SimGrid 3.32: a daemon balloon worker killed at the end of the run
// inside its wait queue, whose unique_lock then unlocked). Lock guards that unwind through a kill
// therefore ask here and skip the unlock: every actor is dying or dead by then.
#pragma once

namespace gm {

// Called first thing in an actor's body: marks it dying when SimGrid kills it (on_exit fires before
// the unwinding starts).
void watch_actor_death();

// True while the calling actor unwinds a kill.
bool current_actor_dying();

}  // namespace gm
