// Large output buffers (a batch's row data, ~14 MB for 128 rows of 110 KB)
// and the process-wide pool they come from and return to. Fresh memory costs
// a page fault per 4 KiB on first touch, which measured as a large share of
// the client's CPU; recycled buffers are already mapped. Buffers handed to JS
// come back through their ArrayBuffer finalizer, on the JS thread, hence the
// mutex.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <mutex>
#include <utility>
#include <vector>

namespace cassdl::io {

class BufferPool {
 public:
  /** Spare bytes kept at most; beyond that, returned buffers are freed. */
  static constexpr size_t kMaxSpareBytes = 256 * 1024 * 1024;
  /** And at most this many, so a lookup stays a short scan. */
  static constexpr size_t kMaxSpareBuffers = 64;

  /** Never destroyed: finalizers may return buffers during process teardown. */
  static BufferPool& shared() {
    static auto* pool = new BufferPool();
    return *pool;
  }

  /** A buffer of at least `minimum` bytes; its real size goes to `capacity`. */
  uint8_t* take(size_t minimum, size_t& capacity) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      size_t best = spare_.size();
      for (size_t i = 0; i < spare_.size(); ++i) {
        size_t c = spare_[i].second;
        // Big enough, not wastefully so, and the tightest such fit.
        if (c >= minimum && c <= 2 * minimum + 65536 && (best == spare_.size() || c < spare_[best].second)) best = i;
      }
      if (best != spare_.size()) {
        auto [data, size] = spare_[best];
        spare_[best] = spare_.back();
        spare_.pop_back();
        spareBytes_ -= size;
        capacity = size;
        return data;
      }
    }
    capacity = minimum ? minimum : 1;
    auto* data = static_cast<uint8_t*>(std::malloc(capacity));
    if (data == nullptr) std::abort();  // out of memory: no exceptions to throw
    return data;
  }

  void give(uint8_t* data, size_t capacity) {
    if (data == nullptr) return;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (spareBytes_ + capacity <= kMaxSpareBytes && spare_.size() < kMaxSpareBuffers) {
        spare_.emplace_back(data, capacity);
        spareBytes_ += capacity;
        return;
      }
    }
    std::free(data);
  }

 private:
  BufferPool() = default;
  std::mutex mutex_;
  std::vector<std::pair<uint8_t*, size_t>> spare_;
  size_t spareBytes_ = 0;
};

/** A pooled buffer with one owner: the I/O thread, then (after release()) a JS ArrayBuffer. */
struct OwnedBytes {
  uint8_t* data = nullptr;
  /** Bytes in use (what JS sees). */
  size_t size = 0;
  /** Bytes allocated. */
  size_t capacity = 0;

  OwnedBytes() = default;
  explicit OwnedBytes(size_t n) : size(n) { data = BufferPool::shared().take(n, capacity); }
  OwnedBytes(const OwnedBytes&) = delete;
  OwnedBytes& operator=(const OwnedBytes&) = delete;
  OwnedBytes(OwnedBytes&& other) noexcept : data(other.data), size(other.size), capacity(other.capacity) {
    other.data = nullptr;
  }
  OwnedBytes& operator=(OwnedBytes&& other) noexcept {
    std::swap(data, other.data);
    std::swap(size, other.size);
    std::swap(capacity, other.capacity);
    return *this;
  }
  ~OwnedBytes() { BufferPool::shared().give(data, capacity); }

  /** Ensures room for `wanted` bytes, keeping the content (realloc: a remap for large blocks). */
  void reserve(size_t wanted) {
    if (wanted <= capacity) return;
    if (data == nullptr) {
      data = BufferPool::shared().take(wanted, capacity);
      return;
    }
    auto* grown = static_cast<uint8_t*>(std::realloc(data, wanted));
    if (grown == nullptr) std::abort();
    data = grown;
    capacity = wanted;
  }

  /** Gives up ownership; whoever takes it returns the buffer with BufferPool::shared().give(data, capacity). */
  uint8_t* release() {
    uint8_t* out = data;
    data = nullptr;
    return out;
  }
};

}  // namespace cassdl::io
