// libFuzzer target over the receive path: an arbitrary byte stream fed to
// the FrameReceiver in pieces chosen by the input (every byte apart, or
// pseudo-random sizes), with every cell it can place read straight into a
// target (the arena slot), some targets given up midway. What it delivers
// must be exactly what the plain frame cutter finds in the same bytes: the
// same frames in order (a placed cell put back where it was), decoding the
// same, a discard where a target was given up, and a malformed report at
// the same frame. ASan/UBSan catch any read or write out of bounds.
#include <sys/uio.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "../src/net/frame_receiver.h"
#include "../src/protocol/rows.h"

using namespace cassdl;

namespace {

void require(bool ok) {
  if (!ok) std::abort();
}

struct Delivered {
  std::vector<uint8_t> bytes;  // the frame as it was on the wire (discarded: header only)
  bool discarded = false;
};

class Handler final : public net::FrameHandler {
 public:
  explicit Handler(uint8_t giveUp) : giveUp_(giveUp) {}
  std::vector<Delivered> frames;
  bool malformed = false;

  net::CellTarget placeCell(int16_t, size_t size) override {
    auto target = std::make_shared<std::vector<uint8_t>>(size);
    return {target->data(), target};
  }
  bool cellWanted(int16_t stream) override { return ((stream ^ giveUp_) & 3) != 0; }
  bool onFrame(const protocol::Frame& frame, const protocol::ByteSpan* placed) override {
    Delivered d;
    std::vector<uint8_t>& out = d.bytes;
    out.resize(protocol::kHeaderSize);
    out[0] = static_cast<uint8_t>(0x80 | frame.header.version);
    out[1] = frame.header.flags;
    out[2] = static_cast<uint8_t>(static_cast<uint16_t>(frame.header.stream) >> 8);
    out[3] = static_cast<uint8_t>(frame.header.stream);
    out[4] = frame.header.opcode;
    for (int i = 0; i < 4; ++i) out[5 + i] = static_cast<uint8_t>(static_cast<uint32_t>(frame.header.length) >> (24 - 8 * i));
    const uint8_t* body = frame.body.data;
    if (placed != nullptr) {
      require(frame.body.size >= 20);
      out.insert(out.end(), body, body + 20);
      out.insert(out.end(), placed->data, placed->data + placed->size);
      out.insert(out.end(), body + 20, body + frame.body.size);
      // Decoding with the placed cell agrees with decoding the whole frame.
      protocol::ByteSpan whole{out.data() + protocol::kHeaderSize, out.size() - protocol::kHeaderSize};
      for (int32_t columns : {1, 2}) {
        protocol::RowsResult a, b;
        bool okPlaced = protocol::decodeRows(frame.body, 4, columns, a, placed).ok();
        bool okWhole = protocol::decodeRows(whole, 4, columns, b).ok();
        require(okPlaced == okWhole);
        if (okPlaced) {
          require(a.cells.size() == b.cells.size());
          for (size_t i = 0; i < a.cells.size(); ++i) {
            require(a.cells[i].null == b.cells[i].null && a.cells[i].bytes.size == b.cells[i].bytes.size);
            require(a.cells[i].bytes.size == 0 ||
                    std::memcmp(a.cells[i].bytes.data, b.cells[i].bytes.data, a.cells[i].bytes.size) == 0);
          }
        }
      }
    } else {
      out.insert(out.end(), body, body + frame.body.size);
    }
    frames.push_back(std::move(d));
    return true;
  }
  bool onDiscarded(int16_t stream) override {
    Delivered d;
    d.discarded = true;
    d.bytes = {static_cast<uint8_t>(static_cast<uint16_t>(stream) >> 8), static_cast<uint8_t>(stream)};
    frames.push_back(std::move(d));
    return true;
  }
  void onMalformed(const std::string&) override { malformed = true; }

 private:
  uint8_t giveUp_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const uint8_t mode = data[0];
  ++data;
  --size;
  // What the plain cutter finds in the whole stream.
  std::vector<std::vector<uint8_t>> expected;
  bool expectMalformed = false;
  for (size_t offset = 0;;) {
    protocol::CutResult cut = protocol::cutFrame(data + offset, size - offset, 4);
    if (cut.outcome == protocol::CutOutcome::kMalformed) expectMalformed = true;
    if (cut.outcome != protocol::CutOutcome::kFrame) break;
    expected.emplace_back(data + offset, data + offset + cut.size);
    offset += cut.size;
  }

  net::FrameReceiver receiver(4, mode & 0x08 ? 1 : 0);
  Handler handler(mode >> 4);
  size_t at = 0;
  uint32_t random = 0x9e3779b9u ^ mode;
  const bool everyByte = (mode & 0x01) != 0;
  net::ByteSource source = [&](const iovec* iov, int count) -> ssize_t {
    if (at == size) {
      errno = EAGAIN;
      return -1;
    }
    random = random * 1664525u + 1013904223u;
    size_t budget = everyByte ? 1 : 1 + (random >> 8) % 97;
    budget = std::min(budget, size - at);
    size_t done = 0;
    for (int i = 0; i < count && done < budget; ++i) {
      size_t n = std::min(budget - done, iov[i].iov_len);
      std::memcpy(iov[i].iov_base, data + at + done, n);
      done += n;
    }
    at += done;
    return static_cast<ssize_t>(done);
  };
  const bool vectored = (mode & 0x02) != 0;
  while (at < size) {
    net::FrameReceiver::Outcome outcome = receiver.pump(source, handler, vectored);
    if (outcome == net::FrameReceiver::Outcome::kStopped) break;
    require(outcome == net::FrameReceiver::Outcome::kWouldBlock);
  }
  require(handler.frames.size() == expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    const Delivered& got = handler.frames[i];
    if (got.discarded) {
      require(got.bytes[0] == expected[i][2] && got.bytes[1] == expected[i][3]);  // the same stream
    } else {
      require(got.bytes == expected[i]);
    }
  }
  require(handler.malformed == expectMalformed);
  return 0;
}
