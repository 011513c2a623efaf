// Builds response frames for tests and the fuzz seed corpus.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "../../src/protocol/byte_writer.h"

namespace cassdl::testing {

inline std::vector<uint8_t> responseFrame(uint8_t opcode, const std::vector<uint8_t>& body, int16_t stream = 1,
                                          uint8_t flags = 0, uint8_t version = 4) {
  std::vector<uint8_t> out;
  protocol::ByteWriter w(out);
  w.u8(0x80 | version);
  w.u8(flags);
  w.u16(static_cast<uint16_t>(stream));
  w.u8(opcode);
  w.i32(static_cast<int32_t>(body.size()));
  w.raw(body.data(), body.size());
  return out;
}

/** RESULT Rows without metadata; each row is a list of cells, nullptr-equivalent = std::nullopt via `nulls`. */
inline std::vector<uint8_t> rowsBody(int32_t columns, const std::vector<std::vector<std::string>>& rows,
                                     const std::vector<std::vector<bool>>& nulls = {}, int32_t flags = 0x0004) {
  std::vector<uint8_t> out;
  protocol::ByteWriter w(out);
  w.i32(2);
  w.i32(flags);
  w.i32(columns);
  w.i32(static_cast<int32_t>(rows.size()));
  for (size_t r = 0; r < rows.size(); ++r) {
    for (size_t c = 0; c < rows[r].size(); ++c) {
      bool isNull = r < nulls.size() && c < nulls[r].size() && nulls[r][c];
      if (isNull) {
        w.i32(-1);
      } else {
        w.bytes(reinterpret_cast<const uint8_t*>(rows[r][c].data()), rows[r][c].size());
      }
    }
  }
  return out;
}

}  // namespace cassdl::testing
