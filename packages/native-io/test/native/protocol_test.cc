#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "../../src/protocol/byte_writer.h"
#include "../../src/protocol/frame.h"
#include "../../src/protocol/murmur3.h"
#include "../../src/protocol/requests.h"
#include "../../src/protocol/rows.h"
#include "../../src/protocol/server_error.h"
#include "frame_builder.h"

using namespace cassdl::protocol;
using cassdl::testing::responseFrame;
using cassdl::testing::rowsBody;

namespace {


std::vector<uint8_t> fromHex(const std::string& hex) {
  std::vector<uint8_t> out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) out.push_back(static_cast<uint8_t>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  return out;
}

std::vector<uint8_t> uuidBytes(std::string text) {
  std::string hex;
  for (char c : text) {
    if (c != '-') hex.push_back(c);
  }
  return fromHex(hex);
}

/** Feeds `stream` to the cutter in pieces of `step` bytes, the way a socket would. */
std::vector<Frame> cutAll(const std::vector<uint8_t>& stream, size_t step, std::vector<uint8_t>& buffer) {
  std::vector<Frame> frames;
  buffer.clear();
  buffer.reserve(stream.size());  // frames point into the buffer: no reallocation while cutting
  size_t consumed = 0;
  for (size_t at = 0; at < stream.size(); at += step) {
    size_t n = std::min(step, stream.size() - at);
    buffer.insert(buffer.end(), stream.begin() + at, stream.begin() + at + n);
    for (;;) {
      CutResult cut = cutFrame(buffer.data() + consumed, buffer.size() - consumed, 4);
      EXPECT_NE(cut.outcome, CutOutcome::kMalformed) << cut.status.message();
      if (cut.outcome != CutOutcome::kFrame) {
        EXPECT_GT(cut.size, buffer.size() - consumed);
        break;
      }
      frames.push_back(cut.frame);
      consumed += cut.size;
    }
  }
  return frames;
}

}  // namespace

TEST(FrameCutter, CutsFramesSplitAtEveryByte) {
  std::vector<uint8_t> stream;
  for (int i = 0; i < 3; ++i) {
    auto frame = responseFrame(0x08, rowsBody(1, {{std::string(10 + i, 'x')}}), static_cast<int16_t>(i));
    stream.insert(stream.end(), frame.begin(), frame.end());
  }
  for (size_t step = 1; step <= stream.size(); ++step) {
    std::vector<uint8_t> buffer;
    auto frames = cutAll(stream, step, buffer);
    ASSERT_EQ(frames.size(), 3u) << "step " << step;
    for (int i = 0; i < 3; ++i) {
      EXPECT_EQ(frames[i].header.stream, i);
      EXPECT_EQ(frames[i].header.opcode, 0x08);
      RowsResult rows;
      ASSERT_TRUE(decodeRows(frames[i].body, 4, 1, rows).ok());
      EXPECT_EQ(rows.cells[0].bytes.size, size_t(10 + i));
    }
  }
}

TEST(FrameCutter, HalfHeaderWaitsForTheHeader) {
  auto frame = responseFrame(0x02, {});
  for (size_t n = 0; n < kHeaderSize; ++n) {
    CutResult cut = cutFrame(frame.data(), n, 4);
    EXPECT_EQ(cut.outcome, CutOutcome::kNeedMore);
    EXPECT_EQ(cut.size, kHeaderSize);
  }
  EXPECT_EQ(cutFrame(frame.data(), frame.size(), 4).outcome, CutOutcome::kFrame);
}

TEST(FrameCutter, PartialBodyAsksForTheWholeFrame) {
  auto frame = responseFrame(0x08, std::vector<uint8_t>(100, 7));
  CutResult cut = cutFrame(frame.data(), 50, 4);
  EXPECT_EQ(cut.outcome, CutOutcome::kNeedMore);
  EXPECT_EQ(cut.size, kHeaderSize + 100);
}

TEST(FrameCutter, NegativeStreamIdIsKept) {
  auto frame = responseFrame(0x0c, {}, -1);
  CutResult cut = cutFrame(frame.data(), frame.size(), 4);
  ASSERT_EQ(cut.outcome, CutOutcome::kFrame);
  EXPECT_EQ(cut.frame.header.stream, -1);
}

