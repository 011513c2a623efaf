#include <gtest/gtest.h>

#include <cstring>

#include "../../src/io/batch_ring.h"

using cassdl::io::BatchRing;
using cassdl::io::Block;
using cassdl::io::reserveBlock;

TEST(BatchRing, ReusesTheWarmestFreeSlotWithItsMemory) {
  BatchRing ring(2);
  uint32_t a = ring.acquire();
  reserveBlock(ring.slot(a).data, 1000, 0);
  Block* block = ring.slot(a).data.get();
  uint32_t generation = ring.slot(a).generation;
  EXPECT_TRUE(ring.recycle(a, generation));
  uint32_t again = ring.acquire();
  EXPECT_EQ(again, a);
  EXPECT_EQ(ring.slot(again).data.get(), block);  // same pages, no new mapping
  EXPECT_EQ(ring.slot(again).generation, generation + 1);
  EXPECT_EQ(ring.stats().slots, 1u);
}

TEST(BatchRing, RefusesStaleAndDoubleRecycles) {
  BatchRing ring(2);
  uint32_t a = ring.acquire();
  uint32_t generation = ring.slot(a).generation;
  EXPECT_FALSE(ring.recycle(a, generation + 1));
  EXPECT_TRUE(ring.recycle(a, generation));
  EXPECT_FALSE(ring.recycle(a, generation));
  EXPECT_FALSE(ring.recycle(99, 1));
  uint32_t b = ring.acquire();
  EXPECT_FALSE(ring.recycle(b, generation));  // the old lending's generation
  EXPECT_EQ(ring.stats().busy, 1u);
}

TEST(BatchRing, OverflowSlotsDropTheirMemoryWhenRecycled) {
  BatchRing ring(1);
  uint32_t a = ring.acquire();
  uint32_t b = ring.acquire();  // every ring slot is lent: overflow
  EXPECT_NE(a, b);
  EXPECT_EQ(ring.stats().overflows, 1u);
  reserveBlock(ring.slot(b).data, 4096, 0);
  ASSERT_TRUE(ring.recycle(b, ring.slot(b).generation));
  EXPECT_EQ(ring.slot(b).data, nullptr);
  ASSERT_TRUE(ring.recycle(a, ring.slot(a).generation));
  EXPECT_EQ(ring.acquire(), a);  // ring slots are preferred over overflow ones
}

TEST(BatchRing, ShrinkingDropsTheMemoryOfFreeSlotsBeyondTheNewSize) {
  BatchRing ring(3);
  uint32_t ids[3] = {ring.acquire(), ring.acquire(), ring.acquire()};
  for (uint32_t id : ids) reserveBlock(ring.slot(id).data, 100, 0);
  for (uint32_t id : ids) ASSERT_TRUE(ring.recycle(id, ring.slot(id).generation));
  ring.setSize(1);
  EXPECT_NE(ring.slot(ids[0]).data, nullptr);
  EXPECT_EQ(ring.slot(ids[1]).data, nullptr);
  EXPECT_EQ(ring.slot(ids[2]).data, nullptr);
  EXPECT_EQ(ring.size(), 1u);
}

TEST(ReserveBlock, GrowsKeepingTheBytesAskedFor) {
  std::shared_ptr<Block> block;
  reserveBlock(block, 10, 0);
  ASSERT_NE(block, nullptr);
  std::memcpy(block->data(), "0123456789", 10);
  std::shared_ptr<Block> old = block;
  reserveBlock(block, 10, 10);
  EXPECT_EQ(block, old);  // big enough already
  reserveBlock(block, block->capacity() + 1, 10);
  EXPECT_NE(block, old);
  EXPECT_EQ(std::memcmp(block->data(), "0123456789", 10), 0);
  EXPECT_GE(Block::mappedBytes(), block->capacity() + old->capacity());
}
