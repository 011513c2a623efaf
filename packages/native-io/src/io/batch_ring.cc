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

}  // namespace

size_t Block::mappedBytes() { return mapped.load(std::memory_order_relaxed); }

std::shared_ptr<Block> Block::make(size_t minimum) {
  size_t page = pageSize();
  size_t capacity = std::max<size_t>(page, (minimum + page - 1) / page * page);
  // MAP_POPULATE faults every page in now, once per block, in one kernel
  // call, instead of one fault per 4 KiB while rows are being received.
  void* at = mmap(nullptr, capacity, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
  if (at == MAP_FAILED) std::abort();  // out of memory: no exceptions to throw
  mapped.fetch_add(capacity, std::memory_order_relaxed);
  return std::shared_ptr<Block>(new Block(static_cast<uint8_t*>(at), capacity));
}

Block::~Block() {
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
  if (index >= size_) dropMemory(slot);
  free_.push_back(index);
  return true;
}

RingSlot& BatchRing::slot(uint32_t index) {
  std::lock_guard<std::mutex> lock(mutex_);
  return *slots_[index];
}

std::vector<uint32_t> BatchRing::setSize(size_t size) {
  std::lock_guard<std::mutex> lock(mutex_);
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
  return stats;
}

void BatchRing::dropMemory(RingSlot& slot) {
  slot.data.reset();
  slot.meta.reset();
  slot.labels.reset();
}

}  // namespace cassdl::io