TEST(FrameCutter, RejectsMalformedHeaders) {
  auto base = responseFrame(0x08, {});
  auto bad = [&](auto mutate) {
    auto f = base;
    mutate(f);
    return cutFrame(f.data(), f.size(), 4);
  };
  auto requestBit = bad([](auto& f) { f[0] = 0x04; });
  EXPECT_EQ(requestBit.outcome, CutOutcome::kMalformed);
  EXPECT_NE(requestBit.status.message().find("response bit"), std::string::npos);
  EXPECT_EQ(bad([](auto& f) { f[0] = 0x83; }).outcome, CutOutcome::kMalformed);
  EXPECT_EQ(bad([](auto& f) { f[4] = 0x42; }).outcome, CutOutcome::kMalformed);
  auto negative = bad([](auto& f) { f[5] = 0xff; });
  EXPECT_EQ(negative.outcome, CutOutcome::kMalformed);
  EXPECT_NE(negative.status.message().find("length -"), std::string::npos);
  EXPECT_EQ(bad([](auto& f) { f[5] = 0x7f; }).outcome, CutOutcome::kMalformed);
}

TEST(BodyPrefixes, SkipsTracingWarningsAndPayload) {
  std::vector<uint8_t> body(16, 0xab);  // tracing id
  ByteWriter w(body);
  w.u16(1);
  w.string("careful");
  w.u16(1);
  w.string("k");
  w.bytes(reinterpret_cast<const uint8_t*>("v"), 1);
  w.u8(0x42);
  auto frame = responseFrame(0x08, body, 1, kFlagTracing | kFlagWarning | kFlagCustomPayload);
  CutResult cut = cutFrame(frame.data(), frame.size(), 4);
  ByteSpan rest;
  ASSERT_TRUE(stripBodyPrefixes(cut.frame, rest).ok());
  ASSERT_EQ(rest.size, 1u);
  EXPECT_EQ(rest.data[0], 0x42);
}

TEST(BodyPrefixes, RejectsCompressionAndTruncatedPrefixes) {
  auto compressed = responseFrame(0x08, {1, 2, 3}, 1, kFlagCompression);
  ByteSpan rest;
  EXPECT_FALSE(stripBodyPrefixes(cutFrame(compressed.data(), compressed.size(), 4).frame, rest).ok());
  auto warning = responseFrame(0x08, {0, 5, 0, 200, 'a'}, 1, kFlagWarning);
  Status status = stripBodyPrefixes(cutFrame(warning.data(), warning.size(), 4).frame, rest);
  EXPECT_FALSE(status.ok());
  EXPECT_NE(status.message().find("warning"), std::string::npos);
}

TEST(Rows, DecodesCellsAndNulls) {
  std::string label("\x00\x00\x01\x02", 4);
  auto body = rowsBody(2, {{"data", label}, {"", ""}}, {{}, {false, true}});
  RowsResult rows;
  ASSERT_TRUE(decodeRows({body.data(), body.size()}, 4, 2, rows).ok());
  ASSERT_EQ(rows.rowCount, 2);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(rows.cells[0].bytes.data), rows.cells[0].bytes.size), "data");
  int32_t value = 0;
  ASSERT_TRUE(readIntCell(rows.cells[1], value).ok());
  EXPECT_EQ(value, 258);
  EXPECT_FALSE(rows.cells[2].null);
  EXPECT_EQ(rows.cells[2].bytes.size, 0u);
  EXPECT_TRUE(rows.cells[3].null);
  EXPECT_FALSE(readIntCell(rows.cells[3], value).ok());
}

TEST(Rows, SkipsFullMetadata) {
  std::vector<uint8_t> body;
  ByteWriter w(body);
  w.i32(2);
  w.i32(0x0001 | 0x0002);  // global table spec, has more pages
  w.i32(2);
  w.bytes(reinterpret_cast<const uint8_t*>("pg"), 2);
  w.string("ks");
  w.string("t");
  w.string("data");
  w.u16(0x0003);  // blob
  w.string("label");
  w.u16(0x0021);  // map<text, list<int>>
  w.u16(0x000d);
  w.u16(0x0020);
  w.u16(0x0009);
  w.i32(1);
  w.bytes(reinterpret_cast<const uint8_t*>("abc"), 3);
  w.i32(-1);
  RowsResult rows;
  Status status = decodeRows({body.data(), body.size()}, 4, 2, rows);
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_EQ(rows.cells[0].bytes.size, 3u);
  EXPECT_TRUE(rows.cells[1].null);
}

