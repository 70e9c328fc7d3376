// kernel/resource.c@v6.12: __request_resource, __insert_resource, insert_resource_expand_to_fit,
// __reserve_region_with_split, __release_resource, __find_resource_space (first fit over the root's
// direct children with resource_clip to [min, max], arch_remove_reservations and simple alignment).
#include "models/resource_tree.h"

#include <algorithm>
#include <limits>

namespace gm {

ResourceTree::ResourceTree(AddrRange root, std::string root_name) {
  nodes_.push_back(Node{std::move(root_name), root, kResMem, kRoot, {}, true});
}

ResourceTree::Id ResourceTree::make_node(std::string_view name, AddrRange range, unsigned flags) {
  nodes_.push_back(Node{std::string(name), range, flags | kResMem, kRoot, {}, true});
  ++live_;
  return static_cast<Id>(nodes_.size() - 1);
}

void ResourceTree::link_child(Id parent, Id child) {
  auto& kids = nodes_[parent].children;
  auto pos = std::lower_bound(kids.begin(), kids.end(), nodes_[child].range.start,
                              [&](Id k, PhysAddr a) { return nodes_[k].range.start < a; });
  kids.insert(pos, child);
  nodes_[child].parent = parent;
}

std::optional<ResourceTree::Id> ResourceTree::request_conflict(Id parent, std::string_view name, AddrRange range,
                                                                unsigned flags, Id* out) {
  const AddrRange& pr = nodes_.at(parent).range;
  if (range.end < range.start || range.start < pr.start || range.end > pr.end) return parent;
  const auto& kids = nodes_[parent].children;
  // The first child not ending before the new range starts is the only possible conflict.
  auto it = std::lower_bound(kids.begin(), kids.end(), range.start,
                             [&](Id k, PhysAddr a) { return nodes_[k].range.end < a; });
  if (it != kids.end() && nodes_[*it].range.start <= range.end) return *it;
  Id id = make_node(name, range, flags);
  link_child(parent, id);
  if (out) *out = id;
  return std::nullopt;
}

KResult<ResourceTree::Id> ResourceTree::request(Id parent, std::string_view name, AddrRange range, unsigned flags) {
  Id id = 0;
  if (request_conflict(parent, name, range, flags, &id)) return Errno::ebusy;
  return id;
}

std::optional<ResourceTree::Id> ResourceTree::insert_conflict(Id parent, std::string_view name, AddrRange range,
                                                               unsigned flags, Id* out) {
  Id p = parent;
  Id first = 0;
  for (;;) {
    auto c = request_conflict(p, name, range, flags, out);
    if (!c) return std::nullopt;
    if (*c == p) return p;
    first = *c;
    const AddrRange& fr = nodes_[first].range;
    if (fr.start > range.start || fr.end < range.end) break;  // does not contain the new range
    if (fr == range) break;                                    // equal: the new one becomes the parent
    p = first;                                                 // descend into the container
  }
  // The new resource may adopt a run of siblings it covers entirely; a partial overlap is fatal.
  std::vector<Id> adopted;
  {
    const auto& kids = nodes_[p].children;
    auto b = std::find(kids.begin(), kids.end(), first);
    for (auto e = b; e != kids.end(); ++e) {
      const AddrRange& nr = nodes_[*e].range;
      if (nr.start > range.end) break;
      if (nr.start < range.start || nr.end > range.end) return *e;
      adopted.push_back(*e);
    }
  }
  Id id = make_node(name, range, flags);  // may reallocate nodes_: no references held across it
  auto& kids = nodes_[p].children;
  kids.erase(std::remove_if(kids.begin(), kids.end(),
                            [&](Id k) { return std::find(adopted.begin(), adopted.end(), k) != adopted.end(); }),
             kids.end());
  for (Id a : adopted) nodes_[a].parent = id;
  nodes_[id].children = std::move(adopted);
  link_child(p, id);
  if (out) *out = id;
  return std::nullopt;
}

std::optional<ResourceTree::Id> ResourceTree::insert_expand_to_fit(Id parent, std::string_view name, AddrRange range,
                                                                    unsigned flags) {
  for (;;) {
    Id id = 0;
    auto c = insert_conflict(parent, name, range, flags, &id);
    if (!c) return id;
    if (*c == parent) return std::nullopt;
    // "Expanded resource %s due to conflict with %s"
    range.start = std::min(range.start, nodes_[*c].range.start);
    range.end = std::max(range.end, nodes_[*c].range.end);
  }
}

void ResourceTree::reserve_with_split(Id parent, std::string_view name, AddrRange range, unsigned flags) {
  const AddrRange pr = nodes_.at(parent).range;
  range.start = std::max(range.start, pr.start);
  range.end = std::min(range.end, pr.end);
  if (range.end < range.start) return;
  std::vector<AddrRange> gaps;
  std::uint64_t cur = range.start.value;
  bool done = false;
  for (Id k : nodes_[parent].children) {
    const AddrRange& kr = nodes_[k].range;
    if (kr.end < PhysAddr{cur}) continue;
    if (kr.start > range.end) break;
    if (kr.start.value > cur) gaps.push_back({PhysAddr{cur}, PhysAddr{kr.start.value - 1}});
    if (kr.end >= range.end) {
      done = true;
      break;
    }
    cur = kr.end.value + 1;
  }
  if (!done && PhysAddr{cur} <= range.end) gaps.push_back({PhysAddr{cur}, range.end});
  for (const auto& g : gaps) request_conflict(parent, name, g, flags);
}

Errno ResourceTree::release(Id id) {
  if (id == kRoot || id >= nodes_.size() || !nodes_[id].live) return Errno::einval;
  auto& kids = nodes_[nodes_[id].parent].children;
  kids.erase(std::find(kids.begin(), kids.end(), id));
  std::vector<Id> stack{id};
  while (!stack.empty()) {
    Id n = stack.back();
    stack.pop_back();
    nodes_[n].live = false;
    --live_;
    for (Id k : nodes_[n].children) stack.push_back(k);
  }
  return Errno::ok;
}

KResult<AddrRange> ResourceTree::find_free(Id root, Bytes size, AddrRange bounds, Bytes align) const {
  if (size.value == 0) return Errno::einval;
  const Node& r = nodes_.at(root);
  const auto& kids = r.children;
  const std::uint64_t a = align.value ? align.value : 1;
  std::size_t i = 0;
  std::uint64_t tstart = r.range.start.value;
  if (!kids.empty() && nodes_[kids[0]].range.start == r.range.start) {
    if (nodes_[kids[0]].range.end == r.range.end) return Errno::ebusy;
    tstart = nodes_[kids[0]].range.end.value + 1;
    i = 1;
  }
  for (;;) {
    std::uint64_t tend = i < kids.size() ? nodes_[kids[i]].range.start.value - 1 : r.range.end.value;
    if (tend >= tstart) {
      AddrRange tmp{PhysAddr{std::max(tstart, bounds.start.value)}, PhysAddr{std::min(tend, bounds.end.value)}};
      if (clip_ && tmp.start <= tmp.end) clip_(tmp);
      std::uint64_t s = tmp.start.value;
      std::uint64_t as = (s + a - 1) & ~(a - 1);  // ALIGN(); a wrap means "no room"
      if (tmp.start <= tmp.end && as >= s) {
        std::uint64_t ae = as + size.value - 1;
        if (ae >= as && ae <= tmp.end.value) return AddrRange{PhysAddr{as}, PhysAddr{ae}};
      }
    }
    if (i >= kids.size() || nodes_[kids[i]].range.end == r.range.end) break;
    tstart = nodes_[kids[i]].range.end.value + 1;
    ++i;
  }
  return Errno::ebusy;
}

KResult<ResourceTree::Id> ResourceTree::allocate(Id root, std::string_view name, unsigned flags, Bytes size,
                                                 AddrRange bounds, Bytes align) {
  auto r = find_free(root, size, bounds, align);
  if (!r) return r.error();
  return request(root, name, r.value(), flags);
}

std::optional<ResourceTree::Id> ResourceTree::find(Id parent, AddrRange range) const {
  for (Id k : nodes_.at(parent).children)
    if (nodes_[k].range == range) return k;
  return std::nullopt;
}

ResourceTree::Id ResourceTree::find_container(AddrRange range) const {
  Id cur = kRoot;
  for (;;) {
    bool descended = false;
    for (Id k : nodes_[cur].children) {
      const AddrRange& kr = nodes_[k].range;
      if (kr.start <= range.start && range.end <= kr.end) {
        cur = k;
        descended = true;
        break;
      }
      if (kr.start > range.end) break;
    }
    if (!descended) return cur;
  }
}

std::vector<IomemEntry> ResourceTree::walk() const {
  std::vector<IomemEntry> out;
  out.reserve(live_);
  std::vector<std::pair<Id, int>> stack;
  const auto& top = nodes_[kRoot].children;
  for (auto it = top.rbegin(); it != top.rend(); ++it) stack.push_back({*it, 0});
  while (!stack.empty()) {
    auto [id, depth] = stack.back();
    stack.pop_back();
    const Node& n = nodes_[id];
    out.push_back({n.name, n.range, depth});
    for (auto it = n.children.rbegin(); it != n.children.rend(); ++it) stack.push_back({*it, depth + 1});
  }
  return out;
}

}  // namespace gm
