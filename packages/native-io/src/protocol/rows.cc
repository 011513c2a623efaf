#include "rows.h"

#include <string>

#include "column_specs.h"
#include "opcodes.h"

namespace cassdl::protocol {

Status decodeRows(ByteSpan body, uint8_t version, int32_t expectedColumns, RowsResult& out,
                  const ByteSpan* placedFirstCell) {
  ByteReader r(body);
  int32_t kind = 0;
  int32_t flags = 0;
  if (!r.i32(kind, "result kind")) return Status::Malformed("RESULT body: " + r.error());
  if (kind != kResultRows) return Status::Malformed("RESULT of kind " + std::to_string(kind) + ", expected Rows (2)");
  r.i32(flags, "rows metadata flags");
  r.count(out.columnCount, kMaxColumns, "column count");
  if (r.failed()) return Status::Malformed("RESULT rows: " + r.error());
  if (flags & kMetadataHasMorePages) {
    ByteSpan paging;
    bool isNull = false;
    r.bytes(paging, isNull, "paging state");
  }
  if (version >= 5 && (flags & kMetadataChanged)) {
    ByteSpan id;
    r.shortBytes(id, "new result metadata id");
  }
  if (!(flags & kMetadataNoMetadata)) readColumnSpecs(r, flags, out.columnCount, nullptr);
  if (r.failed()) return Status::Malformed("RESULT rows metadata: " + r.error());
  if (out.columnCount != expectedColumns) {
    return Status::Malformed("RESULT rows have " + std::to_string(out.columnCount) + " columns, the plan expects " +
                             std::to_string(expectedColumns));
  }
  if (!r.count(out.rowCount, kMaxRows, "row count")) return Status::Malformed("RESULT rows: " + r.error());
  // Each cell takes at least its 4-byte length: a count the body cannot hold is
  // malformed before anything is allocated for it.
  uint64_t minimum = uint64_t(out.rowCount) * uint64_t(out.columnCount) * 4;
  if (minimum > r.remaining()) {
    return Status::Malformed("RESULT claims " + std::to_string(out.rowCount) + " rows of " +
                             std::to_string(out.columnCount) + " columns, but only " + std::to_string(r.remaining()) +
                             " bytes follow");
  }
  out.cells.clear();
  out.cells.resize(size_t(out.rowCount) * size_t(out.columnCount));
  for (size_t i = 0; i < out.cells.size(); ++i) {
    Cell& cell = out.cells[i];
    if (i == 0 && placedFirstCell != nullptr) {
      int32_t length = 0;
      if (!r.i32(length, "cell length")) return Status::Malformed("RESULT rows: " + r.error());
      if (length < 0 || static_cast<size_t>(length) != placedFirstCell->size) {
        return Status::Malformed("RESULT first cell of " + std::to_string(length) + " bytes, but " +
                                 std::to_string(placedFirstCell->size) + " were placed");
      }
      cell.bytes = *placedFirstCell;
      cell.null = false;
      continue;
    }
    if (!r.bytes(cell.bytes, cell.null, "cell")) return Status::Malformed("RESULT rows: " + r.error());
  }
  if (r.remaining() != 0) {
    return Status::Malformed("RESULT rows end " + std::to_string(r.remaining()) + " bytes before the frame does");
  }
  return Status::Ok();
}

Status readIntCell(const Cell& cell, int32_t& out) {
  if (cell.null) return Status::Malformed("int cell is null");
  if (cell.bytes.size != 4) return Status::Malformed("int cell has " + std::to_string(cell.bytes.size) + " bytes, expected 4");
  ByteReader r(cell.bytes);
  r.i32(out, "int cell");
  return Status::Ok();
}

}  // namespace cassdl::protocol
