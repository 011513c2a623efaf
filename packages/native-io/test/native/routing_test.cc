#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <vector>

#include "../../src/io/latency_histogram.h"
#include "../../src/io/token_ring.h"
#include "../../src/net/stream_ids.h"

using cassdl::io::LatencyHistogram;
using cassdl::io::Replicas;
using cassdl::io::TokenRing;

namespace {

TokenRing threeRanges() {
  // Entry i owns (token[i-1], token[i]]; entry 0 also owns the wrap above 100.
  return TokenRing({-100, 0, 100}, {Replicas{{0}, 1}, Replicas{{1}, 1}, Replicas{{2}, 1}});
}

}  // namespace

TEST(TokenRing, OwnerIsTheFirstTokenAtOrAboveTheKeyToken) {
  TokenRing ring = threeRanges();
  EXPECT_EQ(ring.replicasForToken(-100).hosts[0], 0);
  EXPECT_EQ(ring.replicasForToken(-99).hosts[0], 1);
  EXPECT_EQ(ring.replicasForToken(0).hosts[0], 1);
  EXPECT_EQ(ring.replicasForToken(1).hosts[0], 2);
  EXPECT_EQ(ring.replicasForToken(100).hosts[0], 2);
}

TEST(TokenRing, WrapsAroundBothEnds) {
  TokenRing ring = threeRanges();
  EXPECT_EQ(ring.replicasForToken(101).hosts[0], 0);
  EXPECT_EQ(ring.replicasForToken(std::numeric_limits<int64_t>::max()).hosts[0], 0);
  EXPECT_EQ(ring.replicasForToken(std::numeric_limits<int64_t>::min()).hosts[0], 0);
}

TEST(TokenRing, RoutesKeysByTheirMurmur3Token) {
  // 00..00 has token 5457549051747178710 (checked against Cassandra): above 100, so the wrap entry.
  TokenRing ring = threeRanges();
  uint8_t zeros[16] = {};
  EXPECT_EQ(ring.replicasFor(zeros, 16).hosts[0], 0);
  TokenRing split({5457549051747178709LL, 5457549051747178710LL}, {Replicas{{0}, 1}, Replicas{{1, 0}, 2}});
  EXPECT_EQ(split.replicasFor(zeros, 16).hosts, (std::vector<int>{1, 0}));
}

TEST(StreamIds, LendsEachIdOnceLowestFirst) {
  cassdl::net::StreamIds ids(3);
  EXPECT_EQ(ids.take(), 0);
  EXPECT_EQ(ids.take(), 1);
  EXPECT_EQ(ids.take(), 2);
  EXPECT_TRUE(ids.empty());
  EXPECT_EQ(ids.inUse(), 3);
  ids.give(1);
  EXPECT_EQ(ids.take(), 1);
}

TEST(StreamIds, CapsAt32768) {
  cassdl::net::StreamIds ids;
  int taken = 0;
  int16_t last = 0;
  while (!ids.empty()) {
    last = ids.take();
    ++taken;
  }
  EXPECT_EQ(taken, 32768);
  EXPECT_EQ(last, 32767);
}

TEST(LatencyHistogram, QuantilesBracketTheRecordedValues) {
  LatencyHistogram histogram;
  EXPECT_EQ(histogram.quantileMs(0.5), 0);
  for (int i = 0; i < 90; ++i) histogram.record(1000);  // 1 ms
  for (int i = 0; i < 10; ++i) histogram.record(100000);  // 100 ms
  EXPECT_GE(histogram.quantileMs(0.5), 1.0);
  EXPECT_LT(histogram.quantileMs(0.5), 1.2);
  EXPECT_GE(histogram.quantileMs(0.99), 100.0);
  EXPECT_LT(histogram.quantileMs(0.99), 120.0);
  EXPECT_EQ(histogram.maxMs(), 100.0);
}
