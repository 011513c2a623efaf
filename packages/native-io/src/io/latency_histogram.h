// Lock-free latency histogram: the I/O thread records, the JS thread reads
// percentiles from stats() without stopping it. Buckets are quarter powers of
// two of microseconds, so a percentile is exact to within 19%. The count and
// sum are exact and only grow, so a reader that keeps the previous values gets
// the mean of what was recorded since (the pipeline controller's round trip).
#pragma once

#include <array>
#include <atomic>
#include <cmath>
#include <cstdint>

namespace cassdl::io {

class LatencyHistogram {
 public:
  static constexpr int kBuckets = 128;

  void record(uint64_t micros) {
    buckets_[bucketOf(micros)].fetch_add(1, std::memory_order_relaxed);
    count_.fetch_add(1, std::memory_order_relaxed);
    sumMicros_.fetch_add(micros, std::memory_order_relaxed);
    uint64_t seen = max_.load(std::memory_order_relaxed);
    while (micros > seen && !max_.compare_exchange_weak(seen, micros, std::memory_order_relaxed)) {
    }
  }

  /** Upper bound of the bucket holding quantile `q` (0..1), in milliseconds; 0 when empty. */
  double quantileMs(double q) const {
    std::array<uint64_t, kBuckets> counts{};
    uint64_t total = 0;
    for (int i = 0; i < kBuckets; ++i) total += counts[i] = buckets_[i].load(std::memory_order_relaxed);
    if (total == 0) return 0;
    auto rank = static_cast<uint64_t>(std::ceil(q * static_cast<double>(total)));
    uint64_t seen = 0;
    for (int i = 0; i < kBuckets; ++i) {
      seen += counts[i];
      if (seen >= rank && counts[i] > 0) return upperMicros(i) / 1000.0;
    }
    return maxMs();
  }

  /** Values recorded since construction. */
  uint64_t count() const { return count_.load(std::memory_order_relaxed); }

  /** Their sum in milliseconds (exact: kept in microseconds). */
  double sumMs() const { return static_cast<double>(sumMicros_.load(std::memory_order_relaxed)) / 1000.0; }

  double maxMs() const { return static_cast<double>(max_.load(std::memory_order_relaxed)) / 1000.0; }

 private:
  static int bucketOf(uint64_t micros) {
    if (micros < 1) return 0;
    int b = static_cast<int>(std::log2(static_cast<double>(micros)) * 4) + 1;
    return b < kBuckets ? b : kBuckets - 1;
  }
  static double upperMicros(int bucket) { return bucket == 0 ? 1 : std::exp2(bucket / 4.0); }

  std::array<std::atomic<uint64_t>, kBuckets> buckets_{};
  std::atomic<uint64_t> max_{0};
  std::atomic<uint64_t> count_{0};
  std::atomic<uint64_t> sumMicros_{0};
};

}  // namespace cassdl::io