TEST(Rows, RejectsEveryMalformedClass) {
  auto check = [](std::vector<uint8_t> body, int32_t columns, const char* needle) {
    RowsResult rows;
    Status status = decodeRows({body.data(), body.size()}, 4, columns, rows);
    EXPECT_FALSE(status.ok()) << needle;
    EXPECT_NE(status.message().find(needle), std::string::npos) << status.message();
  };
  auto good = rowsBody(1, {{"abc"}});
  check({0, 0, 0}, 1, "result kind");
  check({0, 0, 0, 1}, 1, "kind 1");
  check(rowsBody(2, {{"a", "b"}}), 1, "2 columns");
  auto cellPastEnd = good;
  cellPastEnd[19] = 50;  // cell length 3 -> 50
  check(cellPastEnd, 1, "needs 50 bytes");
  auto negativeCell = good;
  negativeCell[16] = 0xff, negativeCell[17] = 0xff, negativeCell[18] = 0xff, negativeCell[19] = 0xfe;
  check(negativeCell, 1, "negative length -2");
  auto hugeRows = good;
  hugeRows[12] = 0x7f;
  check(hugeRows, 1, "row count");
  auto negativeRows = good;
  negativeRows[12] = 0x80;
  check(negativeRows, 1, "row count is -");
  auto manyRows = good;
  manyRows[15] = 200;
  check(manyRows, 1, "claims 200 rows");
  auto negativeColumns = good;
  negativeColumns[8] = 0xff;
  check(negativeColumns, 1, "column count");
  auto trailing = good;
  trailing.push_back(0);
  check(trailing, 1, "1 bytes before");
  auto truncated = good;
  truncated.resize(good.size() - 1);
  check(truncated, 1, "cell needs 3 bytes, 2 left");
  std::vector<uint8_t> deep;
  ByteWriter w(deep);
  w.i32(2);
  w.i32(0x0001);
  w.i32(1);
  w.string("k");
  w.string("t");
  w.string("c");
  for (int i = 0; i < 40; ++i) w.u16(0x0020);
  check(deep, 1, "nested deeper");
}

TEST(ServerErrors, DecodesCodeSpecificFields) {
  std::vector<uint8_t> body;
  ByteWriter w(body);
  w.i32(kReadTimeout);
  w.string("Operation timed out");
  w.u16(0x000a);
  w.i32(0);
  w.i32(1);
  w.u8(0);
  ServerError error;
  ASSERT_TRUE(decodeServerError({body.data(), body.size()}, 4, error).ok());
  EXPECT_EQ(error.code, kReadTimeout);
  EXPECT_EQ(error.sentence,
            "read timeout at LOCAL_ONE: 0 of 1 replicas responded (data not present): Operation timed out");

  body.clear();
  w.i32(kUnavailable);
  w.string("Cannot achieve consistency");
  w.u16(0x0004);
  w.i32(2);
  w.i32(1);
  ASSERT_TRUE(decodeServerError({body.data(), body.size()}, 4, error = {}).ok());
  EXPECT_EQ(error.sentence, "unavailable at QUORUM: 2 replicas required, 1 alive: Cannot achieve consistency");

  body.clear();
  w.i32(kWriteTimeout);
  w.string("w");
  w.u16(0x0001);
  w.i32(0);
  w.i32(1);
  w.string("SIMPLE");
  ASSERT_TRUE(decodeServerError({body.data(), body.size()}, 4, error = {}).ok());
  EXPECT_EQ(error.sentence, "write timeout at ONE: 0 of 1 replicas responded (write type SIMPLE): w");
}

TEST(ServerErrors, UnpreparedCarriesTheId) {
  std::vector<uint8_t> body;
  ByteWriter w(body);
  w.i32(kUnprepared);
  w.string("Prepared query with ID 0102 not found");
  w.shortBytes(reinterpret_cast<const uint8_t*>("\x01\x02"), 2);
  ServerError error;
  ASSERT_TRUE(decodeServerError({body.data(), body.size()}, 4, error).ok());
  EXPECT_EQ(error.unpreparedId, (std::vector<uint8_t>{1, 2}));
  EXPECT_NE(error.sentence.find("statement id 0102"), std::string::npos);
}

TEST(ServerErrors, RejectsTruncatedBodies) {
  std::vector<uint8_t> body;
  ByteWriter w(body);
  w.i32(kReadTimeout);
  w.string("m");
  w.u16(1);
  ServerError error;
  Status status = decodeServerError({body.data(), body.size()}, 4, error);
  EXPECT_FALSE(status.ok());
  EXPECT_NE(status.message().find("read timeout"), std::string::npos);
  std::vector<uint8_t> badMessage = {0, 0, 0, 0, 0, 9, 'a'};
  EXPECT_FALSE(decodeServerError({badMessage.data(), badMessage.size()}, 4, error).ok());
}

