// The data plane's counters: written on the I/O thread only, read by stats()
// on the JS thread (Counter: relaxed, figures, not synchronisation).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

#include "counter.h"
#include "latency_histogram.h"

namespace cassdl::io {

struct PlaneStats {
  Counter<uint64_t> requests, retries, failures, rows, bytes, missing;
  /** Row bytes read from the socket straight into their batch (no user-space copy). */
  Counter<uint64_t> placedBytes;
  /** Bytes read from the connections (after TLS): what the wire delivered, handshakes included. */
  std::atomic<uint64_t> receivedBytes{0};
  Counter<int64_t> inflight, peakInflight;
  LatencyHistogram latency;
  /** The same latencies per host (index of PlaneConfig::hosts); sized once, before the I/O thread starts. */
  std::vector<std::unique_ptr<LatencyHistogram>> hostLatency;
};

}  // namespace cassdl::io
