// How long a row read waits before its next attempt: exponential backoff
// with equal jitter (half the delay fixed, half at random), so the retries
// of a burst that failed together spread out instead of arriving together.
// The generator is a xorshift of its own: cheap, and no shared state with
// anything else on the I/O thread.
#pragma once

#include <algorithm>
#include <cstdint>

namespace cassdl::io {

class Backoff {
 public:
  Backoff(uint64_t baseDelayMs, uint64_t maxDelayMs) : baseMs_(baseDelayMs), maxMs_(maxDelayMs) {}

  /** The wait, in µs, after `attempts` attempts: base * 2^(attempts-1), capped, of which a random half. */
  uint64_t delayUs(int attempts) {
    uint64_t delayMs = std::min(maxMs_, baseMs_ << std::clamp(attempts - 1, 0, 20));
    random_ ^= random_ << 13;
    random_ ^= random_ >> 7;
    random_ ^= random_ << 17;
    uint64_t jitterUs = delayMs ? random_ % (delayMs * 500 + 1) : 0;
    return delayMs * 500 + jitterUs;
  }

 private:
  uint64_t baseMs_;
  uint64_t maxMs_;
  uint64_t random_ = 0x9e3779b97f4a7c15ULL;
};

}  // namespace cassdl::io
