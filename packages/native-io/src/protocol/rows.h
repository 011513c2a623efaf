// RESULT bodies: Rows decoded into cells that point into the frame, checked
// against the columns the plan expects. The caller copies each cell once,
// into its batch arena.
#pragma once

#include <cstdint>
#include <vector>

#include "byte_reader.h"
#include "status.h"

namespace cassdl::protocol {

/** One cell of a result row; `null` when the server sent a negative length. */
struct Cell {
  ByteSpan bytes;
  bool null = true;
};

struct RowsResult {
  int32_t rowCount = 0;
  int32_t columnCount = 0;
  /** rowCount * columnCount cells, row-major. */
  std::vector<Cell> cells;
};

/** Upper bound on rows in one result: a row read by primary key returns 0 or 1. */
inline constexpr int32_t kMaxRows = 1 << 20;

/**
 * Decodes a RESULT body (prefixes stripped) of kind Rows with exactly
 * `expectedColumns` columns. Works with and without result metadata
 * (skip-metadata EXECUTE), skipping column specs and their type options.
 * With `placedFirstCell`, the first cell's bytes were read elsewhere (into
 * their batch arena): the body holds its length field only, which must
 * match.
 */
Status decodeRows(ByteSpan body, uint8_t version, int32_t expectedColumns, RowsResult& out,
                  const ByteSpan* placedFirstCell = nullptr);

/** Reads a big-endian int cell (CQL `int`); malformed unless exactly 4 bytes. */
Status readIntCell(const Cell& cell, int32_t& out);

}  // namespace cassdl::protocol
