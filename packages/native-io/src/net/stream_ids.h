// Lends the stream ids of one connection (0..capacity-1, at most 32768: ids
// are signed 16-bit and negatives belong to server events).
#pragma once

#include <cstdint>
#include <vector>

#include "../protocol/opcodes.h"

namespace cassdl::net {

class StreamIds {
 public:
  explicit StreamIds(int capacity = protocol::kMaxStreams) { reset(capacity); }

  void reset(int capacity) {
    free_.clear();
    // Lowest ids on top: small ids are what every server handles best.
    for (int id = capacity - 1; id >= 0; --id) free_.push_back(static_cast<int16_t>(id));
    capacity_ = capacity;
  }

  bool empty() const { return free_.empty(); }
  int inUse() const { return capacity_ - static_cast<int>(free_.size()); }
  int16_t take() {
    int16_t id = free_.back();
    free_.pop_back();
    return id;
  }
  void give(int16_t id) { free_.push_back(id); }

 private:
  std::vector<int16_t> free_;
  int capacity_ = 0;
};

}  // namespace cassdl::net
