// The buddy allocator's free lists (struct free_area.free_list[MIGRATE_TYPES], include/linux/mmzone.h):
// one doubly linked list per (order, migratetype), allocation from the head, frees to the head or the
// tail. The kernel links free pages through struct page (page->buddy_list); the model has no per-frame
// objects, so the links of the blocks that are free live in an open-addressing hash table keyed by the
// block's first frame: 12 bytes per slot, at most half the slots used. Every operation is O(1)
// expected; memory is proportional to the number of free blocks, not to the zone's size.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace gm {

// Contract: a block index (zone-relative first frame, < 2^32 - 1) is on at most one list at a time;
// callers say which list a block is on when they remove or move it (the allocator knows it from the
// block's order and its pageblock's migratetype).
class FreeLists {
 public:
  static constexpr std::uint32_t kNone = 0xffffffffu;

  explicit FreeLists(unsigned nlists = 0) : heads_(nlists, kNone), tails_(nlists, kNone) {}

  void push(unsigned list, std::uint32_t block, bool to_tail);  // list_add / list_add_tail
  void remove(unsigned list, std::uint32_t block);              // list_del
  void move_to_tail(unsigned from, unsigned to, std::uint32_t block) {  // list_move_tail
    remove(from, block);
    push(to, block, true);
  }
  // list_swap(): a and b (both on `list`) exchange their positions.
  void swap(unsigned list, std::uint32_t a, std::uint32_t b);

  std::optional<std::uint32_t> head(unsigned list) const {
    return heads_[list] == kNone ? std::nullopt : std::optional<std::uint32_t>(heads_[list]);
  }
  bool empty(unsigned list) const { return heads_[list] == kNone; }
  bool contains(std::uint32_t block) const { return find(block) != kNone; }
  std::uint32_t next(std::uint32_t block) const;  // kNone at the tail
  std::uint64_t size() const { return used_; }    // blocks on all lists
  std::uint64_t bytes() const;

 private:
  struct Slot {
    std::uint32_t key = kNone, prev = kNone, next = kNone;
  };
  std::uint64_t slot_of(std::uint32_t key) const;  // home slot
  std::uint64_t find(std::uint32_t key) const;     // slot index, or kNone
  Slot& at(std::uint32_t key);
  void insert_slot(const Slot& s);
  void erase_slot(std::uint64_t i);
  void grow();

  std::vector<std::uint32_t> heads_, tails_;
  std::vector<Slot> slots_;
  unsigned shift_ = 64;  // 64 - log2(slots)
  std::uint64_t used_ = 0;
};

}  // namespace gm
