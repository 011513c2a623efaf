#include <gtest/gtest.h>

#include <cerrno>
#include <cstring>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "../../src/net/frame_receiver.h"
#include "../../src/protocol/opcodes.h"
#include "../../src/protocol/rows.h"
#include "frame_builder.h"

using cassdl::net::CellTarget;
using cassdl::net::FrameHandler;
using cassdl::net::FrameReceiver;
namespace protocol = cassdl::protocol;
namespace testing_ = cassdl::testing;

namespace {

std::vector<uint8_t> rowFrame(int16_t stream, size_t size, char fill, bool label = true) {
  std::vector<std::string> cells{std::string(size, fill)};
  if (label) cells.emplace_back("\x00\x00\x00\x07", 4);
  return testing_::responseFrame(static_cast<uint8_t>(protocol::Opcode::kResult),
                                 testing_::rowsBody(label ? 2 : 1, {cells}), stream);
}

/** Every frame as the handler saw it, with a placed cell put back where its bytes were. */
class Recorder final : public FrameHandler {
 public:
  std::set<int16_t> refuse;    // streams without a target
  std::set<int16_t> unwanted;  // streams whose cell is given up once reading starts
  std::vector<std::vector<uint8_t>> frames;
  std::vector<bool> placed;
  std::vector<std::vector<uint8_t>> targets;

  CellTarget placeCell(int16_t stream, size_t size) override {
    if (refuse.count(stream)) return {};
    targets.emplace_back(size);
    return {targets.back().data(), nullptr};
  }
  bool cellWanted(int16_t stream) override { return !unwanted.count(stream); }
  bool onFrame(const protocol::Frame& frame, const protocol::ByteSpan* cell) override {
    std::vector<uint8_t> bytes(protocol::kHeaderSize);
    bytes[0] = 0x84;
    bytes[1] = frame.header.flags;
    bytes[2] = static_cast<uint8_t>(frame.header.stream >> 8);
    bytes[3] = static_cast<uint8_t>(frame.header.stream);
    bytes[4] = frame.header.opcode;
    uint32_t length = static_cast<uint32_t>(frame.header.length);
    for (int i = 0; i < 4; ++i) bytes[5 + i] = static_cast<uint8_t>(length >> (24 - 8 * i));
    const uint8_t* body = frame.body.data;
    // The body keeps the cell's length field (the first 20 bytes) and lacks its bytes.
    if (cell != nullptr) {
      bytes.insert(bytes.end(), body, body + 20);
      bytes.insert(bytes.end(), cell->data, cell->data + cell->size);
      bytes.insert(bytes.end(), body + 20, body + frame.body.size);
      protocol::RowsResult rows;
      int32_t columns = body[11];
      EXPECT_TRUE(protocol::decodeRows(frame.body, 4, columns, rows, cell).ok());
      EXPECT_EQ(rows.cells[0].bytes.data, cell->data);
    } else {
      bytes.insert(bytes.end(), body, body + frame.body.size);
    }
    frames.push_back(std::move(bytes));
    placed.push_back(cell != nullptr);
    return true;
  }
  bool onDiscarded(int16_t stream) override {
    discarded.push_back(stream);
    return true;
  }
  void onMalformed(const std::string& reason) override { ADD_FAILURE() << reason; }
  std::vector<int16_t> discarded;
};

/** A byte source that hands out `stream` in pieces of the given sizes (cycled), then would block. */
struct Pieces {
  const std::vector<uint8_t>& bytes;
  std::vector<size_t> sizes;
  size_t at = 0;
  size_t turn = 0;

  ssize_t operator()(const iovec* iov, int count) {
    if (at == bytes.size()) {
      errno = EAGAIN;
      return -1;
    }
    size_t budget = std::min(sizes[turn++ % sizes.size()], bytes.size() - at);
    size_t done = 0;
    for (int i = 0; i < count && done < budget; ++i) {
      size_t n = std::min(budget - done, iov[i].iov_len);
      std::memcpy(iov[i].iov_base, bytes.data() + at + done, n);
      done += n;
    }
    at += done;
    return static_cast<ssize_t>(done);
  }
};

std::vector<uint8_t> concat(const std::vector<std::vector<uint8_t>>& frames) {
  std::vector<uint8_t> out;
  for (const auto& f : frames) out.insert(out.end(), f.begin(), f.end());
  return out;
}

void receiveAll(FrameReceiver& receiver, Recorder& recorder, Pieces& source, bool vectored) {
  while (source.at < source.bytes.size()) {
    ASSERT_EQ(receiver.pump(std::ref(source), recorder, vectored), FrameReceiver::Outcome::kWouldBlock);
  }
}

std::vector<std::vector<uint8_t>> mixedFrames() {
  std::vector<std::vector<uint8_t>> frames;
  frames.push_back(rowFrame(1, 70000, 'a'));
  frames.push_back(rowFrame(2, 100, 'b'));  // small: read the ordinary way
  frames.push_back(rowFrame(3, 50000, 'c'));
  frames.push_back(testing_::responseFrame(static_cast<uint8_t>(protocol::Opcode::kError),
                                           {0, 0, 0x10, 0x01, 0, 2, 'n', 'o'}, 4));
  frames.push_back(rowFrame(5, 40000, 'd', false));
  frames.push_back(rowFrame(6, 120000, 'e'));
  return frames;
}

}  // namespace

