// The batch assembler on its own: rows handed to it in chosen orders, sizes
// and outcomes, the outputs read back as JS would read them.
#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "../../src/io/batch_assembler.h"
#include "fetch_output_reader.h"

using namespace cassdl;
using io::AssemblyConfig;
using io::BatchAssembler;
using io::ErrorInfo;
using io::FetchJob;
using io::FetchOutput;
using io::LabelKind;
using io::RowCells;
using fixtures::readOutput;

namespace {

using Bytes = std::vector<uint8_t>;

Bytes keyOf(int id) {
  Bytes key(16, 0);
  key[0] = 0x10;
  key[15] = static_cast<uint8_t>(id);
  key[14] = static_cast<uint8_t>(id >> 8);
  return key;
}

Bytes keysOf(const std::vector<int>& ids) {
  Bytes keys;
  for (int id : ids) {
    Bytes key = keyOf(id);
    keys.insert(keys.end(), key.begin(), key.end());
  }
  return keys;
}

/** The row a test server would hold for `id`: `size` bytes derived from it. */
Bytes rowOf(int id, size_t size) {
  Bytes row(size);
  for (size_t i = 0; i < size; ++i) row[i] = static_cast<uint8_t>(id * 31 + i);
  return row;
}

struct Result {
  std::unique_ptr<FetchOutput> output;
  std::optional<ErrorInfo> error;
  int calls = 0;
};

class Recorder final : public io::AssemblySink {
 public:
  std::map<uint64_t, Result> results;
  void fetched(uint64_t ticket, std::unique_ptr<FetchOutput> output, std::optional<ErrorInfo> error) override {
    Result& result = results[ticket];
    ++result.calls;
    result.output = std::move(output);
    result.error = std::move(error);
  }
};

class Assembler : public ::testing::Test {
 protected:
  void make(AssemblyConfig config = {}) {
    config.table = "ks.t";
    assembler_ = std::make_unique<BatchAssembler>(config, stats_, sink_);
  }
  void SetUp() override { make(); }

  void answer(FetchJob* job, size_t index, const Bytes& data, int32_t intLabel = 0, const Bytes& label = {}) {
    RowCells cells{data.data(), data.size(), label.data(), label.size(), intLabel};
    assembler_->arrived(&job->requests[index], cells);
  }
  /** Answers row `index` of a fetch of `ids` with its row of `size` bytes. */
  void answerRow(FetchJob* job, const std::vector<int>& ids, size_t index, size_t size) {
    answer(job, index, rowOf(ids[index], size));
  }

