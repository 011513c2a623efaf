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

struct PreparedColumn {
  std::string name;
  uint16_t type;
};

/**
 * RESULT Prepared as Cassandra answers PREPARE of the row read: the id, on
 * v5 the result metadata id, one bind marker (the uuid partition key), then
 * the result columns with a global table spec.
 */
inline std::vector<uint8_t> preparedBody(const std::vector<uint8_t>& id, const std::vector<PreparedColumn>& columns,
                                         uint8_t version = 4, const std::vector<uint8_t>& resultMetadataId = {}) {
  std::vector<uint8_t> out;
  protocol::ByteWriter w(out);
  w.i32(4);
  w.shortBytes(id.data(), id.size());
  if (version >= 5) w.shortBytes(resultMetadataId.data(), resultMetadataId.size());
  w.i32(0x0001);  // bind metadata: global table spec
  w.i32(1);
  w.i32(1);  // one partition key index
  w.u16(0);
  w.string("ks");
  w.string("t");
  w.string("id");
  w.u16(0x000c);  // uuid
  w.i32(0x0001);  // result metadata: global table spec
  w.i32(static_cast<int32_t>(columns.size()));
  w.string("ks");
  w.string("t");
  for (const PreparedColumn& column : columns) {
    w.string(column.name);
    w.u16(column.type);
  }
  return out;
}

}  // namespace cassdl::testing
