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

#include "counter.h"

namespace cassdl::io {

class LatencyHistogram {
 public:
  static constexpr int kBuckets = 128;

  /** One thread records (the I/O thread), so no locked read-modify-write (see Counter). */
  void record(uint64_t micros) {
    buckets_[bucketOf(micros)].add(1);
    count_.add(1);
    sumMicros_.add(micros);
    if (micros > max_.load()) max_.store(micros);
  }

  /** Upper bound of the bucket holding quantile `q` (0..1), in milliseconds; 0 when empty. */
  double quantileMs(double q) const {
    std::array<uint64_t, kBuckets> counts{};
    uint64_t total = 0;
    for (int i = 0; i < kBuckets; ++i) total += counts[i] = buckets_[i].load();
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
  uint64_t count() const { return count_.load(); }

  /** Their sum in milliseconds (exact: kept in microseconds). */
  double sumMs() const { return static_cast<double>(sumMicros_.load()) / 1000.0; }

  double maxMs() const { return static_cast<double>(max_.load()) / 1000.0; }

 private:
  static int bucketOf(uint64_t micros) {
    if (micros < 1) return 0;
    int b = static_cast<int>(std::log2(static_cast<double>(micros)) * 4) + 1;
    return b < kBuckets ? b : kBuckets - 1;
  }
  static double upperMicros(int bucket) { return bucket == 0 ? 1 : std::exp2(bucket / 4.0); }

  std::array<Counter<uint64_t>, kBuckets> buckets_{};
  Counter<uint64_t> max_;
  Counter<uint64_t> count_;
  Counter<uint64_t> sumMicros_;
};

}  // namespace cassdl::io
