// A figure one thread writes (the data plane's I/O thread) and any thread
// reads (stats() on the JS thread): relaxed atomics, and no locked
// read-modify-write, because there is no other writer to lose an update to.
#pragma once

#include <atomic>

namespace cassdl::io {

template <typename T>
class Counter {
 public:
  /**
   * A plain load and store, not fetch_add: on x86 a locked add is a full
   * fence, and a row counted right after its bytes were copied into the
   * batch waited for those stores to drain. A dozen are counted per row:
   * at 2 KB rows, batch 128, BatchAssembler::arrived was 5% of the client's
   * CPU samples, 93% of them right behind its locked adds (perf); 0.4% after.
   */
  void add(T n) { value_.store(value_.load(std::memory_order_relaxed) + n, std::memory_order_relaxed); }
  void store(T value) { value_.store(value, std::memory_order_relaxed); }
  T load() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<T> value_{0};
};

}  // namespace cassdl::io
