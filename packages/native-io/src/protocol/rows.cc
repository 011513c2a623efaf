#include "rows.h"

#include <string>

#include "opcodes.h"

namespace cassdl::protocol {

namespace {

constexpr int32_t kGlobalTablesSpec = 0x0001;
constexpr int32_t kHasMorePages = 0x0002;
constexpr int32_t kNoMetadata = 0x0004;
constexpr int32_t kMetadataChanged = 0x0008;

/** Nesting cap for collection/UDT/tuple types: deeper means a hostile frame. */
constexpr int kMaxTypeDepth = 16;
constexpr int32_t kMaxColumns = 1 << 16;

bool skipTypeOption(ByteReader& r, int depth) {
  if (depth > kMaxTypeDepth) return r.fail("column type nested deeper than " + std::to_string(kMaxTypeDepth));
  uint16_t id = 0;
  if (!r.u16(id, "column type id")) return false;
  std::string ignored;
  switch (id) {
    case 0x0000:  // custom: class name
      return r.string(ignored, "custom type class");
    case 0x0020:  // list
    case 0x0022:  // set
      return skipTypeOption(r, depth + 1);
    case 0x0021:  // map
      return skipTypeOption(r, depth + 1) && skipTypeOption(r, depth + 1);
    case 0x0030: {  // UDT: keyspace, name, n fields of (name, type)
      uint16_t n = 0;
      if (!r.string(ignored, "UDT keyspace") || !r.string(ignored, "UDT name") || !r.u16(n, "UDT field count")) {
        return false;
      }
      for (uint16_t i = 0; i < n; ++i) {
        if (!r.string(ignored, "UDT field name") || !skipTypeOption(r, depth + 1)) return false;
      }
      return true;
    }
    case 0x0031: {  // tuple
      uint16_t n = 0;
      if (!r.u16(n, "tuple size")) return false;
      for (uint16_t i = 0; i < n; ++i) {
        if (!skipTypeOption(r, depth + 1)) return false;
      }
      return true;
    }
    default:
      if (id > 0x0031) return r.fail("unknown column type id " + std::to_string(id));
      return true;  // a native type: the id is all there is
  }
}

bool skipMetadata(ByteReader& r, int32_t flags, int32_t columns) {
  std::string ignored;
  if (flags & kGlobalTablesSpec) {
    if (!r.string(ignored, "keyspace") || !r.string(ignored, "table")) return false;
  }
  for (int32_t i = 0; i < columns; ++i) {
    if (!(flags & kGlobalTablesSpec)) {
      if (!r.string(ignored, "column keyspace") || !r.string(ignored, "column table")) return false;
    }
    if (!r.string(ignored, "column name") || !skipTypeOption(r, 0)) return false;
  }
  return true;
}

}  // namespace

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
  if (flags & kHasMorePages) {
    ByteSpan paging;
    bool isNull = false;
    r.bytes(paging, isNull, "paging state");
  }
  if (version >= 5 && (flags & kMetadataChanged)) {
    ByteSpan id;
    r.shortBytes(id, "new result metadata id");
  }
  if (!(flags & kNoMetadata)) skipMetadata(r, flags, out.columnCount);
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
