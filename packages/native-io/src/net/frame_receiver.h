// Cuts a connection's byte stream into frames, reading a large row cell
// straight into its final place when the frame's first bytes say where it
// goes: the handler names the destination (the batch arena slot), the cell's
// remaining bytes are read there with readv (TLS: SSL_read, OpenSSL's one
// copy), and only the frame's small prefix and tail go through the read
// buffer. Everything else (small frames, other shapes, handshakes) is cut in
// place from the read buffer as before. Pure apart from the byte source, so
// tests and the fuzzer drive it with frames split at every byte.
#pragma once

#include <sys/types.h>
#include <sys/uio.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "../protocol/frame.h"

namespace cassdl::net {

/** Where a cell goes; `at` null: read it the ordinary way. `pin` keeps that memory alive while bytes arrive. */
struct CellTarget {
  uint8_t* at = nullptr;
  std::shared_ptr<void> pin;
};

class FrameHandler {
 public:
  virtual ~FrameHandler() = default;
  /** A destination for the `size`-byte first cell of the answer on `stream`, or none. */
  virtual CellTarget placeCell(int16_t stream, size_t size) = 0;
  /** Asked before each read into a target: false turns the rest of that cell into discarded bytes. */
  virtual bool cellWanted(int16_t stream) = 0;
  /**
   * One whole frame. With `placed`, its first cell's bytes are there (its
   * length field stays in the body, its bytes do not). False: stop.
   */
  virtual bool onFrame(const protocol::Frame& frame, const protocol::ByteSpan* placed) = 0;
  /** The frame whose cell was given up (cellWanted false) has ended; its bytes are gone. False: stop. */
  virtual bool onDiscarded(int16_t stream) = 0;
  virtual void onMalformed(const std::string& reason) = 0;
};

/** Reads into `count` buffers: bytes read, 0 at the end of the stream, -1 with errno. */
using ByteSource = std::function<ssize_t(const struct iovec* iov, int count)>;

class FrameReceiver {
 public:
  enum class Outcome { kWouldBlock, kClosed, kFailed, kStopped };

  /** Cells smaller than this are not worth a read of their own. */
  static constexpr size_t kMinPlaced = 16 * 1024;

  /** `minPlaced`: smallest remainder of a cell read straight to its target (tests and the fuzzer lower it). */
  explicit FrameReceiver(uint8_t version, size_t minPlaced = kMinPlaced) : version_(version), minPlaced_(minPlaced) {}

  void reset();
  /**
   * Reads and dispatches until the source would block, ends or fails, or
   * the handler stops. `vectored`: the source fills two buffers in one call
   * (readv), else only the first (TLS).
   */
  Outcome pump(const ByteSource& source, FrameHandler& handler, bool vectored);
  /** Cell bytes read straight into targets. */
  uint64_t placedBytes() const { return placedBytes_; }

 private:
  struct Direct {
    bool active = false;
    bool discard = false;
    int16_t stream = 0;
    uint8_t* at = nullptr;
    std::shared_ptr<void> pin;
    size_t size = 0;
    size_t got = 0;
    /** Bytes of the frame after the cell. */
    size_t tail = 0;
    /** The frame without the cell's bytes: prefix now, tail appended at the end. */
    std::vector<uint8_t> frame;
  };

  /** Cuts and delivers what the buffer holds; false when the handler stopped or the stream is malformed. */
  bool dispatch(FrameHandler& handler);
  bool finishDirect(FrameHandler& handler);
  enum class Started { kYes, kLater, kNo };
  /** Starts reading the cell of the partial frame at the buffer's start into its target, if it has one. */
  Started tryDirect(FrameHandler& handler, size_t frameSize);
  /** Room for `room` more bytes after the buffered ones (and for the frame waited for). */
  void reserve(size_t room);

  uint8_t version_;
  size_t minPlaced_;
  std::unique_ptr<uint8_t[]> in_;
  size_t capacity_ = 0;
  size_t start_ = 0;
  size_t end_ = 0;
  size_t wanted_ = protocol::kHeaderSize;
  /** Reading row by row (the last partial frame went to a target): small reads keep the next cells direct too. */
  bool rhythm_ = false;
  Direct direct_;
  uint64_t placedBytes_ = 0;
  std::vector<uint8_t> scratch_;
};

}  // namespace cassdl::net
