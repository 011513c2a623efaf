#include "batch_ring.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <sys/mman.h>
#include <unistd.h>

namespace cassdl::io {

namespace {

size_t pageSize() {
  static const size_t size = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  return size;
}

std::atomic<size_t> mapped{0};
std::atomic<size_t> populated{0};

}  // namespace

size_t Block::mappedBytes() { return mapped.load(std::memory_order_relaxed); }

size_t Block::populatedBytes() { return populated.load(std::memory_order_relaxed); }

namespace {

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

size_t roundUp(size_t n, size_t unit) { return (n + unit - 1) / unit * unit; }

/**
 * Faults `size` bytes at `at` (page aligned) in now, in one call: before
 * rows arrive, not one fault at a time while the socket is read. Kernels
 * before 5.14 lack MADV_POPULATE_WRITE: then pages fault as rows arrive.
 */
void populate(uint8_t* at, size_t size) {
  if (size == 0) return;
  madvise(at, size, MADV_POPULATE_WRITE);
  populated.fetch_add(size, std::memory_order_relaxed);
}

}  // namespace

std::shared_ptr<Block> Block::make(size_t minimum) {
  size_t capacity = std::max<size_t>(pageSize(), roundUp(minimum, pageSize()));
  void* at = mmap(nullptr, capacity, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (at == MAP_FAILED) std::abort();  // out of memory: no exceptions to throw
  populate(static_cast<uint8_t*>(at), capacity);
  mapped.fetch_add(capacity, std::memory_order_relaxed);
  return std::shared_ptr<Block>(new Block(static_cast<uint8_t*>(at), capacity));
}

std::shared_ptr<Block> Block::reserve(size_t size) {
  size = std::max(kHugePage, roundUp(size, kHugePage));
  // Over-map by 2 MiB and trim, so stretches at multiples of 2 MiB start on huge-page boundaries
  // (the kernel may back them with huge pages; none are asked for: on a VM a fresh huge page
  // costs far more to clear than the recycled small pages the kernel hands out first).
  size_t span = size + kHugePage;
  void* at = mmap(nullptr, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (at == MAP_FAILED) return nullptr;  // strict overcommit, or no address space: the caller maps per slot
  auto* start = static_cast<uint8_t*>(at);
  auto* aligned = reinterpret_cast<uint8_t*>(roundUp(reinterpret_cast<uintptr_t>(start), kHugePage));
  if (aligned > start) munmap(start, static_cast<size_t>(aligned - start));
  size_t after = static_cast<size_t>(start + span - (aligned + size));
  if (after > 0) munmap(aligned + size, after);
  mapped.fetch_add(size, std::memory_order_relaxed);
  return std::shared_ptr<Block>(new Block(aligned, size));
}

std::shared_ptr<Block> Block::view(std::shared_ptr<Block> parent, size_t offset, size_t capacity, size_t populateBytes) {
  std::shared_ptr<Block> block(new Block(parent->data_ + offset, capacity));
  block->parent_ = std::move(parent);
  populate(block->data_, std::min(capacity, roundUp(populateBytes, pageSize())));
  return block;
}

void Block::discardPages() { madvise(data_, capacity_, MADV_DONTNEED); }

Block::~Block() {
  if (parent_) return;  // a view: the parent's mapping
  munmap(data_, capacity_);
  mapped.fetch_sub(capacity_, std::memory_order_relaxed);
}

void reserveBlock(std::shared_ptr<Block>& block, size_t wanted, size_t keep) {
  if (block && block->capacity() >= wanted) return;
  size_t headroom = wanted + wanted / 8 + 65536;
  std::shared_ptr<Block> grown = Block::make(headroom);
  if (block && keep) std::memcpy(grown->data(), block->data(), std::min(keep, block->capacity()));
  block = std::move(grown);
}

void BatchRing::reserveData(uint32_t index, size_t wanted, size_t keep, size_t populateBytes) {
  std::lock_guard<std::mutex> lock(mutex_);
  // Bytes past `wanted` are never read back: callers keep rows they placed, all inside it. Keeping
  // the old block's whole capacity instead (an arena stretch: 2 MiB for a 64 KB batch) faulted
  // every stretch a slot moved to in whole: 2 KB rows, batch 32, +400 ms, 0.8 GB resident.
  keep = std::min(keep, wanted);
  RingSlot& slot = *slots_[index];
  // A slot past the ring's size (lent while every ring slot was) takes its stretch of the arena when
  // the arena has one that fits: a mapping of its own was mapped, faulted in, unmapped and wrapped
  // in a new ArrayBuffer each time (2 KB rows, batch 128: 31 a run, the ring growing behind them).
  bool overflow = index >= size_;
  if (wanted > kMaxStride || (overflow && !(arena_ && index < arenaSlots_ && stride_ >= wanted))) {
    reserveBlock(slot.data, wanted, keep);
    return;
  }
  size_t faulted = std::max(populateBytes, keep);
  if (inArena(slot) && slot.data->capacity() >= wanted) {
    growPrefault(faulted);
    return;
  }
  bool outgrown = !arena_ || stride_ < wanted || (arenaSlots_ <= index && arenaSlots_ < maxArenaSlots(stride_));
  if (outgrown) remakeArena(wanted);
  if (!arena_ || index >= arenaSlots_) {  // no arena, or a slot past the largest one: a mapping of its own
    reserveBlock(slot.data, wanted, keep);
    return;
  }
  growPrefault(faulted);  // prefaulted_ now covers this batch: a slot made now is faulted as deep as the others
  std::shared_ptr<Block> stretch = Block::view(arena_, index * stride_, stride_, prefaulted_);
  if (slot.data && keep) std::memcpy(stretch->data(), slot.data->data(), std::min({keep, slot.data->capacity(), stride_}));
  // Replaced in one step, never reset first: slot.data is never null while the slot is in use.
  if (slot.data && slot.data->parent()) slot.data->discardPages();
  slot.data = std::move(stretch);
}

void BatchRing::remakeArena(size_t wanted) {
  // Stretches with room for batches a quarter larger, and address space for
  // twice the ring (at least kArenaSlots): address space costs nothing until
  // touched, and each new arena is a new ArrayBuffer, which V8 answers with a
  // collection. So an arena is made once per reader in practice.
  size_t stride = roundUp(std::max(stride_, wanted + wanted / 4 + 65536), Block::kHugePage);
  size_t slots = std::min(std::max({kArenaSlots, size_ * 2, arenaSlots_}), maxArenaSlots(stride));
  std::shared_ptr<Block> old = std::move(arena_);
  size_t oldStride = stride_, oldSlots = arenaSlots_;
  arena_ = Block::reserve(stride * slots);
  stride_ = arena_ ? stride : 0;
  arenaSlots_ = arena_ ? slots : 0;
  // The new arena's pages are all fresh: growPrefault() faults the ring in again.
  prefaulted_ = 0;
  // Free slots let the old arena go (their stretches are in it: a slot leaves an older one as it
  // comes home), lent ones move on when they come back. discardUnlent gives back the pages of
  // every stretch no lent slot holds, free slots' included, in one pass.
  for (uint32_t index : free_) {
    RingSlot& slot = *slots_[index];
    if (slot.data && slot.data->parent()) slot.data.reset();
  }
  if (old) discardUnlent(*old, oldStride, oldSlots);
}

void BatchRing::discardUnlent(Block& old, size_t stride, size_t count) {
  // Free slots' stretches were faulted in and no slot will ever come back to them: without this
  // they stayed resident until V8 collected the old arena's ArrayBuffer (750 MB of an 860 MB
  // arena, 2 KB rows, batch 32, +400 ms). Stretches of lent slots are left alone: their batch is
  // being filled or read, and they are given back when the slot comes home.
  for (size_t index = 0; index < count; ++index) {
    bool lent = index < slots_.size() && slots_[index]->busy && slots_[index]->data &&
                slots_[index]->data->parent().get() == &old;
    if (!lent) madvise(old.data() + index * stride, stride, MADV_DONTNEED);
  }
}

size_t BatchRing::maxArenaSlots(size_t stride) {
  return std::max<size_t>(1, kMaxArenaBytes / stride);
}

bool BatchRing::inArena(const RingSlot& slot) const {
  return slot.data && arena_ && slot.data->parent() == arena_;
}

uint32_t BatchRing::acquire() {
  std::lock_guard<std::mutex> lock(mutex_);
  size_t pick = free_.size();
  for (size_t i = free_.size(); i-- > 0;) {
    if (free_[i] < size_) {
      pick = i;
      break;
    }
  }
  uint32_t index;
  if (pick < free_.size()) {
    index = free_[pick];
    free_.erase(free_.begin() + static_cast<std::ptrdiff_t>(pick));
  } else if (slots_.size() < size_ || free_.empty()) {
    if (slots_.size() >= size_) ++overflows_;
    index = static_cast<uint32_t>(slots_.size());
    slots_.push_back(std::make_unique<RingSlot>());
  } else {
    ++overflows_;
    index = free_.back();
    free_.pop_back();
  }
  RingSlot& slot = *slots_[index];
  slot.busy = true;
  ++slot.generation;
  return index;
}

bool BatchRing::recycle(uint32_t index, uint32_t generation) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (index >= slots_.size()) return false;
  RingSlot& slot = *slots_[index];
  if (!slot.busy || slot.generation != generation) return false;
  slot.busy = false;
  if (index >= size_) {
    dropMemory(slot);
  } else if (slot.data && slot.data->parent() && !inArena(slot)) {
    leaveOldArena(slot);  // a stretch of an arena since remade: let that arena go
  }
  free_.push_back(index);
  return true;
}

RingSlot& BatchRing::slot(uint32_t index) {
  std::lock_guard<std::mutex> lock(mutex_);
  return *slots_[index];
}

std::vector<uint32_t> BatchRing::setSize(size_t size) {
  std::lock_guard<std::mutex> lock(mutex_);
  // Slots the ring gains fault their stretch in when first lent, not now: most are never lent.
  size_ = size < 1 ? 1 : size;
  std::vector<uint32_t> dropped;
  for (uint32_t index : free_) {
    if (index >= size_) {
      dropMemory(*slots_[index]);
      dropped.push_back(index);
    }
  }
  return dropped;
}

std::vector<uint32_t> BatchRing::releaseAll() {
  std::lock_guard<std::mutex> lock(mutex_);
  size_ = 0;
  for (uint32_t index : free_) dropMemory(*slots_[index]);
  // Lent slots keep their stretches (and so the mapping) until they come back.
  arena_.reset();
  stride_ = 0;
  arenaSlots_ = 0;
  prefaulted_ = 0;
  return free_;
}

size_t BatchRing::size() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return size_;
}

RingStats BatchRing::stats() const {
  std::lock_guard<std::mutex> lock(mutex_);
  RingStats stats;
  stats.slots = slots_.size();
  stats.overflows = overflows_;
  for (const auto& slot : slots_) stats.busy += slot->busy ? 1 : 0;
  stats.bytes = Block::mappedBytes();
  stats.prefaulted = prefaulted_;
  return stats;
}

void BatchRing::growPrefault(size_t bytes) {
  if (!arena_ || bytes <= prefaulted_) return;
  // The first batch is faulted as it is: rows of one size fill every batch to the same depth, and
  // an eighth more cost each slot 7 MB of first touch (110 KB rows, batch 512). Once batches have
  // grown, they vary: headroom of an eighth, so they do not walk the ring's pages every time.
  size_t headroom = prefaulted_ > 0 ? bytes / 8 : 0;
  size_t grown = std::min(stride_, roundUp(bytes + headroom, pageSize()));
  size_t before = prefaulted_;
  prefaulted_ = grown;
  prefault(0, std::min(size_, slots_.size()), before);
}

void BatchRing::prefault(size_t from, size_t to, size_t bytesFrom) {
  to = std::min(to, arenaSlots_);
  if (bytesFrom >= prefaulted_) return;
  for (size_t index = from; index < to; ++index) {
    if (!inArena(*slots_[index])) continue;
    populate(arena_->data() + index * stride_ + bytesFrom, prefaulted_ - bytesFrom);
  }
}

void BatchRing::leaveOldArena(RingSlot& slot) {
  // The old arena stays mapped while any other slot still holds a stretch of it (lent, or
  // fetching): give this stretch's pages back now, not when the last one leaves. 110 KB rows,
  // +400 ms: a remade arena kept 215 MiB resident beside the new one's 457 MiB.
  if (slot.data && slot.data->parent()) slot.data->discardPages();
  slot.data.reset();
}

void BatchRing::dropMemory(RingSlot& slot) {
  // A stretch of an arena, this one or one since remade, keeps its address space but gives its
  // pages back (an overflow slot may come home holding a stretch of an arena remade meanwhile).
  if (slot.data && slot.data->parent()) slot.data->discardPages();
  slot.data.reset();
  slot.meta.reset();
  slot.labels.reset();
}

}  // namespace cassdl::io
