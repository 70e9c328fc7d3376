// kernel/resource.c@v6.1: __request_resource, __insert_resource, insert_resource_expand_to_fit,
// __reserve_region_with_split, __release_resource(old, true) and __find_resource (first fit over the
// root's direct children in sibling-list order, resource_clip to [min, max], arch_remove_reservations,
// simple alignment). Every walk follows the sibling list the way the kernel's pointer walk does, so
// out-of-order and zero-size siblings behave as they do there.
#include "models/resource_tree.h"

#include <algorithm>

namespace gm {

ResourceTree::ResourceTree(AddrRange root, std::string root_name) {
  nodes_.push_back(Node{std::move(root_name), root, kResMem, kRoot, {}, true});
}

ResourceTree::Id ResourceTree::make_node(std::string_view name, AddrRange range, unsigned flags) {
  nodes_.push_back(Node{std::string(name), range, flags | kResMem, kRoot, {}, true});
  ++live_;
  return static_cast<Id>(nodes_.size() - 1);
}

void ResourceTree::link_at(Id parent, std::size_t pos, Id child) {
  auto& kids = nodes_[parent].children;
  kids.insert(kids.begin() + static_cast<std::ptrdiff_t>(pos), child);
  nodes_[child].parent = parent;
}

std::optional<ResourceTree::Id> ResourceTree::request_conflict(Id parent, std::string_view name, AddrRange range,
                                                                unsigned flags, Id* out) {
  const AddrRange pr = nodes_.at(parent).range;
  if (range.end < range.start || range.start < pr.start || range.end > pr.end) return parent;
  const auto& kids = nodes_[parent].children;
  std::size_t pos = 0;
  for (; pos < kids.size(); ++pos) {
    const AddrRange& k = nodes_[kids[pos]].range;
    if (k.start > range.end) break;    // link before it
    if (k.end < range.start) continue;  // wholly below: keep walking
    return kids[pos];
  }
  Id id = make_node(name, range, flags);
  link_at(parent, pos, id);
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
  for (;; p = first) {
    auto c = request_conflict(p, name, range, flags, out);
    if (!c) return std::nullopt;
    if (*c == p) return p;
    first = *c;
    const AddrRange& fr = nodes_[first].range;
    if (fr.start > range.start || fr.end < range.end) break;  // does not contain the new range
    if (fr == range) break;                                    // equal: the new one becomes the parent
  }
  // The run of siblings from `first` that the new range covers becomes its children; a partial
  // overlap is fatal. The run ends at the list's end or before a sibling starting above the range.
  const auto& kids = nodes_[p].children;
  const std::size_t b = static_cast<std::size_t>(std::find(kids.begin(), kids.end(), first) - kids.begin());
  std::size_t e = b;
  for (;; ++e) {
    const AddrRange& nr = nodes_[kids[e]].range;
    if (nr.start < range.start || nr.end > range.end) return kids[e];
    if (e + 1 == kids.size() || nodes_[kids[e + 1]].range.start > range.end) break;
  }
  std::vector<Id> adopted(kids.begin() + static_cast<std::ptrdiff_t>(b),
                          kids.begin() + static_cast<std::ptrdiff_t>(e + 1));
  Id id = make_node(name, range, flags);  // may reallocate nodes_: no references held across it
  auto& pk = nodes_[p].children;
  pk.erase(pk.begin() + static_cast<std::ptrdiff_t>(b), pk.begin() + static_cast<std::ptrdiff_t>(e + 1));
  for (Id a : adopted) nodes_[a].parent = id;
  nodes_[id].children = std::move(adopted);
  link_at(p, b, id);
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
  // reserve_region_with_split(): a range partly outside the root is trimmed to it, one wholly
  // outside is dropped ("requested range ... not in root").
  const AddrRange pr = nodes_.at(parent).range;
  if (range.start > pr.end || range.end < pr.start) return;
  range.start = std::max(range.start, pr.start);
  range.end = std::min(range.end, pr.end);
  // __reserve_region_with_split(): request; on a conflict keep the part below it and retry the part
  // above it afterwards; a conflict covering the whole rest ends it.
  std::optional<AddrRange> res = range;
  std::optional<AddrRange> next;
  while (res) {
    auto c = request_conflict(parent, name, *res, flags);
    if (!c) {
      res = next;
      next.reset();
      continue;
    }
    const AddrRange cr = nodes_[*c].range;
    if (cr.start <= res->start && cr.end >= res->end) break;
    if (cr.start > res->start) {
      const PhysAddr end = res->end;
      res->end = PhysAddr{cr.start.value - 1};
      if (cr.end < end) next = AddrRange{PhysAddr{cr.end.value + 1}, end};
    } else {
      res->start = PhysAddr{cr.end.value + 1};
    }
  }
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
  std::size_t i = 0;  // `this` = kids[i]; i == kids.size() is NULL
  std::uint64_t tstart = r.range.start.value;
  // "Skip past an allocated resource that starts at 0": only the list's first sibling.
  if (!kids.empty() && nodes_[kids[0]].range.start == r.range.start) {
    tstart = nodes_[kids[0]].range.end.value + 1;
    i = 1;
  }
  for (;;) {
    // this->start - 1 in resource_size_t: a sibling starting at 0 gives a gap up to ~0.
    const std::uint64_t tend = i < kids.size() ? nodes_[kids[i]].range.start.value - 1 : r.range.end.value;
    if (tend >= tstart) {
      AddrRange tmp{PhysAddr{tstart}, PhysAddr{tend}};
      // resource_clip(&tmp, min, max)
      if (tmp.start < bounds.start) tmp.start = bounds.start;
      if (tmp.end > bounds.end) tmp.end = bounds.end;
      if (clip_) clip_(tmp);
      const std::uint64_t s = tmp.start.value;
      const std::uint64_t as = (s + a - 1) & ~(a - 1);  // ALIGN(); a wrap means "no room"
      if (as >= s) {
        const std::uint64_t ae = as + size.value - 1;
        // alloc.start <= alloc.end && resource_contains(&avail, &alloc)
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

ResourceTree::Id ResourceTree::append_child(Id parent, std::string_view name, AddrRange range, unsigned flags) {
  Id id = make_node(name, range, flags);
  link_at(parent, nodes_.at(parent).children.size(), id);
  return id;
}

void ResourceTree::import_walk(const std::vector<IomemEntry>& entries,
                               const std::function<unsigned(const IomemEntry&)>& flags_for) {
  std::vector<Id> stack;  // stack[d] = the last node at depth d
  for (const auto& e : entries) {
    auto depth = static_cast<std::size_t>(std::max(0, e.depth));
    if (depth > stack.size()) depth = stack.size();  // the parser refuses deeper jumps
    Id parent = depth == 0 ? kRoot : stack[depth - 1];
    Id id = append_child(parent, e.name, e.range, flags_for(e));
    stack.resize(depth);
    stack.push_back(id);
  }
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
