// Appends CQL wire types to a growable buffer (big-endian, as the protocol says).
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace cassdl::protocol {

class ByteWriter {
 public:
  explicit ByteWriter(std::vector<uint8_t>& out) : out_(out) {}

  void u8(uint8_t v) { out_.push_back(v); }
  void u16(uint16_t v) {
    out_.push_back(static_cast<uint8_t>(v >> 8));
    out_.push_back(static_cast<uint8_t>(v));
  }
  void i32(int32_t value) {
    auto v = static_cast<uint32_t>(value);
    for (int shift = 24; shift >= 0; shift -= 8) out_.push_back(static_cast<uint8_t>(v >> shift));
  }
  void raw(const uint8_t* data, size_t size) { out_.insert(out_.end(), data, data + size); }
  void string(std::string_view s) {
    u16(static_cast<uint16_t>(s.size()));
    raw(reinterpret_cast<const uint8_t*>(s.data()), s.size());
  }
  void shortBytes(const uint8_t* data, size_t size) {
    u16(static_cast<uint16_t>(size));
    raw(data, size);
  }
  void bytes(const uint8_t* data, size_t size) {
    i32(static_cast<int32_t>(size));
    raw(data, size);
  }

  /** Overwrites a 4-byte big-endian int at `offset` (used for the frame length). */
  void patchI32(size_t offset, int32_t value) {
    auto v = static_cast<uint32_t>(value);
    for (int i = 0; i < 4; ++i) out_[offset + i] = static_cast<uint8_t>(v >> (24 - 8 * i));
  }

  size_t size() const { return out_.size(); }

 private:
  std::vector<uint8_t>& out_;
};

}  // namespace cassdl::protocol
