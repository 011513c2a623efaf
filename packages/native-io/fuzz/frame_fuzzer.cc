// libFuzzer target over everything that reads server bytes: the frame cutter
// on an arbitrary stream, then each frame's prefixes, ERROR and RESULT bodies.
// Any out-of-bounds read shows up under ASan; scripts/fuzz.sh runs it.
#include <cstddef>
#include <cstdint>

#include "../src/protocol/frame.h"
#include "../src/protocol/rows.h"
#include "../src/protocol/server_error.h"

using namespace cassdl::protocol;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // First byte picks the protocol version and planned column count, so both
  // v4/v5 branches and 1/2-column plans are explored.
  if (size < 1) return 0;
  const uint8_t version = (data[0] & 1) ? 5 : 4;
  const int32_t columns = (data[0] & 2) ? 2 : 1;
  ++data;
  --size;
  size_t offset = 0;
  for (;;) {
    CutResult cut = cutFrame(data + offset, size - offset, 4);
    if (cut.outcome != CutOutcome::kFrame) break;
    offset += cut.size;
    ByteSpan body;
    if (!stripBodyPrefixes(cut.frame, body).ok()) continue;
    if (cut.frame.header.opcode == static_cast<uint8_t>(Opcode::kError)) {
      ServerError error;
      (void)decodeServerError(body, version, error);
    } else {
      RowsResult rows;
      if (decodeRows(body, version, columns, rows).ok()) {
        for (const Cell& cell : rows.cells) {
          int32_t value = 0;
          (void)readIntCell(cell, value);
          // Touch every byte the parser vouched for.
          volatile uint8_t sink = 0;
          for (size_t i = 0; i < cell.bytes.size; ++i) sink = sink ^ cell.bytes.data[i];
        }
      }
    }
  }
  return 0;
}
