// Bounds-checked reader over one frame body. Every read checks its length
// against what is left; the first failure sticks (later reads return false)
// and names what was being read, so a malformed frame becomes one sentence.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace cassdl::protocol {

/** A view of bytes owned elsewhere (socket buffer, test vector). */
struct ByteSpan {
  const uint8_t* data = nullptr;
  size_t size = 0;
};

class ByteReader {
 public:
  ByteReader(const uint8_t* data, size_t size) : cursor_(data), left_(size) {}
  explicit ByteReader(ByteSpan span) : ByteReader(span.data, span.size) {}

  bool failed() const { return !error_.empty(); }
  const std::string& error() const { return error_; }
  size_t remaining() const { return left_; }
  const uint8_t* cursor() const { return cursor_; }

  bool u8(uint8_t& out, std::string_view what) {
    if (!need(1, what)) return false;
    out = cursor_[0];
    advance(1);
    return true;
  }

  bool u16(uint16_t& out, std::string_view what) {
    if (!need(2, what)) return false;
    out = static_cast<uint16_t>((cursor_[0] << 8) | cursor_[1]);
    advance(2);
    return true;
  }

  bool i32(int32_t& out, std::string_view what) {
    if (!need(4, what)) return false;
    uint32_t v = (uint32_t{cursor_[0]} << 24) | (uint32_t{cursor_[1]} << 16) | (uint32_t{cursor_[2]} << 8) |
                 uint32_t{cursor_[3]};
    out = static_cast<int32_t>(v);
    advance(4);
    return true;
  }

  /** A count that must be >= 0 and at most `limit` (absurd counts are malformed). */
  bool count(int32_t& out, int32_t limit, std::string_view what) {
    if (!i32(out, what)) return false;
    if (out < 0 || out > limit) {
      return fail(std::string(what) + " is " + std::to_string(out) + ", expected 0.." + std::to_string(limit));
    }
    return true;
  }

  /** [bytes]: int length then bytes; a negative length is null (`isNull`). */
  bool bytes(ByteSpan& out, bool& isNull, std::string_view what) {
    int32_t length = 0;
    if (!i32(length, what)) return false;
    isNull = length < 0;
    if (length == -1) {
      out = {};
      return true;
    }
    if (length < 0) return fail(std::string(what) + " has negative length " + std::to_string(length));
    return take(static_cast<size_t>(length), out, what);
  }

  /** [short bytes]: unsigned short length then bytes. */
  bool shortBytes(ByteSpan& out, std::string_view what) {
    uint16_t length = 0;
    if (!u16(length, what)) return false;
    return take(length, out, what);
  }

  /** [string]: unsigned short length then UTF-8. */
  bool string(std::string& out, std::string_view what) {
    ByteSpan span;
    if (!shortBytes(span, what)) return false;
    out.assign(reinterpret_cast<const char*>(span.data), span.size);
    return true;
  }

  bool skip(size_t n, std::string_view what) {
    ByteSpan ignored;
    return take(n, ignored, what);
  }

  bool take(size_t n, ByteSpan& out, std::string_view what) {
    if (!need(n, what)) return false;
    out = {cursor_, n};
    advance(n);
    return true;
  }

  bool fail(std::string message) {
    if (error_.empty()) error_ = std::move(message);
    left_ = 0;
    return false;
  }

 private:
  bool need(size_t n, std::string_view what) {
    if (failed()) return false;
    if (n > left_) {
      return fail(std::string(what) + " needs " + std::to_string(n) + " bytes, " + std::to_string(left_) +
                  " left in the frame");
    }
    return true;
  }

  void advance(size_t n) {
    cursor_ += n;
    left_ -= n;
  }

  const uint8_t* cursor_;
  size_t left_;
  std::string error_;
};

}  // namespace cassdl::protocol
