// A fixed ring of batch arenas that are reused without the garbage
// collector. Each slot owns three blocks (row data, the small typed arrays
// of ids/offsets/labels, blob labels); a fetch fills one slot on the I/O
// thread, JS reads it in place, and the slot comes back when JS recycles it
// (the consumer asked for the next batch, or released a retained one). Its
// pages stay mapped and warm, so steady-state loading neither faults fresh
// memory nor hands V8 a new external buffer per batch.
//
// Blocks are reference counted: the slot holds one reference and each
// ArrayBuffer JS made over a block holds another, so memory a stale JS view
// still points at is freed only when that view is collected (never a
// use-after-free), while the slot itself moves on to a larger block.
#pragma once

#include <cstddef>
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

namespace cassdl::io {

/** One anonymous mapping, or a range of one (`view`): a ring slot's stretch of the ring's arena. */
class Block {
 public:
  /** At least `minimum` bytes (rounded up to whole pages), faulted in now; aborts when out of memory. */
  static std::shared_ptr<Block> make(size_t minimum);
  /** `size` bytes of address space (rounded up to 2 MiB), 2 MiB aligned, faulted in as used; null if refused. */
  static std::shared_ptr<Block> reserve(size_t size);
  /** `capacity` bytes of `parent` from `offset`, of which the first `populate` are faulted in now. */
  static std::shared_ptr<Block> view(std::shared_ptr<Block> parent, size_t offset, size_t capacity, size_t populate);
  ~Block();
  Block(const Block&) = delete;
  Block& operator=(const Block&) = delete;

  uint8_t* data() const { return data_; }
  size_t capacity() const { return capacity_; }
  /** The mapping this block lies in (itself unless a view), and where in it. */
  const Block* root() const { return parent_ ? parent_.get() : this; }
  /** The mapping a view lies in; null for a mapping. */
  const std::shared_ptr<Block>& parent() const { return parent_; }
  size_t offsetInRoot() const { return parent_ ? static_cast<size_t>(data_ - parent_->data_) : 0; }
  /** Gives the pages of a view back to the system (they read as zeros after). */
  void discardPages();
  /** Bytes mapped by every live mapping of the process (slots' and those stale JS views keep alive). */
  static size_t mappedBytes();
  /** Bytes asked to be faulted in so far, by every block (a page already resident is counted again: that walk is not free). */
  static size_t populatedBytes();

  static constexpr size_t kHugePage = size_t{2} << 20;

 private:
  Block(uint8_t* data, size_t capacity) : data_(data), capacity_(capacity) {}
  uint8_t* data_;
  size_t capacity_;
  std::shared_ptr<Block> parent_;
};

/**
 * Ensures `block` has room for `wanted` bytes, keeping its first `keep`
 * bytes: a larger block replaces it (with some headroom, so a slot grows a
 * few times in its life, not per batch).
 */
void reserveBlock(std::shared_ptr<Block>& block, size_t wanted, size_t keep);

struct RingSlot {
  std::shared_ptr<Block> data;
  std::shared_ptr<Block> meta;
  std::shared_ptr<Block> labels;
  /** Bumped each time the slot is lent: a recycle naming an older generation is stale. */
  uint32_t generation = 0;
  bool busy = false;
};

struct RingStats {
  /** Slots that exist (ring plus overflow), and how many of them are lent now. */
  size_t slots = 0;
  size_t busy = 0;
  /** Times a fetch found every ring slot busy and used an overflow slot. */
  uint64_t overflows = 0;
  /** Bytes mapped by every live block (Block::mappedBytes()). */
  size_t bytes = 0;
  /** Bytes of each ring slot's stretch faulted in ahead of use (0 before the first batch). */
  size_t prefaulted = 0;
};

class BatchRing {
 public:
  explicit BatchRing(size_t size) : size_(size < 1 ? 1 : size) {}

