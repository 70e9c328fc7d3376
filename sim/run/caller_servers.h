// RequestServer adapters: what one caller actor's request means for each kind of caller, over the
// drivers' caller logic (models/xen/callers.h). The actor loop stays the same for every kind.
#pragma once

#include <memory>

#include "models/xen/callers.h"
#include "models/xen/grant_table.h"
#include "sim/actors/caller_actor.h"

namespace gm {

// Builds the server for one caller instance. `guest` decides which callers use this path at all:
// callers that do not (caller_uses_xen_pages false) must not be created (returns nullptr).
std::unique_ptr<RequestServer> make_request_server(CallerKind kind, GrantTable& gnttab, XenPages& pages,
                                                   GuestType guest);

}  // namespace gm
