// Where the data cell of a one-row RESULT lies, from the first bytes of its
// frame: lets the receiver read a large cell straight into its place before
// the frame has arrived. Only the shape a skip-metadata row read answers with
// is recognised (no header flags, Rows, no metadata nor paging state, one
// row: Cassandra's flags are 0x0005, Global_tables_spec | No_metadata); anything else
// is read the ordinary way and checked in full by decodeRows.
#pragma once

#include <cstddef>
#include <cstdint>

namespace cassdl::protocol {

struct CellLocation {
  enum class Outcome { kNeedMore, kFound, kNo } outcome = Outcome::kNeedMore;
  /** kFound: offset of the cell's bytes from the start of the frame, and their count. */
  size_t offset = 0;
  size_t size = 0;
};

/** Header, kind, flags, column count, row count, cell length. */
inline constexpr size_t kCellPrefixSize = 9 + 4 * 5;

/** Looks at the first `available` bytes of one response frame (its header already cut as valid). */
CellLocation locateFirstCell(const uint8_t* frame, size_t available);

}  // namespace cassdl::protocol
