// Bump allocator for one fetch: row bytes are copied out of the socket
// buffer into large chunks as they arrive, in any order, with no allocation
// per row. Chunks come from and go back to a pool owned by the I/O thread,
// so their pages stay mapped and warm instead of being faulted in per fetch.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <vector>

namespace cassdl::io {

using Chunk = std::unique_ptr<uint8_t[]>;

/**
 * Spare standard-size chunks; I/O thread only, except bytes(), which any
 * thread may read (the reader counts it against its memory budget).
 */
class ChunkPool {
 public:
  static constexpr size_t kChunkSize = 4 * 1024 * 1024;
  /** At most this many spare chunks are kept (64 MiB). */
  static constexpr size_t kMaxSpare = 16;

  Chunk take() {
    if (spare_.empty()) return Chunk(new uint8_t[kChunkSize]);
    Chunk chunk = std::move(spare_.back());
    spare_.pop_back();
    return chunk;
  }
  void give(Chunk chunk) {
    if (spare_.size() < kMaxSpare) spare_.push_back(std::move(chunk));
  }
  /** Arenas copied bytes in (positive) or cleared them (negative). */
  void counted(ptrdiff_t bytes) { bytes_.fetch_add(static_cast<size_t>(bytes), std::memory_order_relaxed); }
  /** Frees the spare chunks (the plane closed; its I/O thread is gone). */
  void dropSpare() { spare_.clear(); }
  /**
   * Bytes the arenas hold now (rows and labels waiting for their turn): what
   * they copied in, not their chunks' size. A chunk is 4 MiB of address
   * space that a fetch of small rows touches a page or two of (its int
   * labels); counting capacity counted 850 MB that RSS never saw, and the
   * budget starved the window.
   */
  size_t bytes() const { return bytes_.load(std::memory_order_relaxed); }

 private:
  std::vector<Chunk> spare_;
  std::atomic<size_t> bytes_{0};
};

class Arena {
 public:
  Arena() = default;
  explicit Arena(ChunkPool* pool) : pool_(pool) {}
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;
  ~Arena() { clear(); }

  /** Copies `size` bytes in and returns where they now live (stable until clear()). */
  const uint8_t* copy(const uint8_t* data, size_t size) {
    if (size == 0) return nullptr;
    if (chunks_.empty() || used_ + size > capacity_) {
      bool standard = size <= ChunkPool::kChunkSize;
      capacity_ = standard ? ChunkPool::kChunkSize : size;
      chunks_.push_back({standard && pool_ ? pool_->take() : Chunk(new uint8_t[capacity_]), standard});
      used_ = 0;
    }
    uint8_t* at = chunks_.back().data.get() + used_;
    std::memcpy(at, data, size);
    used_ += size;
    copied_ += size;
    if (pool_) pool_->counted(static_cast<ptrdiff_t>(size));
    return at;
  }

  /** Gives standard chunks back to the pool; every pointer copy() returned dies. */
  void clear() {
    for (Owned& chunk : chunks_) {
      if (chunk.standard && pool_) pool_->give(std::move(chunk.data));
    }
    if (pool_) pool_->counted(-static_cast<ptrdiff_t>(copied_));
    copied_ = 0;
    chunks_.clear();
    used_ = capacity_ = 0;
  }

 private:
  struct Owned {
    Chunk data;
    bool standard;
  };
  ChunkPool* pool_ = nullptr;
  std::vector<Owned> chunks_;
  size_t used_ = 0;
  size_t capacity_ = 0;
  /** Bytes copied in since the last clear(), all chunks together. */
  size_t copied_ = 0;
};

}  // namespace cassdl::io