  io::PlaneStats stats_;
  Recorder sink_;
  std::unique_ptr<BatchAssembler> assembler_;
};

TEST_F(Assembler, RowsInKeyOrderMakeOneContiguousBatch) {
  std::vector<int> ids{1, 2, 3};
  FetchJob* job = assembler_->open(7, keysOf(ids), false, std::nullopt);
  ASSERT_NE(job, nullptr);
  for (size_t i = 0; i < ids.size(); ++i) answerRow(job, ids, i, 10 + i);
  ASSERT_EQ(sink_.results.count(7), 1u);
  Result& result = sink_.results[7];
  EXPECT_EQ(result.calls, 1);
  ASSERT_TRUE(result.output);
  auto read = readOutput(*result.output);
  ASSERT_TRUE(read.ok) << read.problem;
  ASSERT_EQ(read.rows.size(), 3u);
  for (size_t i = 0; i < ids.size(); ++i) {
    EXPECT_EQ(read.rows[i].key, keyOf(ids[i]));
    EXPECT_EQ(read.rows[i].data, rowOf(ids[i], 10 + i));
  }
  EXPECT_EQ(assembler_->jobCount(), 0u);  // every request settled: the job is freed
  EXPECT_EQ(stats_.rows.load(), 3u);
}

TEST_F(Assembler, EarlyRowsOfOneSizeGoStraightToTheirOffsetWithoutTheArena) {
  std::vector<int> ids{1, 2, 3, 4};
  FetchJob* job = assembler_->open(1, keysOf(ids), true, std::nullopt);
  for (size_t i = ids.size(); i-- > 1;) answerRow(job, ids, i, 64);
  EXPECT_EQ(assembler_->chunks().bytes(), 0u);  // nothing parked: written at index * 64
  answerRow(job, ids, 0, 64);
  auto read = readOutput(*sink_.results[1].output);
  ASSERT_TRUE(read.ok) << read.problem;
  for (size_t i = 0; i < ids.size(); ++i) EXPECT_EQ(read.rows[i].data, rowOf(ids[i], 64));
}

TEST_F(Assembler, EarlyRowsMoveToTheArenaWhenSizesTurnOutToDiffer) {
  std::vector<int> ids{1, 2, 3, 4};
  FetchJob* job = assembler_->open(1, keysOf(ids), false, std::nullopt);
  answerRow(job, ids, 3, 64);
  answerRow(job, ids, 2, 64);
  answerRow(job, ids, 1, 65);  // breaks the uniform layout: rows 2 and 3 leave their offsets
  EXPECT_EQ(assembler_->chunks().bytes(), 64u * 2 + 65);
  answerRow(job, ids, 0, 3);
  auto read = readOutput(*sink_.results[1].output);
  ASSERT_TRUE(read.ok) << read.problem;
  EXPECT_EQ(read.rows[0].data, rowOf(1, 3));
  EXPECT_EQ(read.rows[1].data, rowOf(2, 65));
  EXPECT_EQ(read.rows[2].data, rowOf(3, 64));
  EXPECT_EQ(read.rows[3].data, rowOf(4, 64));
  EXPECT_EQ(assembler_->chunks().bytes(), 0u);  // the arena is cleared once the batch is complete
}

TEST_F(Assembler, ACellReadIntoItsSpotIsNotCopiedAgain) {
  std::vector<int> ids{1, 2, 3};
  FetchJob* job = assembler_->open(1, keysOf(ids), true, std::nullopt);
  answerRow(job, ids, 0, 100);  // sets the uniform size and reserves the batch
  io::CellSpot spot = assembler_->cellSpot(job->requests[2], 100);
  ASSERT_NE(spot.at, nullptr);
  Bytes row = rowOf(3, 100);
  std::memcpy(spot.at, row.data(), row.size());  // what the receiver does, reading from the socket
  ASSERT_TRUE(assembler_->spotHolds(job->requests[2]));
  assembler_->arrived(&job->requests[2], RowCells{spot.at, 100}, 100);
  EXPECT_EQ(assembler_->cellSpot(job->requests[1], 99).at, nullptr);  // another size has no spot
  answerRow(job, ids, 1, 100);
  auto read = readOutput(*sink_.results[1].output);
  ASSERT_TRUE(read.ok) << read.problem;
  EXPECT_EQ(read.rows[2].data, row);
  EXPECT_EQ(stats_.placedBytes.load(), 100u);
}

TEST_F(Assembler, AMissingRowFailsTheFetchNamingItUnlessSkipped) {
  std::vector<int> ids{1, 2};
  FetchJob* job = assembler_->open(1, keysOf(ids), true, std::nullopt);
  assembler_->missing(&job->requests[1], "null data");
  ASSERT_TRUE(sink_.results[1].error);
  EXPECT_EQ(sink_.results[1].error->code, "ERR_CASSDL_MISSING_ROW");
  EXPECT_EQ(sink_.results[1].error->reason, "null data");
  EXPECT_EQ(assembler_->ring().stats().busy, 0u);  // the failed fetch's slot is back at once
  EXPECT_TRUE(assembler_->abandoned(job->requests[0]));
  assembler_->release(&job->requests[0]);
  EXPECT_EQ(assembler_->jobCount(), 0u);
  EXPECT_EQ(sink_.results[1].calls, 1);
}

TEST_F(Assembler, SkippedMissingRowsAreListedAndTheRestMoveUp) {
  AssemblyConfig config;
  config.skipMissing = true;
  make(config);
  std::vector<int> ids{1, 2, 3};
  FetchJob* job = assembler_->open(1, keysOf(ids), false, std::nullopt);
  answerRow(job, ids, 2, 8);
  assembler_->missing(&job->requests[1], "no row");
  answerRow(job, ids, 0, 8);
  auto read = readOutput(*sink_.results[1].output);
  ASSERT_TRUE(read.ok) << read.problem;
  ASSERT_EQ(read.rows.size(), 2u);
  EXPECT_EQ(read.rows[1].key, keyOf(3));
  EXPECT_EQ(read.rows[1].data, rowOf(3, 8));
  ASSERT_EQ(read.missing.size(), 1u);
  EXPECT_EQ(read.missing[0], keyOf(2));
}

TEST_F(Assembler, IntAndBlobLabelsFollowTheirRows) {
  AssemblyConfig config;
  config.labelKind = LabelKind::kBlob;
  make(config);
  FetchJob* job = assembler_->open(1, keysOf({1, 2}), false, std::nullopt);
  answer(job, 1, rowOf(2, 5), 0, Bytes{9, 9});
  answer(job, 0, rowOf(1, 5), 0, Bytes{});
  auto read = readOutput(*sink_.results[1].output);
  ASSERT_TRUE(read.ok) << read.problem;
  EXPECT_EQ(read.rows[0].label, Bytes{});
  EXPECT_EQ(read.rows[1].label, (Bytes{9, 9}));

  config.labelKind = LabelKind::kInt;
  make(config);
  job = assembler_->open(2, keysOf({1, 2}), false, std::nullopt);
  answer(job, 1, rowOf(2, 5), -4);
  answer(job, 0, rowOf(1, 5), 12);
  read = readOutput(*sink_.results[2].output);
  EXPECT_EQ(read.rows[0].intLabel, 12);
  EXPECT_EQ(read.rows[1].intLabel, -4);
}

TEST_F(Assembler, AGroupFillsItsOldestFetchInArrivalOrder) {
  FetchJob* first = assembler_->open(1, keysOf({1, 2}), true, 5);
  FetchJob* second = assembler_->open(2, keysOf({3, 4}), true, 5);
  answerRow(second, {3, 4}, 1, 4);  // the second fetch's row fills the first fetch
  EXPECT_FALSE(sink_.results.count(1));
  answerRow(first, {1, 2}, 0, 4);
  ASSERT_TRUE(sink_.results[1].output);
  auto read = readOutput(*sink_.results[1].output);
  ASSERT_TRUE(read.ok) << read.problem;
  EXPECT_EQ(read.rows[0].key, keyOf(4));
  EXPECT_EQ(read.rows[0].data, rowOf(4, 4));
  EXPECT_EQ(read.rows[1].key, keyOf(1));
  EXPECT_FALSE(assembler_->abandoned(first->requests[1]));  // still feeds the group
  answerRow(first, {1, 2}, 1, 4);
  answerRow(second, {3, 4}, 0, 4);
  read = readOutput(*sink_.results[2].output);
  EXPECT_EQ(read.rows[0].key, keyOf(2));
  EXPECT_EQ(read.rows[1].key, keyOf(3));
  EXPECT_EQ(assembler_->jobCount(), 0u);
  EXPECT_EQ(assembler_->ring().stats().busy, 2u);  // both lent to the consumer
}

TEST_F(Assembler, AFailedGroupRowFailsTheFetchBeingFilledAndTheNextGoesOn) {
  FetchJob* first = assembler_->open(1, keysOf({1, 2}), false, 5);
  FetchJob* empty = assembler_->open(2, {}, false, 5);
  EXPECT_EQ(empty, nullptr);
  FetchJob* third = assembler_->open(3, keysOf({3}), false, 5);
  answerRow(first, {1, 2}, 0, 4);
  assembler_->failRow(&third->requests[0], io::makeError("ERR_CASSDL_SERVER", "boom"));
  ASSERT_TRUE(sink_.results[1].error);
  ASSERT_TRUE(sink_.results[2].output);  // the empty fetch completes once the one ahead of it finished
  EXPECT_EQ(sink_.results[2].output->size, 0u);
  answerRow(first, {1, 2}, 1, 4);  // goes to the third fetch
  auto read = readOutput(*sink_.results[3].output);
  ASSERT_TRUE(read.ok) << read.problem;
  EXPECT_EQ(read.rows[0].key, keyOf(2));
  EXPECT_EQ(assembler_->jobCount(), 0u);
}

TEST_F(Assembler, ClosingFailsWhatIsOutstandingOnce) {
  FetchJob* job = assembler_->open(1, keysOf({1, 2}), true, std::nullopt);
  answerRow(job, {1, 2}, 1, 4);
  assembler_->open(2, keysOf({1}), false, 3);
  assembler_->closeAll();
  EXPECT_EQ(sink_.results[1].error->code, "ERR_CASSDL_CLOSED");
  EXPECT_EQ(sink_.results[2].error->code, "ERR_CASSDL_CLOSED");
  EXPECT_EQ(assembler_->jobCount(), 0u);
  EXPECT_EQ(assembler_->ring().stats().busy, 0u);
}

TEST_F(Assembler, AnEmptyFetchCompletesAtOnce) {
  EXPECT_EQ(assembler_->open(1, {}, true, std::nullopt), nullptr);
  ASSERT_TRUE(sink_.results[1].output);
  EXPECT_EQ(sink_.results[1].output->size, 0u);
  EXPECT_EQ(assembler_->jobCount(), 0u);
}

}  // namespace
