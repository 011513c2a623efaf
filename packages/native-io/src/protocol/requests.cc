#include "requests.h"

#include "byte_writer.h"
#include "frame.h"
#include "opcodes.h"

namespace cassdl::protocol {

namespace {

constexpr uint8_t kValuesFlag = 0x01;
constexpr uint8_t kSkipMetadataFlag = 0x02;

/** Writes a header with a zero length; returns the offset of the frame start. */
size_t beginFrame(ByteWriter& w, uint8_t version, int16_t stream, Opcode opcode) {
  size_t start = w.size();
  w.u8(version);
  w.u8(0);
  w.u16(static_cast<uint16_t>(stream));
  w.u8(static_cast<uint8_t>(opcode));
  w.i32(0);
  return start;
}

void endFrame(ByteWriter& w, size_t start) {
  w.patchI32(start + 5, static_cast<int32_t>(w.size() - start - kHeaderSize));
}

}  // namespace

void encodeStartup(std::vector<uint8_t>& out, uint8_t version, int16_t stream) {
  ByteWriter w(out);
  size_t start = beginFrame(w, version, stream, Opcode::kStartup);
  w.u16(1);  // string map with one entry
  w.string("CQL_VERSION");
  w.string("3.0.0");
  endFrame(w, start);
}

void encodeOptions(std::vector<uint8_t>& out, uint8_t version, int16_t stream) {
  ByteWriter w(out);
  endFrame(w, beginFrame(w, version, stream, Opcode::kOptions));
}

void encodeAuthResponsePlain(std::vector<uint8_t>& out, uint8_t version, int16_t stream, std::string_view username,
                             std::string_view password) {
  ByteWriter w(out);
  size_t start = beginFrame(w, version, stream, Opcode::kAuthResponse);
  w.i32(static_cast<int32_t>(username.size() + password.size() + 2));
  w.u8(0);
  w.raw(reinterpret_cast<const uint8_t*>(username.data()), username.size());
  w.u8(0);
  w.raw(reinterpret_cast<const uint8_t*>(password.data()), password.size());
  endFrame(w, start);
}

void encodePrepare(std::vector<uint8_t>& out, uint8_t version, int16_t stream, std::string_view query) {
  ByteWriter w(out);
  size_t start = beginFrame(w, version, stream, Opcode::kPrepare);
  w.i32(static_cast<int32_t>(query.size()));  // [long string]
  w.raw(reinterpret_cast<const uint8_t*>(query.data()), query.size());
  if (version >= 5) w.i32(0);  // v5 PREPARE flags: no keyspace
  endFrame(w, start);
}

void encodeExecute(std::vector<uint8_t>& out, uint8_t version, int16_t stream, const ExecuteParams& params) {
  ByteWriter w(out);
  size_t start = beginFrame(w, version, stream, Opcode::kExecute);
  w.shortBytes(params.preparedId.data, params.preparedId.size);
  if (version >= 5) w.shortBytes(params.resultMetadataId.data, params.resultMetadataId.size);
  w.u16(params.consistency);
  uint8_t flags = kValuesFlag | kSkipMetadataFlag;
  if (version >= 5) {
    w.i32(flags);  // v5 widened query flags to an int
  } else {
    w.u8(flags);
  }
  w.u16(1);
  w.bytes(params.key.data, params.key.size);
  endFrame(w, start);
}

}  // namespace cassdl::protocol