  /**
   * A free slot, lent until recycle(): the most recently used free ring
   * slot (its pages are the warmest), else a new one. Slots beyond the ring
   * size are overflow: their memory is dropped when they come back, so
   * retaining batches costs memory only while they are retained.
   */
  uint32_t acquire();
  /**
   * Gives the borrowed slot `index` a data block of at least `wanted` bytes
   * that keeps the first `keep` bytes of its old one, its first `populate`
   * bytes faulted in (the rest fault as rows arrive). A ring slot's block is
   * its stretch of the ring's one arena (made again, larger, only when a
   * batch outgrows its stretch or the ring outgrows the arena), so JS sees
   * one ArrayBuffer for the whole ring instead of one per slot, and V8 no new
   * external memory as slots warm up. Overflow slots get mappings of their own.
   */
  void reserveData(uint32_t index, size_t wanted, size_t keep, size_t populate);
  /** Gives a slot back; false (and nothing changes) when it is not lent at that generation. */
  bool recycle(uint32_t index, uint32_t generation);
  /** The slot's blocks; only its current borrower may touch them. Stable address. */
  RingSlot& slot(uint32_t index);
  /**
   * Changes how many slots keep their memory (the reader's memory budget);
   * returns the free slots whose memory it dropped. Slots it adds are
   * faulted in when first lent.
   */
  std::vector<uint32_t> setSize(size_t size);
  size_t size() const;
  /**
   * The plane closed: every free slot drops its memory now and every lent
   * one when it comes back (the size becomes 0). Returns the slots dropped.
   */
  std::vector<uint32_t> releaseAll();
  RingStats stats() const;

 private:
  /** Drops a slot's stretch of an arena since remade, giving its pages back at once. */
  void leaveOldArena(RingSlot& slot);
  void dropMemory(RingSlot& slot);
  /** A new arena with room for the ring's slots and a stretch of at least `wanted` bytes each. */
  void remakeArena(size_t wanted);
  bool inArena(const RingSlot& slot) const;
  /** Gives back the pages of every stretch of the replaced arena `old` that no lent slot holds. */
  void discardUnlent(Block& old, size_t stride, size_t count);
  /**
   * Faults in the first `prefaulted_` bytes of the stretches of ring slots
   * [from, to) that hold a stretch of the arena. A slot without one yet is
   * faulted by `Block::view` when its first batch is placed, not here too:
   * walking 65 MB of resident pages again cost 3-7 ms (110 KB rows, batch
   * 512, each lent slot faulted twice). Slots never lent are not faulted: a ring
   * sized for the window plus a retained batch lends 3 of its 5 slots on a
   * short link, and faulting all 5 with the first batch cost a third of a
   * one-epoch run's client CPU (110 KB rows, batch 512: 320 MB of first
   * touch at about 0.4 s per GB on this VM).
   */
  void prefault(size_t from, size_t to, size_t bytesFrom);
  /** Raises `prefaulted_` to cover a batch of `bytes` (plus headroom) and faults the slots made so far in up to it. */
  void growPrefault(size_t bytes);
  /** Stretches larger than this get mappings of their own (the arena is address space, not memory, but bounded). */
  static constexpr size_t kMaxStride = size_t{1} << 30;
  static constexpr size_t kArenaSlots = 16;
  /**
   * JS sees the arena as one ArrayBuffer, and Node refuses external buffers
   * over buffer.constants.MAX_LENGTH (4 GiB on Node 20, less elsewhere):
   * ring slots past what fits get mappings of their own.
   */
  static constexpr size_t kMaxArenaBytes = (size_t{1} << 31) - Block::kHugePage;
  static size_t maxArenaSlots(size_t stride);

  mutable std::mutex mutex_;
  size_t size_;
  std::shared_ptr<Block> arena_;
  /** Bytes of the arena per ring slot (whole huge pages), and slots it has room for. */
  size_t stride_ = 0;
  size_t arenaSlots_ = 0;
  /** Bytes of every ring slot's stretch kept faulted in: the largest batch placed so far (plus an eighth once batches have grown). */
  size_t prefaulted_ = 0;
  std::vector<std::unique_ptr<RingSlot>> slots_;
  /** Free slot indices, most recently freed last. */
  std::vector<uint32_t> free_;
  uint64_t overflows_ = 0;
};

}  // namespace cassdl::io
