#include "prepared.h"

#include <string>

#include "opcodes.h"

namespace cassdl::protocol {

namespace {

/** The bind-marker <metadata>: flags, count, v4+ partition key indices, then the specs. */
bool skipBindMetadata(ByteReader& r) {
  int32_t flags = 0;
  int32_t markers = 0;
  int32_t keys = 0;
  if (!r.i32(flags, "bind metadata flags") || !r.count(markers, kMaxBindMarkers, "bind marker count") ||
      !r.count(keys, markers, "partition key index count")) {
    return false;
  }
  for (int32_t i = 0; i < keys; ++i) {
    uint16_t index = 0;
    if (!r.u16(index, "partition key index")) return false;
  }
  return readColumnSpecs(r, flags, markers, nullptr);
}

/** The result <metadata>: flags, count, paging state and v5 new id when flagged, then the specs. */
bool readResultMetadata(ByteReader& r, uint8_t version, PreparedResult& out) {
  int32_t flags = 0;
  if (!r.i32(flags, "result metadata flags") || !r.count(out.resultColumnCount, kMaxColumns, "result column count")) {
    return false;
  }
  if (flags & kMetadataHasMorePages) {
    ByteSpan paging;
    bool isNull = false;
    if (!r.bytes(paging, isNull, "paging state")) return false;
  }
  if (version >= 5 && (flags & kMetadataChanged)) {
    ByteSpan id;
    if (!r.shortBytes(id, "new result metadata id")) return false;
  }
  if (flags & kMetadataNoMetadata) return true;
  return readColumnSpecs(r, flags, out.resultColumnCount, &out.resultColumns);
}

}  // namespace

Status decodePrepared(ByteSpan body, uint8_t version, PreparedResult& out) {
  out = PreparedResult{};
  ByteReader r(body);
  int32_t kind = 0;
  if (!r.i32(kind, "result kind")) return Status::Malformed("RESULT body: " + r.error());
  if (kind != kResultPrepared) {
    return Status::Malformed("RESULT of kind " + std::to_string(kind) + ", expected Prepared (4)");
  }
  ByteSpan id;
  if (!r.shortBytes(id, "prepared id")) return Status::Malformed("RESULT Prepared: " + r.error());
  if (id.size == 0) return Status::Malformed("RESULT Prepared has an empty statement id");
  out.id.assign(id.data, id.data + id.size);
  if (version >= 5) {
    ByteSpan metadataId;
    if (!r.shortBytes(metadataId, "result metadata id")) return Status::Malformed("RESULT Prepared: " + r.error());
    out.resultMetadataId.assign(metadataId.data, metadataId.data + metadataId.size);
  }
  if (!skipBindMetadata(r)) return Status::Malformed("RESULT Prepared bind metadata: " + r.error());
  if (!readResultMetadata(r, version, out)) return Status::Malformed("RESULT Prepared result metadata: " + r.error());
  if (r.remaining() != 0) {
    return Status::Malformed("RESULT Prepared ends " + std::to_string(r.remaining()) + " bytes before the frame does");
  }
  return Status::Ok();
}

std::string columnMismatch(const PreparedResult& prepared, const std::vector<uint16_t>& expected) {
  bool countOk = prepared.resultColumnCount == static_cast<int32_t>(expected.size());
  bool typesOk = countOk;
  for (size_t i = 0; typesOk && i < prepared.resultColumns.size(); ++i) {
    typesOk = prepared.resultColumns[i].type == expected[i];
  }
  if (typesOk) return "";
  if (prepared.resultColumns.empty()) return std::to_string(prepared.resultColumnCount) + " columns";
  std::string actual;
  for (const ColumnSpec& column : prepared.resultColumns) {
    actual += (actual.empty() ? "" : ", ") + column.name + ": " + typeName(column.type);
  }
  return actual;
}

}  // namespace cassdl::protocol
