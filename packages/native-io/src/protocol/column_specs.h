// Column specs of a RESULT <metadata> section (Rows and Prepared share the
// layout): an optional global keyspace/table, then per column its name and
// type option. The data plane reads a Prepared result's column types once
// and skips the specs of a Rows result with metadata.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "byte_reader.h"

namespace cassdl::protocol {

/** <metadata> flags. */
inline constexpr int32_t kMetadataGlobalTablesSpec = 0x0001;
inline constexpr int32_t kMetadataHasMorePages = 0x0002;
inline constexpr int32_t kMetadataNoMetadata = 0x0004;
inline constexpr int32_t kMetadataChanged = 0x0008;

/** Most columns a result may declare: more means a hostile frame. */
inline constexpr int32_t kMaxColumns = 1 << 16;

/** Native type ids (the top-level id of a column's type option). */
inline constexpr uint16_t kTypeBlob = 0x0003;
inline constexpr uint16_t kTypeInt = 0x0009;

struct ColumnSpec {
  std::string name;
  /** Top-level type id: a native type, or list/map/set/UDT/tuple/custom whose parameters were skipped. */
  uint16_t type = 0;
};

/**
 * Reads `columns` column specs laid out as `flags` say, appending them to
 * `out`, or only skipping them when `out` is null. False with the reader
 * failed (naming the field) on a truncated or hostile section.
 */
bool readColumnSpecs(ByteReader& r, int32_t flags, int32_t columns, std::vector<ColumnSpec>* out);

/** CQL name of a type id, for messages: "blob", "int", ... or "type 0x00NN". */
std::string typeName(uint16_t type);

}  // namespace cassdl::protocol
