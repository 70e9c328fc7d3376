#include "sim/engine/actor_death.h"

#include <simgrid/s4u.hpp>

#include <unordered_set>

namespace sg4 = simgrid::s4u;

namespace gm {
namespace {

// One engine per process and one actor running at a time (no parallel contexts), so a plain set is
// enough; pids are never reused within a simulation.
std::unordered_set<long>& dying() {
  static std::unordered_set<long> set;
  return set;
}

}  // namespace

void watch_actor_death() {
  const long pid = sg4::this_actor::get_pid();
  sg4::this_actor::on_exit([pid](bool /*failed*/) { dying().insert(pid); });
}

void mark_current_actor_dying() { dying().insert(sg4::this_actor::get_pid()); }

bool current_actor_dying() {
  if (sg4::Actor::is_maestro()) return false;
  return dying().count(sg4::this_actor::get_pid()) != 0;
}

}  // namespace gm
