#include "sim/caller_servers.h"

#include <map>

namespace gm {
namespace {

// Keeps each mapping's pages until the actor releases it.
class ServerBase : public RequestServer {
 public:
  std::uint64_t pages_held(std::uint64_t id) const override {
    auto it = held_.find(id);
    return it == held_.end() ? 0 : it->second.pages.size();
  }

 protected:
  std::uint64_t keep(Holding h) {
    held_.emplace(next_, std::move(h));
    return next_++;
  }
  Holding take(std::uint64_t id) {
    auto it = held_.find(id);
    Holding h = std::move(it->second);
    held_.erase(it);
    return h;
  }
  std::map<std::uint64_t, Holding> held_;
  std::uint64_t next_ = 1;
};

// One request = one block request of `pages` segments through the ring's page cache.
class BlkbackServer final : public ServerBase {
 public:
  explicit BlkbackServer(GrantTable& g) : blk_(g) {}
  KResult<std::uint64_t> map(std::uint32_t pages) override {
    auto r = blk_.serve(std::min(pages, Blkback::kMaxSegments));
    if (!r) return r.error();
    return keep(std::move(r.value()));
  }
  void unmap(std::uint64_t id) override { blk_.release(take(id)); }

 private:
  Blkback blk_;
};

// One request = one queue connecting (256 pages, xenvif_init_queue); the size is the kernel's.
class NetbackServer final : public ServerBase {
 public:
  explicit NetbackServer(GrantTable& g) : net_(g) {}
  KResult<std::uint64_t> map(std::uint32_t) override {
    auto r = net_.connect_queue();
    if (!r) return r.error();
    return keep(std::move(r.value()));
  }
  void unmap(std::uint64_t id) override { net_.release(take(id)); }

 private:
  Netback net_;
};

class GntdevServer final : public ServerBase {
 public:
  explicit GntdevServer(GrantTable& g) : dev_(g) {}
  KResult<std::uint64_t> map(std::uint32_t pages) override {
    auto r = dev_.map(pages);
    if (!r) return r.error();
    return keep(std::move(r.value()));
  }
  void unmap(std::uint64_t id) override { dev_.release(take(id)); }

 private:
  Gntdev dev_;
};

class PrivcmdServer final : public ServerBase {
 public:
  PrivcmdServer(XenPages& p, GuestType g) : cmd_(p, g) {}
  KResult<std::uint64_t> map(std::uint32_t pages) override {
    auto r = cmd_.mmap_batch(pages);
    if (!r) return r.error();
    return keep(std::move(r.value()));
  }
  void unmap(std::uint64_t id) override { cmd_.release(take(id)); }

 private:
  Privcmd cmd_;
};

// One request = one ring of min(pages, 16) grants (device connect).
class XenbusServer final : public ServerBase {
 public:
  XenbusServer(XenPages& p, GuestType g) : rings_(p, g) {}
  KResult<std::uint64_t> map(std::uint32_t pages) override {
    auto r = rings_.map_ring(std::min(pages, XenbusRings::kMaxRingGrants));
    if (!r) return r.error();
    return keep(std::move(r.value()));
  }
  void unmap(std::uint64_t id) override { rings_.release(take(id)); }

 private:
  XenbusRings rings_;
};

// Boot-time grant frames: mapped once and never released (the release is a no-op by design).
class GrantFramesServer final : public ServerBase {
 public:
  GrantFramesServer(XenPages& p, GuestType g) : frames_(p, g) {}
  KResult<std::uint64_t> map(std::uint32_t pages) override {
    auto r = frames_.setup(pages);
    if (!r) return r.error();
    return keep(std::move(r.value()));
  }
  void unmap(std::uint64_t) override {}  // xen_pvh_gnttab_setup's frames are permanent

 private:
  PvhGrantFrames frames_;
};

class DrmServer final : public ServerBase {
 public:
  explicit DrmServer(XenPages& p) : drm_(p) {}
  KResult<std::uint64_t> map(std::uint32_t pages) override {
    auto r = drm_.alloc_buffer(pages_to_bytes(pages));
    if (!r) return r.error();
    return keep(std::move(r.value()));
  }
  void unmap(std::uint64_t id) override { drm_.release(take(id)); }

 private:
  DrmFront drm_;
};

}  // namespace

std::unique_ptr<RequestServer> make_request_server(CallerKind kind, GrantTable& gnttab, XenPages& pages,
                                                   GuestType guest) {
  if (!caller_uses_xen_pages(kind, guest)) return nullptr;
  switch (kind) {
    case CallerKind::blkback: return std::make_unique<BlkbackServer>(gnttab);
    case CallerKind::netback: return std::make_unique<NetbackServer>(gnttab);
    case CallerKind::gntdev: return std::make_unique<GntdevServer>(gnttab);
    case CallerKind::privcmd: return std::make_unique<PrivcmdServer>(pages, guest);
    case CallerKind::xenbus: return std::make_unique<XenbusServer>(pages, guest);
    case CallerKind::pvh_grant_frames: return std::make_unique<GrantFramesServer>(pages, guest);
    case CallerKind::drm_front: return std::make_unique<DrmServer>(pages);
  }
  return nullptr;
}

}  // namespace gm
