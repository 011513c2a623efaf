#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <string>
#include <sys/mman.h>
#include <unistd.h>
#include <vector>

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

TEST(BatchRing, AnEpochOfManyBatchesUsesOnlyAsManySlotsAsAreBusyAtOnce) {
  // 200 batches, at most 3 lent at a time (fetches on the wire plus the
  // consumer's), in a ring of 7 (prefetch 5 + 2): only 3 slots are ever
  // made (the whole ring's stretches are faulted in with the first batch, and nothing after).
  BatchRing ring(7);
  std::vector<uint32_t> lent;
  std::vector<uint32_t> generations;
  for (int batch = 0; batch < 200; ++batch) {
    if (lent.size() == 3) {
      EXPECT_TRUE(ring.recycle(lent.front(), generations.front()));
      lent.erase(lent.begin());
      generations.erase(generations.begin());
    }
    uint32_t index = ring.acquire();
    ring.reserveData(index, 4096, 0, 4096);
    lent.push_back(index);
    generations.push_back(ring.slot(index).generation);
  }
  EXPECT_EQ(ring.stats().slots, 3u);
  EXPECT_EQ(ring.stats().busy, 3u);
  EXPECT_EQ(ring.stats().overflows, 0u);
  for (size_t i = 0; i < lent.size(); ++i) EXPECT_TRUE(ring.recycle(lent[i], generations[i]));
  ring.releaseAll();
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

TEST(BatchRing, RingSlotsTakeStretchesOfOneArenaAndKeepThem) {
  BatchRing ring(2);
  uint32_t a = ring.acquire();
  uint32_t b = ring.acquire();
  ring.reserveData(a, 1000, 0, 1000);
  ring.reserveData(b, 5000, 0, 5000);
  const auto& da = ring.slot(a).data;
  const auto& db = ring.slot(b).data;
  ASSERT_NE(da->parent(), nullptr);
  EXPECT_EQ(da->root(), db->root());  // one mapping, so one ArrayBuffer for JS
  EXPECT_NE(da->offsetInRoot(), db->offsetInRoot());
  EXPECT_EQ(da->offsetInRoot() % Block::kHugePage, 0u);
  EXPECT_GE(da->capacity(), 5000u);
  std::memset(da->data(), 1, da->capacity());  // the whole stretch is writable
  std::memset(db->data(), 2, db->capacity());
  EXPECT_EQ(da->data()[da->capacity() - 1], 1);  // stretches do not overlap
  Block* block = da.get();
  ASSERT_TRUE(ring.recycle(a, ring.slot(a).generation));
  uint32_t again = ring.acquire();
  ASSERT_EQ(again, a);
  ring.reserveData(again, 2000, 0, 2000);
  EXPECT_EQ(ring.slot(again).data.get(), block);  // same stretch, same pages
}

TEST(BatchRing, ABatchOutgrowingItsStretchMovesToANewArenaWithItsBytes) {
  BatchRing ring(2);
  uint32_t a = ring.acquire();
  uint32_t b = ring.acquire();
  ring.reserveData(a, 100, 0, 100);
  ring.reserveData(b, 100, 0, 100);
  std::memcpy(ring.slot(a).data->data(), "0123456789", 10);
  std::shared_ptr<Block> old = ring.slot(a).data;
  ring.reserveData(a, old->capacity() + 1, 10, 0);
  const auto& grown = ring.slot(a).data;
  EXPECT_NE(grown->root(), old->root());
  EXPECT_GT(grown->capacity(), old->capacity());
  EXPECT_EQ(std::memcmp(grown->data(), "0123456789", 10), 0);
  // b still writes its stretch of the old arena; once back, it lets that arena go.
  ring.slot(b).data->data()[0] = 7;
  ASSERT_TRUE(ring.recycle(b, ring.slot(b).generation));
  EXPECT_EQ(ring.slot(b).data, nullptr);
}

namespace {

/** Pages of [at, at + size) resident in memory now. */
size_t residentPages(const uint8_t* at, size_t size) {
  size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  std::vector<unsigned char> in((size + page - 1) / page);
  if (mincore(const_cast<uint8_t*>(at), size, in.data()) != 0) return SIZE_MAX;
  size_t n = 0;
  for (unsigned char c : in) n += c & 1;
  return n;
}

/** THP "always" may back a touched 2 MiB stretch with one huge page: residency says nothing then. */
bool hugePagesAlways() {
  std::ifstream f("/sys/kernel/mm/transparent_hugepage/enabled");
  std::string text((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  return text.find("[always]") != std::string::npos;
}

}  // namespace

TEST(BatchRing, SlotsAreFaultedInWhenFirstLentAndGrowWithTheLargestBatch) {
  if (hugePagesAlways()) GTEST_SKIP() << "transparent huge pages: always";
  // A ring of 4 whose first batch needs 256 KiB: that slot's stretch is
  // resident, the three never lent are not (a ring sized for a burst that
  // never comes costs no memory). A second slot is faulted in when lent;
  // a larger batch in either grows every slot made so far; growing the
  // ring faults nothing in.
  BatchRing ring(4);
  size_t batch = 256 * 1024;
  size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  uint32_t a = ring.acquire();
  ring.reserveData(a, batch, 0, batch);
  const uint8_t* base = ring.slot(a).data->root()->data();
  size_t stride = ring.slot(a).data->capacity();
  ASSERT_EQ(ring.slot(a).data->data(), base + a * stride);
  EXPECT_GE(ring.stats().prefaulted, batch);
  EXPECT_EQ(residentPages(base + a * stride, batch), batch / page);
  for (size_t slot = 1; slot < 4; ++slot) EXPECT_EQ(residentPages(base + slot * stride, batch), 0u) << slot;
  uint32_t b = ring.acquire();
  ring.reserveData(b, 1000, 0, 1000);  // a small batch: b still gets the ring's faulted depth
  EXPECT_EQ(residentPages(base + b * stride, batch), batch / page);
  ring.reserveData(a, 2 * batch, 0, 2 * batch);
  EXPECT_EQ(residentPages(base + b * stride, 2 * batch), 2 * batch / page);
  EXPECT_EQ(residentPages(base + 2 * stride, batch), 0u);
  ring.setSize(6);
  for (size_t slot = 2; slot < 6; ++slot) EXPECT_EQ(residentPages(base + slot * stride, batch), 0u) << slot;
  EXPECT_TRUE(ring.recycle(a, ring.slot(a).generation));
  EXPECT_TRUE(ring.recycle(b, ring.slot(b).generation));
  ring.releaseAll();
}

TEST(BatchRing, EachSlotIsFaultedInOnceWhenItsFirstBatchIsPlaced) {
  // The plane takes slots for the next batches before the first one's rows
  // arrive. Placing the first batch faults only its own slot; each of the
  // others is faulted when its batch is placed, once (faulting resident
  // pages again walks their page tables: milliseconds per 64 MB). Batches
  // of one size get no headroom; once they grow, they get an eighth.
  BatchRing ring(4);
  size_t batch = 256 * 1024;
  uint32_t a = ring.acquire();
  uint32_t b = ring.acquire();
  uint32_t c = ring.acquire();
  size_t before = Block::populatedBytes();
  ring.reserveData(a, batch, 0, batch);
  size_t depth = ring.stats().prefaulted;
  EXPECT_EQ(depth, batch);  // rows of one size: the first batch's depth, no headroom
  EXPECT_EQ(Block::populatedBytes() - before, depth);
  ring.reserveData(b, batch, 0, batch);
  ring.reserveData(c, batch, 0, batch);
  EXPECT_EQ(Block::populatedBytes() - before, 3 * depth);
  ring.reserveData(a, batch, 0, batch);  // a batch of the same size again: nothing to fault
  EXPECT_EQ(Block::populatedBytes() - before, 3 * depth);
  ring.reserveData(a, 2 * batch, 0, 2 * batch);  // batches grew: they vary, so an eighth of headroom
  EXPECT_EQ(ring.stats().prefaulted, 2 * batch + 2 * batch / 8);
  for (uint32_t id : {a, b, c}) EXPECT_TRUE(ring.recycle(id, ring.slot(id).generation));
  ring.releaseAll();
}

TEST(BatchRing, ASlotLeavingARemadeArenaGivesItsPagesBackWhileOthersStillHoldIt) {
  if (hugePagesAlways()) GTEST_SKIP() << "transparent huge pages: always";
  BatchRing ring(3);
  uint32_t a = ring.acquire();
  uint32_t b = ring.acquire();
  uint32_t c = ring.acquire();
  for (uint32_t id : {a, b, c}) ring.reserveData(id, 100, 0, 100);
  size_t used = 64 * 1024;
  uint8_t* old = ring.slot(a).data->data();
  std::memset(old, 1, used);  // a's rows: resident pages of the first arena
  ring.reserveData(b, ring.slot(b).data->capacity() + 1, 0, 0);  // the arena is remade
  ring.reserveData(a, used, 0, used);  // a moves on; c still holds a stretch of the first arena
  ASSERT_NE(ring.slot(a).data->root(), ring.slot(c).data->root());
  EXPECT_EQ(residentPages(old, used), 0u);
  ring.slot(c).data->data()[0] = 3;  // c's stretch is untouched and writable
  EXPECT_EQ(ring.slot(c).data->data()[0], 3);
}

TEST(BatchRing, ASlotMovingToANewArenaFaultsInOnlyTheBytesItsBatchNeeds) {
  if (hugePagesAlways()) GTEST_SKIP() << "transparent huge pages: always";
  BatchRing ring(2);
  uint32_t a = ring.acquire();
  uint32_t b = ring.acquire();
  ring.reserveData(a, 100, 0, 100);
  ring.reserveData(b, 100, 0, 100);
  std::memcpy(ring.slot(a).data->data(), "0123456789", 10);
  size_t stretch = ring.slot(a).data->capacity();
  ring.reserveData(b, stretch + 1, 0, 0);  // b outgrows its stretch: the arena is remade
  // a's next batch needs 64 KiB; the caller offers to keep its old stretch whole (2 MiB).
  size_t wanted = 64 * 1024;
  ring.reserveData(a, wanted, stretch, wanted);
  const auto& moved = ring.slot(a).data;
  ASSERT_EQ(moved->root(), ring.slot(b).data->root());  // a stretch of the new arena
  EXPECT_EQ(std::memcmp(moved->data(), "0123456789", 10), 0);
  size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  EXPECT_LE(residentPages(moved->data(), moved->capacity()), (wanted + wanted / 8) / page + 1);
  // A slot already in the arena, asked to keep its whole stretch, faults no more than its batch either.
  uint32_t c = ring.acquire();
  ring.reserveData(c, wanted, 0, wanted);
  ring.reserveData(c, wanted, ring.slot(c).data->capacity(), wanted);
  EXPECT_LE(ring.stats().prefaulted, wanted + wanted / 8 + page);
}

TEST(BatchRing, ARemadeArenaGivesBackTheStretchesNoLentSlotHolds) {
  if (hugePagesAlways()) GTEST_SKIP() << "transparent huge pages: always";
  // Slots a, b and c were lent and c came home: its stretch is resident and
  // free. When b outgrows its stretch, c's must not stay resident in the
  // old arena, which lives on while a is lent (and while V8 holds its
  // ArrayBuffer); a's lent batch is left alone.
  BatchRing ring(4);
  size_t batch = 64 * 1024;
  uint32_t a = ring.acquire();
  uint32_t b = ring.acquire();
  uint32_t c = ring.acquire();
  for (uint32_t id : {a, b, c}) ring.reserveData(id, batch, 0, batch);
  const uint8_t* old = ring.slot(a).data->root()->data();
  size_t stride = ring.slot(a).data->capacity();
  size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  ASSERT_EQ(residentPages(old + c * stride, batch), batch / page);
  ASSERT_TRUE(ring.recycle(c, ring.slot(c).generation));
  std::memset(ring.slot(a).data->data(), 5, batch);
  ring.reserveData(b, stride + 1, 0, 0);  // the arena is remade; a still holds a stretch of the old one
  EXPECT_EQ(residentPages(old + c * stride, batch), 0u);
  EXPECT_EQ(residentPages(old + 3 * stride, batch), 0u);
  EXPECT_EQ(ring.slot(a).data->data()[batch - 1], 5);  // a's lent batch is untouched
}

TEST(BatchRing, TheArenaStaysWithinWhatOneArrayBufferMayHoldAndLaterSlotsMapTheirOwn) {
  // 64 MiB batches take 82 MiB stretches, and 2 GiB of arena holds 24 of
  // them; a ring of 26 puts the last two in mappings of their own instead
  // of growing the arena past what Node can wrap in one ArrayBuffer.
  size_t batch = 64u << 20;
  BatchRing ring(26);
  std::vector<uint32_t> lent;
  for (int i = 0; i < 26; ++i) lent.push_back(ring.acquire());
  for (uint32_t id : lent) ring.reserveData(id, batch, 0, 0);
  const Block* arena = ring.slot(lent[0]).data->root();
  EXPECT_LE(arena->capacity(), size_t{1} << 31);
  size_t inArena = 0;
  for (uint32_t id : lent) {
    const auto& data = ring.slot(id).data;
    ASSERT_GE(data->capacity(), batch);
    if (data->root() == arena) ++inArena;
    else EXPECT_EQ(data->parent(), nullptr) << id;
  }
  EXPECT_GT(inArena, 0u);
  EXPECT_LT(inArena, lent.size());
  for (uint32_t id : lent) ASSERT_TRUE(ring.recycle(id, ring.slot(id).generation));
  ring.releaseAll();
}

TEST(BatchRing, OverflowSlotsTakeAFreeStretchOfTheArenaAndGiveItsPagesBack) {
  if (hugePagesAlways()) GTEST_SKIP() << "transparent huge pages: always";
  // A slot lent past the ring's size uses the arena's address space when a
  // stretch fits (no mapping, no new ArrayBuffer), and gives its pages back
  // when it comes home. A batch larger than a stretch maps its own and
  // leaves the arena as it is.
  BatchRing ring(1);
  uint32_t a = ring.acquire();
  uint32_t b = ring.acquire();  // overflow
  ring.reserveData(a, 4096, 0, 4096);
  size_t mapped = Block::mappedBytes();
  ring.reserveData(b, 4096, 0, 4096);
  ASSERT_NE(ring.slot(b).data->parent(), nullptr);
  EXPECT_EQ(ring.slot(b).data->root(), ring.slot(a).data->root());
  EXPECT_EQ(Block::mappedBytes(), mapped);
  uint8_t* at = ring.slot(b).data->data();
  std::memset(at, 1, 4096);
  ASSERT_TRUE(ring.recycle(b, ring.slot(b).generation));
  EXPECT_EQ(ring.slot(b).data, nullptr);
  EXPECT_EQ(residentPages(at, 4096), 0u);
  uint32_t c = ring.acquire();  // overflow again
  size_t stride = ring.slot(a).data->capacity();
  const Block* arena = ring.slot(a).data->root();
  ring.reserveData(c, stride + 1, 0, stride + 1);
  EXPECT_EQ(ring.slot(c).data->parent(), nullptr);
  EXPECT_EQ(ring.slot(a).data->root(), arena);
  ASSERT_TRUE(ring.recycle(c, ring.slot(c).generation));
  EXPECT_EQ(ring.slot(c).data, nullptr);
}

TEST(BatchRing, ShrinkingGivesBackTheStretchesOfFreeSlotsBeyondTheNewSize) {
  BatchRing ring(2);
  uint32_t a = ring.acquire();
  uint32_t b = ring.acquire();
  ring.reserveData(a, 4096, 0, 4096);
  ring.reserveData(b, 4096, 0, 4096);
  ASSERT_TRUE(ring.recycle(a, ring.slot(a).generation));
  ASSERT_TRUE(ring.recycle(b, ring.slot(b).generation));
  ring.setSize(1);
  EXPECT_NE(ring.slot(a).data, nullptr);
  EXPECT_EQ(ring.slot(b).data, nullptr);
}

TEST(BatchRing, ReleasingAllLetsTheArenaGoOnceTheLastLentSlotIsBack) {
  size_t before = Block::mappedBytes();
  {
    BatchRing ring(2);
    uint32_t a = ring.acquire();
    uint32_t b = ring.acquire();
    ring.reserveData(a, 4096, 0, 4096);
    ring.reserveData(b, 4096, 0, 4096);
    ASSERT_TRUE(ring.recycle(a, ring.slot(a).generation));
    ring.releaseAll();
    EXPECT_EQ(ring.slot(a).data, nullptr);
    ASSERT_NE(ring.slot(b).data, nullptr);  // still lent: its stretch stays readable
    ring.slot(b).data->data()[0] = 1;
    EXPECT_GT(Block::mappedBytes(), before);
    ASSERT_TRUE(ring.recycle(b, ring.slot(b).generation));
    EXPECT_EQ(ring.slot(b).data, nullptr);
    EXPECT_EQ(Block::mappedBytes(), before);  // the arena is unmapped
  }
}