TEST(Requests, EncodesExecuteV4) {
  std::vector<uint8_t> out;
  uint8_t id[] = {0xaa, 0xbb};
  uint8_t key[16] = {1};
  encodeExecute(out, 4, 7, {{id, 2}, {}, 0x000a, {key, 16}});
  std::vector<uint8_t> expected = {0x04, 0, 0, 7, 0x0a, 0, 0, 0, 2 + 2 + 2 + 1 + 2 + 4 + 16, 0, 2, 0xaa, 0xbb, 0,
                                   0x0a, 0x03, 0, 1, 0, 0, 0, 16};
  expected.insert(expected.end(), key, key + 16);
  EXPECT_EQ(out, expected);
}

TEST(Requests, EncodesExecuteV5WithMetadataIdAndIntFlags) {
  std::vector<uint8_t> out;
  uint8_t id[] = {0xaa};
  uint8_t meta[] = {0xcc};
  uint8_t key[1] = {9};
  encodeExecute(out, 5, 1, {{id, 1}, {meta, 1}, 0x0001, {key, 1}});
  std::vector<uint8_t> expected = {0x05, 0, 0, 1, 0x0a, 0, 0, 0, 3 + 3 + 2 + 4 + 2 + 5, 0, 1, 0xaa, 0, 1, 0xcc, 0,
                                   1, 0, 0, 0, 3, 0, 1, 0, 0, 0, 1, 9};
  EXPECT_EQ(out, expected);
}

TEST(Requests, EncodesStartupAuthAndOptions) {
  std::vector<uint8_t> out;
  encodeStartup(out, 4, 0);
  ByteReader startup(out.data() + kHeaderSize, out.size() - kHeaderSize);
  uint16_t entries = 0;
  std::string key, value;
  startup.u16(entries, "n");
  startup.string(key, "k");
  startup.string(value, "v");
  EXPECT_EQ(entries, 1);
  EXPECT_EQ(key, "CQL_VERSION");
  EXPECT_EQ(value, "3.0.0");
  EXPECT_EQ(startup.remaining(), 0u);

  out.clear();
  encodeAuthResponsePlain(out, 4, 3, "cassandra", "pw");
  std::vector<uint8_t> token = {0, 0, 0, 13, 0, 'c', 'a', 's', 's', 'a', 'n', 'd', 'r', 'a', 0, 'p', 'w'};
  EXPECT_EQ(out[4], 0x0f);
  EXPECT_EQ(std::vector<uint8_t>(out.begin() + kHeaderSize, out.end()), token);

  out.clear();
  encodeOptions(out, 4, 2);
  EXPECT_EQ(out, (std::vector<uint8_t>{4, 0, 0, 2, 5, 0, 0, 0, 0}));
}

TEST(Murmur3, MatchesCassandraForUuids) {
  // Vectors from `SELECT token(id)` on Cassandra 5.0.8 (the vitest suite checks live keys too).
  struct Vector {
    const char* uuid;
    int64_t token;
  };
  const Vector vectors[] = {
      {"00000000-0000-0000-0000-000000000000", 5457549051747178710LL},
      {"ffffffff-ffff-ffff-ffff-ffffffffffff", -2824192546314762522LL},
      {"00112233-4455-6677-8899-aabbccddeeff", 5713842290320563023LL},
      {"a0b1c2d3-e4f5-4607-8899-0a1b2c3d4e5f", -4011105806991455424LL},
  };
  for (const auto& v : vectors) {
    auto key = uuidBytes(v.uuid);
    EXPECT_EQ(murmur3Token(key.data(), key.size()), v.token) << v.uuid;
  }
}

TEST(Murmur3, SignExtendsTailBytesLikeCassandra) {
  // Blob keys with tail bytes >= 0x80, where reference MurmurHash3 disagrees with Cassandra.
  auto ff = fromHex("ff");
  auto mixed = fromHex("00ff80");
  auto long31 = fromHex("0102030405060708090a0b0c0d0e0f10f1f2f3f4f5f6f7f8f9fafbfcfdfe");
  EXPECT_EQ(murmur3Token(ff.data(), ff.size()), -4442228696663692417LL);
  EXPECT_EQ(murmur3Token(mixed.data(), mixed.size()), 1518254682020449142LL);
  EXPECT_EQ(murmur3Token(long31.data(), long31.size()), -5481951681174106018LL);
}
