#include "sim/run/caller_servers.h"

#include <map>

namespace gm {
namespace {

// blkback maps and unmaps a request's grants BLKIF_MAX_SEGMENTS_PER_REQUEST at a time
// (drivers/block/xen-blkback/blkback.c@v6.1 xen_blkbk_map/xen_blkbk_unmap). It is modelled without
// persistent grants (a frontend without feature-persistent, or grants beyond max_pgrants).
constexpr std::uint64_t kBlkifMaxSegmentsPerRequest = 11;
// privcmd remaps a batch of up to PAGE_SIZE / sizeof(xen_pfn_t) = 512 frames per call
// (drivers/xen/privcmd.c@v6.1 mmap_batch_fn -> xen_remap_domain_gfn_array).
constexpr std::uint64_t kPrivcmdBatch = 512;

// Keeps each mapping's pages until the actor releases it; measures the allocation part of map().
class ServerBase : public RequestServer {
 public:
  explicit ServerBase(GrantTable& g) : g_(g) {}
  std::uint64_t pages_held(std::uint64_t id) const override {
    auto it = held_.find(id);
    return it == held_.end() ? 0 : it->second.pages.size();
  }
  SimTime last_alloc_latency() const override { return alloc_; }
  SimTime last_alloc_start() const override { return alloc_start_; }

 protected:
  SimTime now() { return g_.env() ? g_.env()->now() : SimTime{}; }
  // Runs the page allocation `take` and records how long it took.
  template <class F>
  auto timed_alloc(F&& take) {
    alloc_start_ = now();
    auto r = take();
    alloc_ = now() - alloc_start_;
    return r;
  }
  GrantTable& g_;
  SimTime alloc_{}, alloc_start_{};

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
  explicit BlkbackServer(GrantTable& g) : ServerBase(g), blk_(g) {}
  KResult<std::uint64_t> map(std::uint32_t pages) override {
    auto r = timed_alloc([&] { return blk_.serve(std::min(pages, Blkback::kMaxSegments)); });
    if (!r) return r.error();
    g_.map_refs(r.value().pages.size(), kBlkifMaxSegmentsPerRequest);
    return keep(std::move(r.value()));
  }
  void unmap(std::uint64_t id) override {
    Holding h = take(id);
    g_.unmap_refs(h.pages.size(), kBlkifMaxSegmentsPerRequest);
    blk_.release(std::move(h));
  }

 private:
  Blkback blk_;
};

// One request = one queue connecting (256 pages, xenvif_init_queue); the size is the kernel's.
class NetbackServer final : public ServerBase {
 public:
  explicit NetbackServer(GrantTable& g) : ServerBase(g), net_(g) {}
  // Connecting a queue only allocates its pages; netback maps or copies grants per packet later.
  KResult<std::uint64_t> map(std::uint32_t) override {
    auto r = timed_alloc([&] { return net_.connect_queue(); });
    if (!r) return r.error();
    return keep(std::move(r.value()));
  }
  void unmap(std::uint64_t id) override { net_.release(take(id)); }

 private:
  Netback net_;
};

class GntdevServer final : public ServerBase {
 public:
  explicit GntdevServer(GrantTable& g) : ServerBase(g), dev_(g) {}
  // gntdev_map_grant_pages(): all the map's grants in one gnttab_map_refs() (drivers/xen/gntdev.c@v6.1).
  KResult<std::uint64_t> map(std::uint32_t pages) override {
    auto r = timed_alloc([&] { return dev_.map(pages); });
    if (!r) return r.error();
    g_.map_refs(r.value().pages.size(), r.value().pages.size());
    return keep(std::move(r.value()));
  }
  void unmap(std::uint64_t id) override {
    Holding h = take(id);
    g_.unmap_refs(h.pages.size(), h.pages.size());
    dev_.release(std::move(h));
  }

 private:
  Gntdev dev_;
};

class PrivcmdServer final : public ServerBase {
 public:
  PrivcmdServer(GrantTable& gt, XenPages& p, GuestType g) : ServerBase(gt), cmd_(p, g) {}
  KResult<std::uint64_t> map(std::uint32_t pages) override {
    auto r = timed_alloc([&] { return cmd_.mmap_batch(pages); });
    if (!r) return r.error();
    g_.remap(r.value().pages.size(), kPrivcmdBatch);
    return keep(std::move(r.value()));
  }
  void unmap(std::uint64_t id) override { cmd_.release(take(id)); }

 private:
  Privcmd cmd_;
};

// One request = one ring of min(pages, 16) grants (device connect).
class XenbusServer final : public ServerBase {
 public:
  XenbusServer(GrantTable& gt, XenPages& p, GuestType g) : ServerBase(gt), rings_(p, g) {}
  // xenbus_map_ring_hvm(): the ring's grants in one gnttab_map_refs() (xenbus_client.c@v6.1).
  KResult<std::uint64_t> map(std::uint32_t pages) override {
    auto r = timed_alloc([&] { return rings_.map_ring(std::min(pages, XenbusRings::kMaxRingGrants)); });
    if (!r) return r.error();
    g_.map_refs(r.value().pages.size(), r.value().pages.size());
    return keep(std::move(r.value()));
  }
  void unmap(std::uint64_t id) override {
    Holding h = take(id);
    g_.unmap_refs(h.pages.size(), h.pages.size());
    rings_.release(std::move(h));
  }

 private:
  XenbusRings rings_;
};

// Boot-time grant frames: mapped once and never released (the release is a no-op by design).
class GrantFramesServer final : public ServerBase {
 public:
  GrantFramesServer(GrantTable& gt, XenPages& p, GuestType g) : ServerBase(gt), frames_(p, g) {}
  // gnttab_setup() on an auto-translated guest: XENMEM_add_to_physmap per grant frame.
  KResult<std::uint64_t> map(std::uint32_t pages) override {
    auto r = timed_alloc([&] { return frames_.setup(pages); });
    if (!r) return r.error();
    g_.remap(r.value().pages.size(), 1);
    return keep(std::move(r.value()));
  }
  void unmap(std::uint64_t) override {}  // xen_pvh_gnttab_setup's frames are permanent

 private:
  PvhGrantFrames frames_;
};

class DrmServer final : public ServerBase {
 public:
  DrmServer(GrantTable& gt, XenPages& p) : ServerBase(gt), drm_(p) {}
  // A backend-allocated buffer: the backend's grants mapped in one gnttab_map_refs().
  KResult<std::uint64_t> map(std::uint32_t pages) override {
    auto r = timed_alloc([&] { return drm_.alloc_buffer(pages_to_bytes(pages)); });
    if (!r) return r.error();
    g_.map_refs(r.value().pages.size(), r.value().pages.size());
    return keep(std::move(r.value()));
  }
  void unmap(std::uint64_t id) override {
    Holding h = take(id);
    g_.unmap_refs(h.pages.size(), h.pages.size());
    drm_.release(std::move(h));
  }

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
    case CallerKind::privcmd: return std::make_unique<PrivcmdServer>(gnttab, pages, guest);
    case CallerKind::xenbus: return std::make_unique<XenbusServer>(gnttab, pages, guest);
    case CallerKind::pvh_grant_frames: return std::make_unique<GrantFramesServer>(gnttab, pages, guest);
    case CallerKind::drm_front: return std::make_unique<DrmServer>(gnttab, pages);
  }
  return nullptr;
}

}  // namespace gm
