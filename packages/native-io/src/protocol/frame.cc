#include "frame.h"

#include <string>

namespace cassdl::protocol {

FrameHeader parseHeader(const uint8_t* p) {
  FrameHeader h;
  h.response = (p[0] & 0x80) != 0;
  h.version = p[0] & 0x7f;
  h.flags = p[1];
  h.stream = static_cast<int16_t>((p[2] << 8) | p[3]);
  h.opcode = p[4];
  h.length = static_cast<int32_t>((uint32_t{p[5]} << 24) | (uint32_t{p[6]} << 16) | (uint32_t{p[7]} << 8) |
                                  uint32_t{p[8]});
  return h;
}

namespace {

CutResult malformed(std::string what) {
  CutResult result;
  result.outcome = CutOutcome::kMalformed;
  result.status = Status::Malformed(std::move(what));
  return result;
}

}  // namespace

CutResult cutFrame(const uint8_t* data, size_t size, uint8_t expectedVersion) {
  CutResult result;
  if (size < kHeaderSize) {
    result.size = kHeaderSize;
    return result;
  }
  FrameHeader header = parseHeader(data);
  if (!header.response) return malformed("frame without the response bit (first byte " + std::to_string(data[0]) + ")");
  if (header.version != expectedVersion) {
    return malformed("frame of protocol version " + std::to_string(header.version) + ", expected " +
                     std::to_string(expectedVersion));
  }
  if (header.opcode > static_cast<uint8_t>(Opcode::kAuthSuccess)) {
    return malformed("unknown opcode " + std::to_string(header.opcode));
  }
  if (header.length < 0 || header.length > kMaxBodyLength) {
    return malformed("frame body length " + std::to_string(header.length) + " outside 0.." +
                     std::to_string(kMaxBodyLength));
  }
  size_t total = kHeaderSize + static_cast<size_t>(header.length);
  if (size < total) {
    result.size = total;
    return result;
  }
  result.outcome = CutOutcome::kFrame;
  result.frame.header = header;
  result.frame.body = {data + kHeaderSize, static_cast<size_t>(header.length)};
  result.size = total;
  return result;
}

Status stripBodyPrefixes(const Frame& frame, ByteSpan& body) {
  uint8_t flags = frame.header.flags;
  if (flags & kFlagCompression) return Status::Malformed("compressed frame, but no compression was negotiated");
  ByteReader reader(frame.body);
  if (flags & kFlagTracing) reader.skip(16, "tracing id");
  if (flags & kFlagWarning) {
    uint16_t n = 0;
    reader.u16(n, "warning count");
    std::string ignored;
    for (uint16_t i = 0; i < n && reader.string(ignored, "warning"); ++i) {
    }
  }
  if (flags & kFlagCustomPayload) {
    uint16_t n = 0;
    reader.u16(n, "custom payload entries");
    for (uint16_t i = 0; i < n && !reader.failed(); ++i) {
      std::string key;
      ByteSpan value;
      bool isNull = false;
      reader.string(key, "custom payload key");
      reader.bytes(value, isNull, "custom payload value");
    }
  }
  if (reader.failed()) return Status::Malformed(reader.error());
  body = {reader.cursor(), reader.remaining()};
  return Status::Ok();
}

}  // namespace cassdl::protocol
