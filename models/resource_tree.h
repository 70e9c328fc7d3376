// The kernel's resource tree (kernel/resource.c@v6.1) as the kernel keeps it: each node's children
// form a singly linked sibling list in the order the kernel linked them. Normally that list is sorted
// and disjoint, but nothing re-sorts it when a driver rewrites a resource's start/end in place (the
// 5.16+ PCI host-bridge window coalescing leaves "00000000-00000000 : PCI Bus 0000:00" in the middle
// of iomem's list), and zero-size entries (end == start - 1) can be imported. Every operation walks
// the list exactly as kernel/resource.c does, so such a tree behaves as it does in the kernel.
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

// Contract: ids stay valid until released; children() is the sibling list in kernel order (sorted and
// disjoint unless imported or rewritten in place). The clip hook is arch_remove_reservations(): it
// shrinks a candidate gap (empty when start > end).
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
    std::vector<Id> children;  // the sibling list, in the kernel's link order
    bool live = true;
  };

  explicit ResourceTree(AddrRange root, std::string root_name = "PCI mem");

  // __request_resource(parent, new): walks the sibling list, links the new node before the first
  // sibling starting above its end; the first sibling not ending below its start is the conflict.
  // nullopt on success (id in *out), else the conflicting node (the parent itself when the range
  // falls outside it or is empty, end < start).
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

  // __find_resource() with simple alignment: the gap before each sibling in list order is
  // [previous end + 1, this->start - 1] (unsigned: a sibling at 0 after others makes the gap run to
  // the top, clipped to `bounds`), then the clip hook, then ALIGN. -EBUSY when no gap fits.
  KResult<AddrRange> find_free(Id root, Bytes size, AddrRange bounds, Bytes align) const;
  // allocate_resource(): find_free() then __request_resource(); -EBUSY when that conflicts (a
  // candidate from a wrapped gap can overlap a later sibling).
  KResult<Id> allocate(Id root, std::string_view name, unsigned flags, Bytes size, AddrRange bounds, Bytes align);

  // Links a node as the last child of `parent` with no checks: /proc/iomem import, which prints the
  // sibling lists in order, so appending in file order rebuilds the kernel's lists line for line.
  Id append_child(Id parent, std::string_view name, AddrRange range, unsigned flags);
  // Builds the tree from a /proc/iomem walk (depth = nesting); keeps every line. `flags_for` gives
  // each line's flags (by name).
  void import_walk(const std::vector<IomemEntry>& entries, const std::function<unsigned(const IomemEntry&)>& flags_for);
  // A driver writing res->start/res->end directly (pci_register_host_bridge's window coalescing,
  // drivers/pci/probe.c@v5.16): the node keeps its place in the sibling list.
  void set_range_in_place(Id id, AddrRange range) { nodes_.at(id).range = range; }

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
  void link_at(Id parent, std::size_t pos, Id child);
  std::vector<Node> nodes_;
  ClipHook clip_;
  std::size_t live_ = 0;
};

}  // namespace gm
