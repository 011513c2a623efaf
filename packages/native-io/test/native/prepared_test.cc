// The RESULT Prepared decoder: what the data plane reads when it prepares
// the row read on its own connections.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "../../src/protocol/byte_writer.h"
#include "../../src/protocol/prepared.h"
#include "frame_builder.h"

using namespace cassdl::protocol;
using cassdl::testing::preparedBody;

namespace {

Status decode(const std::vector<uint8_t>& body, uint8_t version, PreparedResult& out) {
  return decodePrepared({body.data(), body.size()}, version, out);
}

void expectMalformed(const std::vector<uint8_t>& body, uint8_t version, const char* needle) {
  PreparedResult out;
  Status status = decode(body, version, out);
  EXPECT_FALSE(status.ok()) << needle;
  EXPECT_NE(status.message().find(needle), std::string::npos) << status.message();
}

}  // namespace

TEST(Prepared, DecodesIdAndResultColumnsV4) {
  auto body = preparedBody({0xaa, 0xbb, 0xcc}, {{"data", kTypeBlob}, {"label", kTypeInt}});
  PreparedResult out;
  Status status = decode(body, 4, out);
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_EQ(out.id, (std::vector<uint8_t>{0xaa, 0xbb, 0xcc}));
  EXPECT_TRUE(out.resultMetadataId.empty());
  ASSERT_EQ(out.resultColumnCount, 2);
  ASSERT_EQ(out.resultColumns.size(), 2u);
  EXPECT_EQ(out.resultColumns[0].name, "data");
  EXPECT_EQ(out.resultColumns[0].type, kTypeBlob);
  EXPECT_EQ(out.resultColumns[1].name, "label");
  EXPECT_EQ(out.resultColumns[1].type, kTypeInt);
}

TEST(Prepared, ReadsTheResultMetadataIdOnV5) {
  auto body = preparedBody({1, 2}, {{"data", kTypeBlob}}, 5, {9, 8, 7});
  PreparedResult out;
  Status status = decode(body, 5, out);
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_EQ(out.id, (std::vector<uint8_t>{1, 2}));
  EXPECT_EQ(out.resultMetadataId, (std::vector<uint8_t>{9, 8, 7}));
  ASSERT_EQ(out.resultColumns.size(), 1u);
  // The same bytes read as v4 have the metadata id where the flags belong.
  PreparedResult v4;
  EXPECT_FALSE(decode(body, 4, v4).ok());
}

TEST(Prepared, ReadsPerColumnTableSpecsAndNestedTypes) {
  std::vector<uint8_t> body;
  ByteWriter w(body);
  w.i32(4);
  w.shortBytes(reinterpret_cast<const uint8_t*>("id"), 2);
  w.i32(0);  // bind metadata without a global table spec
  w.i32(1);
  w.i32(0);  // no partition key indices
  w.string("ks");
  w.string("t");
  w.string("id");
  w.u16(0x000c);
  w.i32(0);  // result metadata, per-column specs
  w.i32(2);
  w.string("ks");
  w.string("t");
  w.string("data");
  w.u16(kTypeBlob);
  w.string("ks");
  w.string("t");
  w.string("tags");
  w.u16(0x0021);  // map<text, list<int>>
  w.u16(0x000d);
  w.u16(0x0020);
  w.u16(0x0009);
  PreparedResult out;
  Status status = decode(body, 4, out);
  ASSERT_TRUE(status.ok()) << status.message();
  ASSERT_EQ(out.resultColumns.size(), 2u);
  EXPECT_EQ(out.resultColumns[1].name, "tags");
  EXPECT_EQ(out.resultColumns[1].type, 0x0021);
  EXPECT_EQ(typeName(out.resultColumns[1].type), "map");
  EXPECT_EQ(typeName(0x0030), "type 0x0030");
}

TEST(Prepared, NoMetadataFlagKeepsTheCountOnly) {
  std::vector<uint8_t> body;
  ByteWriter w(body);
  w.i32(4);
  w.shortBytes(reinterpret_cast<const uint8_t*>("x"), 1);
  w.i32(0x0001);
  w.i32(0);
  w.i32(0);
  w.string("ks");
  w.string("t");
  w.i32(0x0004);  // No_metadata
  w.i32(3);
  PreparedResult out;
  Status status = decode(body, 4, out);
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_EQ(out.resultColumnCount, 3);
  EXPECT_TRUE(out.resultColumns.empty());
}

TEST(Prepared, RejectsEveryMalformedClass) {
  auto good = preparedBody({1, 2, 3}, {{"data", kTypeBlob}});
  expectMalformed({0, 0}, 4, "result kind");
  expectMalformed({0, 0, 0, 2}, 4, "kind 2, expected Prepared");
  auto emptyId = preparedBody({}, {{"data", kTypeBlob}});
  expectMalformed(emptyId, 4, "empty statement id");
  auto idPastEnd = good;
  idPastEnd[4] = 0x7f;  // id length 3 -> 0x7f03
  expectMalformed(idPastEnd, 4, "prepared id needs");
  auto manyMarkers = good;
  manyMarkers[13] = 0x7f;  // bind marker count
  expectMalformed(manyMarkers, 4, "bind marker count is");
  auto moreKeysThanMarkers = good;
  moreKeysThanMarkers[20] = 2;  // two partition key indices for one marker
  expectMalformed(moreKeysThanMarkers, 4, "partition key index count is 2, expected 0..1");
  auto negativeColumns = good;
  negativeColumns[40] = 0xff;  // result column count
  expectMalformed(negativeColumns, 4, "result column count is");
  auto unknownType = good;
  unknownType[unknownType.size() - 1] = 0x40;
  expectMalformed(unknownType, 4, "unknown column type id 64");
  auto trailing = good;
  trailing.push_back(0);
  expectMalformed(trailing, 4, "1 bytes before the frame does");
  for (size_t cut = 0; cut < good.size(); ++cut) {
    PreparedResult out;
    EXPECT_FALSE(decode({good.begin(), good.begin() + static_cast<long>(cut)}, 4, out).ok()) << cut;
  }
}

TEST(Prepared, ColumnMismatchNamesWhatTheStatementReturns) {
  PreparedResult prepared;
  auto body = preparedBody({1}, {{"data", kTypeBlob}, {"label", kTypeInt}});
  ASSERT_TRUE(decode(body, 4, prepared).ok());
  EXPECT_EQ(columnMismatch(prepared, {kTypeBlob, kTypeInt}), "");
  EXPECT_EQ(columnMismatch(prepared, {kTypeBlob, kTypeBlob}), "data: blob, label: int");
  EXPECT_EQ(columnMismatch(prepared, {kTypeBlob}), "data: blob, label: int");
  PreparedResult bare;
  bare.id = {1};
  bare.resultColumnCount = 2;  // No_metadata: the count is all there is
  EXPECT_EQ(columnMismatch(bare, {kTypeBlob, kTypeInt}), "");
  EXPECT_EQ(columnMismatch(bare, {kTypeBlob}), "2 columns");
}
