// RESULT of kind Prepared: what PREPARE of the row read returns. The data
// plane prepares the row read itself on each connection and sends EXECUTE
// with this id; the result columns let it check, before any row moves, that
// the statement returns what the plan will place (data blob, then a label).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "byte_reader.h"
#include "column_specs.h"
#include "status.h"

namespace cassdl::protocol {

struct PreparedResult {
  /** The statement id EXECUTE names (never empty). */
  std::vector<uint8_t> id;
  /** Protocol v5 only: the result metadata id EXECUTE also names; empty on v4. */
  std::vector<uint8_t> resultMetadataId;
  /** Result columns the server declared (empty with the No_metadata flag). */
  int32_t resultColumnCount = 0;
  std::vector<ColumnSpec> resultColumns;
};

/** Most bind markers a row read may declare: it has one, more means a hostile frame. */
inline constexpr int32_t kMaxBindMarkers = 1 << 16;

/**
 * Decodes a RESULT body (prefixes stripped) of kind Prepared: the id, the
 * v5 result metadata id, the bind-marker metadata (skipped: the one value
 * EXECUTE binds is the partition key), then the result metadata. Malformed
 * on any other kind, a truncated or oversized field, or trailing bytes.
 */
Status decodePrepared(ByteSpan body, uint8_t version, PreparedResult& out);

/**
 * Empty when the prepared statement returns columns of exactly the
 * `expected` types, in order (EXECUTE skips the metadata, so the data plane
 * relies on them); otherwise what it returns instead, e.g. "data: int".
 * A result without metadata is checked by its column count only.
 */
std::string columnMismatch(const PreparedResult& prepared, const std::vector<uint16_t>& expected);

}  // namespace cassdl::protocol
