// libFuzzer target over the RESULT Prepared decoder: the body the server
// answers the data plane's own PREPARE of the row read with. The first byte
// picks the protocol version (v4/v5 lay the ids out differently); the rest is
// the body. Any out-of-bounds read shows up under ASan; scripts/fuzz.sh runs it.
#include <cstddef>
#include <cstdint>

#include "../src/protocol/prepared.h"

using namespace cassdl::protocol;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const uint8_t version = (data[0] & 1) ? 5 : 4;
  PreparedResult out;
  if (decodePrepared({data + 1, size - 1}, version, out).ok()) {
    // A decoded result must hold what the data plane relies on.
    if (out.id.empty()) __builtin_trap();
    if (version < 5 && !out.resultMetadataId.empty()) __builtin_trap();
    if (!out.resultColumns.empty() && out.resultColumns.size() != static_cast<size_t>(out.resultColumnCount)) {
      __builtin_trap();
    }
    volatile size_t sink = 0;
    for (const ColumnSpec& column : out.resultColumns) sink = sink + column.name.size() + column.type;
  }
  return 0;
}
