// The kernel's resource tree (kernel/resource.c): nested, address-sorted, non-overlapping siblings;
// request / insert / release and allocate_resource() as first fit over the root's direct children.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "models/kerrno.h"
#include "models/units.h"

namespace gm {

// One line of the /proc/iomem-style walk (the report's address_space.iomem).
struct IomemEntry {
  std::string name;
  AddrRange range;
  int depth = 0;  // 0 = a direct child of the root
  bool operator==(const IomemEntry&) const = default;
};

// A claim that failed or landed over something it should not (report address_space.conflicts).
struct ResourceConflict {
  std::string what;  // the claimant, e.g. "PCI Bus 0000:00"
  AddrRange range;   // the claimant's range
  std::string with;  // the resource in the way, e.g. "Xen scratch"
  AddrRange with_range;
  std::string outcome;  // "rejected" (claim failed) or "nested" (accepted but over/under it)
};

// Resource flags that change behaviour in the model (include/linux/ioport.h).
enum ResourceFlags : unsigned {
  kResMem = 1u << 0,        // IORESOURCE_MEM
  kResBusy = 1u << 1,       // IORESOURCE_BUSY
  kResSystemRam = 1u << 2,  // IORESOURCE_SYSRAM
};

// Contract: ids stay valid until released; children of every node are sorted and disjoint.
// The clip hook is arch_remove_reservations(): it shrinks a candidate gap (empty when start > end).
class ResourceTree {
 public:
  using Id = std::uint32_t;
  static constexpr Id kRoot = 0;
  using ClipHook = std::function<void(AddrRange& avail)>;

  struct Node {
    std::string name;
    AddrRange range;
    unsigned flags = 0;
    Id parent = kRoot;
    std::vector<Id> children;  // sorted by start
    bool live = true;
  };

  explicit ResourceTree(AddrRange root, std::string root_name = "PCI mem");

  // __request_resource(parent, new): nullopt on success (id in *out), else the conflicting node
  // (the parent itself when the range falls outside it).
  std::optional<Id> request_conflict(Id parent, std::string_view name, AddrRange range, unsigned flags,
                                     Id* out = nullptr);
  // request_resource(): -EBUSY on a conflict.
  KResult<Id> request(Id parent, std::string_view name, AddrRange range, unsigned flags);
  // __insert_resource(): descends into a container that holds the whole range, adopts siblings the
  // new range fully covers; a partial overlap is the returned conflict.
  std::optional<Id> insert_conflict(Id parent, std::string_view name, AddrRange range, unsigned flags,
                                    Id* out = nullptr);
  // insert_resource_expand_to_fit(): grows the new range over each conflict until it fits; nullopt
  // when the range falls outside the parent (the kernel then leaves it out of the tree).
  std::optional<Id> insert_expand_to_fit(Id parent, std::string_view name, AddrRange range, unsigned flags);
  // reserve_region_with_split(): claims only the free top-level space of `range` under `parent`.
  void reserve_with_split(Id parent, std::string_view name, AddrRange range, unsigned flags);
  // release_resource(): unlinks the node with its whole subtree (__release_resource(old, true)).
  // -EINVAL for the root or a dead id.
  Errno release(Id id);

  // __find_resource() with simple alignment (kernel/resource.c@v6.12): -EBUSY when no gap fits.
  KResult<AddrRange> find_free(Id root, Bytes size, AddrRange bounds, Bytes align) const;
  // allocate_resource(): find_free() then request as a child of `root`.
  KResult<Id> allocate(Id root, std::string_view name, unsigned flags, Bytes size, AddrRange bounds, Bytes align);

  void set_clip_hook(ClipHook hook) { clip_ = std::move(hook); }

  const Node& node(Id id) const { return nodes_.at(id); }
  const std::vector<Id>& children(Id id) const { return nodes_.at(id).children; }
  // The live node with exactly this range and parent, if any.
  std::optional<Id> find(Id parent, AddrRange range) const;
  // The deepest live node containing the whole range (the root when none).
  Id find_container(AddrRange range) const;
  // Depth-first walk below the root (root excluded), as /proc/iomem prints it.
  std::vector<IomemEntry> walk() const;
  std::size_t live_count() const { return live_; }

 private:
  Id make_node(std::string_view name, AddrRange range, unsigned flags);
  void link_child(Id parent, Id child);
  std::vector<Node> nodes_;
  ClipHook clip_;
  std::size_t live_ = 0;
};

}  // namespace gm
