// A connection's PREPARE of the row read: the answer read into an id, or
// into one sentence naming the query when the server refuses it.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "../../src/net/statement_prepare.h"
#include "../../src/protocol/byte_writer.h"
#include "frame_builder.h"

using namespace cassdl;
using cassdl::testing::preparedBody;
using cassdl::testing::responseFrame;

namespace {

const std::string kQuery = R"(SELECT "data" FROM "ks"."t" WHERE "id" = ?)";

protocol::Frame frameOf(const std::vector<uint8_t>& bytes) {
  protocol::CutResult cut = protocol::cutFrame(bytes.data(), bytes.size(), 4);
  EXPECT_EQ(cut.outcome, protocol::CutOutcome::kFrame);
  return cut.frame;
}

}  // namespace

TEST(StatementPrepare, EncodesThePrepareAndKeepsTheIdItGets) {
  net::StatementPrepare prepare(kQuery);
  std::vector<uint8_t> out;
  prepare.begin(out, 4, 7);
  EXPECT_TRUE(prepare.pending());
  ASSERT_EQ(out.size(), 9 + 4 + kQuery.size());
  EXPECT_EQ(out[4], 0x09);  // PREPARE
  EXPECT_EQ(out[3], 7);     // on the stream asked for
  EXPECT_EQ(std::string(out.begin() + 13, out.end()), kQuery);
  auto answer = responseFrame(0x08, preparedBody({5, 6}, {{"data", protocol::kTypeBlob}}), 7);
  net::PrepareOutcome outcome = prepare.finish(frameOf(answer), 4, "h:9042");
  ASSERT_TRUE(outcome.ok) << outcome.reason;
  EXPECT_FALSE(prepare.pending());
  EXPECT_EQ(prepare.result().id, (std::vector<uint8_t>{5, 6}));
  EXPECT_EQ(prepare.epoch(), 1u);
  prepare.reset();  // a new socket: nothing prepared on it, the epoch goes on
  EXPECT_FALSE(prepare.prepared());
  EXPECT_EQ(prepare.epoch(), 1u);
}

TEST(StatementPrepare, ARefusalNamesTheQueryHostAndServerReason) {
  net::StatementPrepare prepare(kQuery);
  std::vector<uint8_t> out;
  prepare.begin(out, 4, 0);
  std::vector<uint8_t> body;
  protocol::ByteWriter w(body);
  w.i32(0x2200);
  w.string("unconfigured table t");
  net::PrepareOutcome outcome = prepare.finish(frameOf(responseFrame(0x00, body, 0)), 4, "h:9042");
  EXPECT_FALSE(outcome.ok);
  EXPECT_EQ(outcome.serverCode, 0x2200);
  EXPECT_NE(outcome.reason.find("preparing the row read `" + kQuery + "` on h:9042 failed"), std::string::npos)
      << outcome.reason;
  EXPECT_NE(outcome.reason.find("unconfigured table t"), std::string::npos) << outcome.reason;
  EXPECT_EQ(prepare.epoch(), 0u);
}

TEST(StatementPrepare, AnyOtherAnswerIsAFailureNotACrash) {
  net::StatementPrepare prepare(kQuery);
  std::vector<uint8_t> out;
  prepare.begin(out, 4, 0);
  EXPECT_NE(prepare.finish(frameOf(responseFrame(0x02, {}, 0)), 4, "h").reason.find("opcode 2"), std::string::npos);
  prepare.begin(out, 4, 0);
  auto rows = responseFrame(0x08, {0, 0, 0, 2, 0, 0, 0, 4}, 0);
  EXPECT_NE(prepare.finish(frameOf(rows), 4, "h").reason.find("expected Prepared"), std::string::npos);
  EXPECT_FALSE(prepare.prepared());
}
