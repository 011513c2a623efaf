// Cuts a byte stream into frames. Pure: the connection appends what the
// socket gave to its buffer and asks `cutFrame` what is there; a header or a
// body split at any byte simply answers "need more" with the size to wait for.
#pragma once

#include <cstddef>
#include <cstdint>

#include "byte_reader.h"
#include "opcodes.h"
#include "status.h"

namespace cassdl::protocol {

inline constexpr size_t kHeaderSize = 9;
/** Cassandra refuses frames over 256 MiB; a larger length means a corrupt stream. */
inline constexpr int32_t kMaxBodyLength = 256 * 1024 * 1024;

struct FrameHeader {
  uint8_t version = 0;  // without the response bit
  bool response = false;
  uint8_t flags = 0;
  int16_t stream = 0;
  uint8_t opcode = 0;
  int32_t length = 0;
};

struct Frame {
  FrameHeader header;
  /** The body after the header, flags prefixes (tracing, warnings, payload) still in it. */
  ByteSpan body;
};

/** The 9 header bytes at `p`, unchecked (cutFrame checks them). */
FrameHeader parseHeader(const uint8_t* p);

enum class CutOutcome { kFrame, kNeedMore, kMalformed };

struct CutResult {
  CutOutcome outcome = CutOutcome::kNeedMore;
  Frame frame;
  /** kFrame: bytes to drop from the buffer. kNeedMore: total bytes the frame needs. */
  size_t size = 0;
  Status status = Status::Ok();
};

/**
 * Looks at the start of `data` for one response frame of `expectedVersion`.
 * The frame's body points into `data`.
 */
CutResult cutFrame(const uint8_t* data, size_t size, uint8_t expectedVersion);

/**
 * Strips the optional prefixes the header flags announce (tracing id,
 * warnings, custom payload), leaving the opcode's own body. Compressed
 * bodies are malformed: the data plane never asks for compression.
 */
Status stripBodyPrefixes(const Frame& frame, ByteSpan& body);

}  // namespace cassdl::protocol
