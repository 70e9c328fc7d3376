// One caller (gntdev, blkback, netback, ...) as one long-lived actor (design §4): it draws arrivals
// and sizes from its spec, asks its RequestServer for pages, holds each mapping for `hold`, and
// records latency from arrival to completion (queueing behind its own earlier requests included).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "models/kerrno.h"
#include "models/units.h"
#include "sim/scenario/scenario.h"

namespace gm {

// Contract: map() serves one request of `pages` pages and returns a handle, or the kernel error the
// caller would see; unmap() gives back what map() returned. Both may block in simulated time.
// pages_held() is what a mapping actually got, after the caller's own clamping (blkback and netback
// 256, xenbus 16): that, not the requested size, is what `pages_mapped` counts.
class RequestServer {
 public:
  virtual ~RequestServer() = default;
  virtual KResult<std::uint64_t> map(std::uint32_t pages) = 0;
  virtual std::uint64_t pages_held(std::uint64_t handle) const = 0;
  virtual void unmap(std::uint64_t handle) = 0;
  // How long the last map() spent getting its pages (the xen_alloc_*_pages call, or for blkback the
  // gnttab_page_cache_get()s that may call it), as opposed to map()'s whole service.
  virtual SimTime last_alloc_latency() const { return {}; }
  virtual SimTime last_alloc_start() const { return {}; }
};

struct CallerObserver {
  // Called once per request: arrival time, completion time, pages, error (Errno::ok on success), and
  // the allocation latency inside it (RequestServer::last_alloc_latency).
  std::function<void(SimTime arrival, SimTime done, std::uint32_t pages, Errno err, SimTime alloc_start,
                     SimTime alloc)>
      on_request;
};

struct CallerRunStats {
  std::uint64_t requests = 0, failures = 0;
  std::uint64_t pages_mapped = 0;  // pages served (RequestServer::pages_held), not pages requested
  std::uint64_t enomem = 0;  // failures with -ENOMEM
  std::uint64_t held_at_end = 0;
};

// Runs the caller's loop in the current actor until its stop time and every held mapping due
// before `end` has been released, or until `stop()` turns true. Returns its counts.
CallerRunStats run_caller(const CallerSpec& spec, std::uint64_t stream_seed, RequestServer& server,
                          const CallerObserver& obs, SimTime end, const std::function<bool()>& stop = {});

}  // namespace gm
