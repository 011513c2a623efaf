// The data plane's counters: written on the I/O thread, read by stats() on
// the JS thread (hence atomics, relaxed: figures, not synchronisation).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

#include "latency_histogram.h"

namespace cassdl::io {

struct PlaneStats {
  std::atomic<uint64_t> requests{0}, retries{0}, failures{0}, rows{0}, bytes{0}, missing{0};
  /** Row bytes read from the socket straight into their batch (no user-space copy). */
  std::atomic<uint64_t> placedBytes{0};
  /** Bytes read from the connections (after TLS): what the wire delivered, handshakes included. */
  std::atomic<uint64_t> receivedBytes{0};
  std::atomic<int64_t> inflight{0}, peakInflight{0};
  LatencyHistogram latency;
  /** The same latencies per host (index of PlaneConfig::hosts); sized once, before the I/O thread starts. */
  std::vector<std::unique_ptr<LatencyHistogram>> hostLatency;
};

}  // namespace cassdl::io
