// GFN-contiguity metric: see gfn_contiguity.h.
#include "models/gfn_contiguity.h"

#include <algorithm>
#include <functional>

namespace gm {

namespace {

std::vector<PfnExtent> merged(std::span<const PfnExtent> in) {
  std::vector<PfnExtent> v;
  for (const PfnExtent& e : in)
    if (e.count) v.push_back(e);
  // Sampled every interval of a run: the balloon list's extents usually arrive in order, or in reverse.
  if (std::is_sorted(v.begin(), v.end(), std::greater<>()))
    std::reverse(v.begin(), v.end());
  else if (!std::is_sorted(v.begin(), v.end()))
    std::sort(v.begin(), v.end());
  std::vector<PfnExtent> out;
  for (const PfnExtent& e : v) {
    if (!out.empty() && e.first <= out.back().end()) {
      if (e.end() > out.back().end()) out.back().count = e.end() - out.back().first;
    } else {
      out.push_back(e);
    }
  }
  return out;
}

}  // namespace

std::vector<PfnExtent> extents_from_pfns(std::vector<Pfn> pfns) {
  std::sort(pfns.begin(), pfns.end());
  std::vector<PfnExtent> out;
  for (Pfn p : pfns) {
    if (!out.empty() && p < out.back().end()) continue;
    if (!out.empty() && p == out.back().end())
      ++out.back().count;
    else
      out.push_back(PfnExtent{p, 1});
  }
  return out;
}

GfnContiguity gfn_contiguity(std::span<const PfnExtent> ram_in, std::span<const PfnExtent> ballooned_in) {
  const std::vector<PfnExtent> ram = merged(ram_in), hole = merged(ballooned_in);
  GfnContiguity m;
  std::size_t h = 0;
  auto note_run = [&](Pfn first, std::uint64_t len) {
    if (len > m.largest_run_pages) {
      m.largest_run_pages = len;
      m.largest_run_first = first;
    }
  };
  for (const PfnExtent& r : ram) {
    Pfn pos = r.first;  // next frame of r not yet classified
    bool prev_known = false, prev_populated = false;
    auto note_piece = [&](Pfn first, std::uint64_t len, bool populated) {
      if (len == 0) return;
      if (prev_known && prev_populated != populated) ++m.transitions;
      prev_known = true;
      prev_populated = populated;
      if (populated) {
        m.populated_pages += len;
        note_run(first, len);
      } else {
        m.ballooned_pages += len;
      }
    };
    while (h < hole.size() && hole[h].end() <= r.first) ++h;
    for (std::size_t k = h; k < hole.size() && hole[k].first < r.end(); ++k) {
      Pfn hs = std::max(hole[k].first, r.first), he = std::min(hole[k].end(), r.end());
      note_piece(pos, hs - pos, true);
      note_piece(hs, he - hs, false);
      pos = he;
    }
    note_piece(pos, r.end() - pos, true);
  }
  return m;
}

}  // namespace gm
