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

/** One anonymous mapping, pre-faulted when made. */
class Block {
 public:
  /** At least `minimum` bytes (rounded up to whole pages); aborts when out of memory. */
  static std::shared_ptr<Block> make(size_t minimum);
  ~Block();
  Block(const Block&) = delete;
  Block& operator=(const Block&) = delete;

  uint8_t* data() const { return data_; }
  size_t capacity() const { return capacity_; }
  /** Bytes mapped by every live block of the process (slots' and those stale JS views keep alive). */
  static size_t mappedBytes();

 private:
  Block(uint8_t* data, size_t capacity) : data_(data), capacity_(capacity) {}
  uint8_t* data_;
  size_t capacity_;
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
  /** Gives a slot back; false (and nothing changes) when it is not lent at that generation. */
  bool recycle(uint32_t index, uint32_t generation);
  /** The slot's blocks; only its current borrower may touch them. Stable address. */
  RingSlot& slot(uint32_t index);
  /** Changes how many slots keep their memory (the reader's memory budget); returns the free slots whose memory it dropped. */
  std::vector<uint32_t> setSize(size_t size);
  size_t size() const;
  RingStats stats() const;

 private:
  void dropMemory(RingSlot& slot);

  mutable std::mutex mutex_;
  size_t size_;
  std::vector<std::unique_ptr<RingSlot>> slots_;
  /** Free slot indices, most recently freed last. */
  std::vector<uint32_t> free_;
  uint64_t overflows_ = 0;
};

}  // namespace cassdl::io