TEST(FrameReceiver, DeliversTheSameFramesWhateverTheSplitsAndPlacesLargeCells) {
  auto frames = mixedFrames();
  std::vector<uint8_t> bytes = concat(frames);
  for (bool vectored : {true, false}) {
    for (std::vector<size_t> sizes : std::vector<std::vector<size_t>>{
             {1}, {7, 1, 4096}, {300000}, {29, 30, 31}, {65536, 3}, {1 << 20}}) {
      FrameReceiver receiver(4);
      Recorder recorder;
      Pieces source{bytes, sizes};
      receiveAll(receiver, recorder, source, vectored);
      ASSERT_EQ(recorder.frames, frames) << "splits " << sizes[0] << " vectored " << vectored;
    }
  }
}

TEST(FrameReceiver, ReadsMostOfEachLargeCellStraightIntoItsTarget) {
  std::vector<std::vector<uint8_t>> frames;
  for (int16_t i = 0; i < 20; ++i) frames.push_back(rowFrame(i, 110000, static_cast<char>('a' + i)));
  std::vector<uint8_t> bytes = concat(frames);
  FrameReceiver receiver(4);
  Recorder recorder;
  Pieces source{bytes, {1 << 22}};  // everything is in the socket at once
  receiveAll(receiver, recorder, source, true);
  ASSERT_EQ(recorder.frames, frames);
  // After the first big read, each cell but the first arrives by readv into its target.
  EXPECT_GE(receiver.placedBytes(), 18u * 100000);
  EXPECT_GE(std::count(recorder.placed.begin(), recorder.placed.end(), true), 18);
}

TEST(FrameReceiver, SplitAtEveryByteOfTheCellPrefixStillPlacesTheCell) {
  auto frame = rowFrame(9, 40000, 'z');
  for (size_t cut = 1; cut < 64; ++cut) {
    FrameReceiver receiver(4);
    Recorder recorder;
    Pieces source{frame, {cut, 50, 1 << 20}};
    receiveAll(receiver, recorder, source, true);
    ASSERT_EQ(recorder.frames.size(), 1u);
    EXPECT_EQ(recorder.frames[0], frame) << cut;
    EXPECT_TRUE(recorder.placed[0]) << cut;
  }
}

TEST(FrameReceiver, PlacesTheCellOfCassandrasRowsFlagsButNotOfPagedOrChangedMetadata) {
  // Cassandra answers a prepared row read with Global_tables_spec | No_metadata.
  for (int32_t flags : {0x0004, 0x0005, 0x0006, 0x000C}) {
    std::vector<std::string> cells{std::string(40000, 'f'), std::string("\x00\x00\x00\x07", 4)};
    auto frame = testing_::responseFrame(static_cast<uint8_t>(protocol::Opcode::kResult),
                                         testing_::rowsBody(2, {cells}, {}, flags), 3);
    FrameReceiver receiver(4);
    Recorder recorder;
    Pieces source{frame, {100, 1 << 20}};
    receiveAll(receiver, recorder, source, true);
    ASSERT_EQ(recorder.frames.size(), 1u);
    EXPECT_EQ(recorder.frames[0], frame) << flags;
    bool cellFollowsCount = (flags & 0x000A) == 0;
    EXPECT_EQ(recorder.placed[0], cellFollowsCount) << flags;
  }
}

TEST(FrameReceiver, ReadsTheOrdinaryWayWithoutATargetAndDiscardsAnUnwantedCell) {
  auto frames = mixedFrames();
  std::vector<uint8_t> bytes = concat(frames);
  FrameReceiver receiver(4);
  Recorder recorder;
  recorder.refuse = {1};
  recorder.unwanted = {3, 6};
  Pieces source{bytes, {4096}};
  receiveAll(receiver, recorder, source, true);
  // The given-up cells end as discards (their bytes read and dropped); every other frame arrives whole.
  EXPECT_EQ(recorder.discarded, (std::vector<int16_t>{3, 6}));
  ASSERT_EQ(recorder.frames.size(), frames.size() - 2);
  EXPECT_EQ(recorder.frames[0], frames[0]);
  EXPECT_FALSE(recorder.placed[0]);
  EXPECT_EQ(recorder.frames[1], frames[1]);
  EXPECT_EQ(recorder.frames[2], frames[3]);
  EXPECT_EQ(recorder.frames[3], frames[4]);
}

TEST(FrameReceiver, RandomSplitsOfManyFrames) {
  std::mt19937 random(7);
  std::vector<std::vector<uint8_t>> frames;
  for (int16_t i = 0; i < 60; ++i) {
    size_t size = (random() % 3 == 0) ? random() % 2000 : 16000 + random() % 90000;
    frames.push_back(rowFrame(i, size, static_cast<char>(random())));
  }
  std::vector<uint8_t> bytes = concat(frames);
  std::vector<size_t> sizes;
  for (int i = 0; i < 97; ++i) sizes.push_back(1 + random() % 70000);
  for (bool vectored : {true, false}) {
    FrameReceiver receiver(4);
    Recorder recorder;
    Pieces source{bytes, sizes};
    receiveAll(receiver, recorder, source, vectored);
    ASSERT_EQ(recorder.frames, frames);
  }
}
