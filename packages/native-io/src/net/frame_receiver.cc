#include "frame_receiver.h"

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "../protocol/cell_locator.h"

namespace cassdl::net {

namespace {

using protocol::CutOutcome;

/** Reads at least this much per read() call so small frames batch up. */
constexpr size_t kMinRead = 256 * 1024;
/**
 * The read buffer is much larger than a read, so the partial frame at its
 * end is moved to the front rarely (once per ~4 MiB received), not per frame.
 */
constexpr size_t kReadBuffer = 4 * 1024 * 1024;
/**
 * Read ahead of a cell going to its target: the frame's tail and the next
 * frame's prefix, so the next cell can go straight to its target too.
 */
constexpr size_t kAhead = 4096;

}  // namespace

void FrameReceiver::reset() {
  start_ = end_ = 0;
  wanted_ = protocol::kHeaderSize;
  rhythm_ = false;
  direct_.active = false;
  direct_.discard = false;
  direct_.at = nullptr;
  direct_.pin.reset();
  direct_.frame.clear();
}

void FrameReceiver::reserve(size_t room) {
  size_t have = end_ - start_;
  size_t target = std::max(wanted_, have + room);
  if (start_ + target <= capacity_) return;
  if (capacity_ < kReadBuffer) target = std::max(target, kReadBuffer);
  if (target > capacity_) {
    // Grow to the frame being waited for, so a large frame is read straight
    // into place rather than through intermediate chunks.
    size_t capacity = std::max(target, capacity_ * 2);
    std::unique_ptr<uint8_t[]> grown(new uint8_t[capacity]);
    if (have) std::memcpy(grown.get(), in_.get() + start_, have);
    in_ = std::move(grown);
    capacity_ = capacity;
  } else if (have) {
    std::memmove(in_.get(), in_.get() + start_, have);
  }
  start_ = 0;
  end_ = have;
}

FrameReceiver::Outcome FrameReceiver::pump(const ByteSource& source, FrameHandler& handler, bool vectored) {
  for (;;) {
    ssize_t n;
    if (direct_.active && direct_.got < direct_.size) {
      if (!direct_.discard && !handler.cellWanted(direct_.stream)) {
        // The request gave up (timeout, failed fetch): its place may belong to another batch now.
        direct_.discard = true;
        direct_.at = nullptr;
        direct_.pin.reset();
      }
      size_t rest = direct_.size - direct_.got;
      iovec iov[2];
      int count = 1;
      if (direct_.discard) {
        if (scratch_.size() < kMinRead) scratch_.resize(kMinRead);
        iov[0] = {scratch_.data(), std::min(rest, scratch_.size())};
      } else {
        iov[0] = {direct_.at + direct_.got, rest};
        if (vectored) {
          reserve(kAhead);
          iov[1] = {in_.get() + end_, std::min(kAhead, capacity_ - end_)};
          count = 2;
        }
      }
      n = source(iov, count);
      if (n > 0) {
        size_t cell = std::min(static_cast<size_t>(n), rest);
        direct_.got += cell;
        if (!direct_.discard) placedBytes_ += cell;
        end_ += static_cast<size_t>(n) - cell;
        if (direct_.got == direct_.size && !dispatch(handler)) return Outcome::kStopped;
        continue;
      }
    } else {
      // Reads are bounded, so one that ends inside a large frame leaves its
      // cell to be read straight into place; row by row, they are short.
      size_t read = rhythm_ ? kAhead : kMinRead;
      reserve(read);
      size_t room = std::min(capacity_ - end_, read);
      iovec iov{in_.get() + end_, room};
      n = source(&iov, 1);
      if (n > 0) {
        end_ += static_cast<size_t>(n);
        if (!dispatch(handler)) return Outcome::kStopped;
        continue;
      }
    }
    if (n == 0) return Outcome::kClosed;
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) return Outcome::kWouldBlock;
    return Outcome::kFailed;
  }
}

bool FrameReceiver::dispatch(FrameHandler& handler) {
  if (direct_.active) {
    if (direct_.got < direct_.size) return true;
    if (end_ - start_ < direct_.tail) {
      wanted_ = direct_.tail;
      return true;
    }
    if (!finishDirect(handler)) return false;
  }
  for (;;) {
    size_t have = end_ - start_;
    protocol::CutResult cut = protocol::cutFrame(in_.get() + start_, have, version_);
    if (cut.outcome == CutOutcome::kNeedMore) {
      wanted_ = cut.size;
      if (have >= protocol::kHeaderSize) {
        Started started = tryDirect(handler, cut.size);
        if (started == Started::kYes) return true;
        if (started == Started::kNo) rhythm_ = false;
      }
      break;
    }
    if (cut.outcome == CutOutcome::kMalformed) {
      handler.onMalformed(cut.status.message());
      return false;
    }
    start_ += cut.size;
    if (!handler.onFrame(cut.frame, nullptr)) return false;
  }
  if (start_ == end_) start_ = end_ = 0;
  return true;
}

FrameReceiver::Started FrameReceiver::tryDirect(FrameHandler& handler, size_t frameSize) {
  size_t have = end_ - start_;
  if (frameSize - have < minPlaced_) return Started::kNo;
  const uint8_t* frame = in_.get() + start_;
  protocol::CellLocation location = protocol::locateFirstCell(frame, have);
  if (location.outcome == protocol::CellLocation::Outcome::kNeedMore) return Started::kLater;
  if (location.outcome == protocol::CellLocation::Outcome::kNo) return Started::kNo;
  if (location.offset + location.size <= have) return Started::kNo;  // the cell is here already
  size_t already = have - location.offset;
  if (location.size - already < minPlaced_) return Started::kNo;
  int16_t stream = protocol::parseHeader(frame).stream;
  CellTarget target = handler.placeCell(stream, location.size);
  if (target.at == nullptr) return Started::kNo;
  if (already) std::memcpy(target.at, frame + location.offset, already);
  direct_.active = true;
  direct_.discard = false;
  direct_.stream = stream;
  direct_.at = target.at;
  direct_.pin = std::move(target.pin);
  direct_.size = location.size;
  direct_.got = already;
  direct_.tail = frameSize - location.offset - location.size;
  direct_.frame.assign(frame, frame + location.offset);
  start_ = end_ = 0;  // every byte held was this frame's
  wanted_ = protocol::kHeaderSize;
  rhythm_ = true;
  return Started::kYes;
}

bool FrameReceiver::finishDirect(FrameHandler& handler) {
  direct_.frame.insert(direct_.frame.end(), in_.get() + start_, in_.get() + start_ + direct_.tail);
  start_ += direct_.tail;
  protocol::Frame frame;
  frame.header = protocol::parseHeader(direct_.frame.data());
  frame.body = {direct_.frame.data() + protocol::kHeaderSize, direct_.frame.size() - protocol::kHeaderSize};
  protocol::ByteSpan placed{direct_.at, direct_.size};
  bool ok = direct_.discard ? handler.onDiscarded(direct_.stream) : handler.onFrame(frame, &placed);
  // The target stays pinned until the handler has placed the row.
  direct_.active = false;
  direct_.at = nullptr;
  direct_.pin.reset();
  direct_.frame.clear();
  return ok;
}

}  // namespace cassdl::net
