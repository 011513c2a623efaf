// Retry backoff: exponential with equal jitter, from its own generator.
#include <gtest/gtest.h>

#include <algorithm>

#include "../../src/io/backoff.h"

using cassdl::io::Backoff;

TEST(Backoff, DoublesPerAttemptWithAtMostHalfOfItRandom) {
  Backoff backoff(50, 2000);
  for (int attempts = 1; attempts <= 8; ++attempts) {
    uint64_t full = std::min<uint64_t>(2000, 50ULL << (attempts - 1)) * 1000;
    for (int i = 0; i < 50; ++i) {
      uint64_t delay = backoff.delayUs(attempts);
      EXPECT_GE(delay, full / 2);
      EXPECT_LE(delay, full);
    }
  }
}

TEST(Backoff, SpreadsTheRetriesOfABurst) {
  Backoff backoff(100, 2000);
  uint64_t first = backoff.delayUs(1);
  bool differs = false;
  for (int i = 0; i < 10; ++i) differs = differs || backoff.delayUs(1) != first;
  EXPECT_TRUE(differs);
}

TEST(Backoff, NoDelayWhenTheBaseIsZeroAndNoUndefinedShiftBeforeTheFirstAttempt) {
  EXPECT_EQ(Backoff(0, 2000).delayUs(3), 0u);
  EXPECT_LE(Backoff(50, 2000).delayUs(0), 50000u);
}
