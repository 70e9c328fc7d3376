// The balloon worker's state machine (drivers/xen/balloon.c bp_state, update_schedule): the pure part,
// shared by the workqueue era and the kthread era (reference §3.4).
#pragma once

#include <cstdint>
#include <string_view>

namespace gm {

enum class BalloonState {
  done,       // BP_DONE: done or nothing to do
  wait,       // BP_WAIT: waiting for hot-added memory to be onlined
  eagain,     // BP_EAGAIN: error, retry after schedule_delay seconds
  ecanceled,  // BP_ECANCELED: error, ballooning cancelled until the target changes
};

std::string_view balloon_state_name(BalloonState s);

// The back-off part of struct balloon_stats.
struct BalloonSchedule {
  std::uint32_t schedule_delay = 1;  // seconds
  std::uint32_t max_schedule_delay = 32;
  std::uint32_t retry_count = 1;
  std::uint32_t max_retry_count = 4;  // 0 = RETRY_UNLIMITED
};

// update_schedule() (balloon.c@8480ed9c2bbd and later): WAIT and ECANCELED pass through; DONE resets
// the delay to 1 s; EAGAIN doubles it up to the cap, and after max_retry_count retries becomes
// ECANCELED with the delay and count reset. Returns the new state.
BalloonState update_schedule(BalloonState state, BalloonSchedule& s);

}  // namespace gm
