// Writes the seed corpora: for frame_fuzzer (argv[1]), well-formed frames of
// every kind the data plane reads, then each malformed class the parser must
// refuse; for prepared_fuzzer (argv[2]), RESULT Prepared bodies.
// Run by scripts/fuzz.sh --regen-corpus; the output is committed.
#include <fstream>
#include <string>
#include <vector>

#include "../src/protocol/byte_writer.h"
#include "../test/native/frame_builder.h"

using cassdl::protocol::ByteWriter;
using cassdl::testing::preparedBody;
using cassdl::testing::responseFrame;
using cassdl::testing::rowsBody;

namespace {

void write(const std::string& dir, const std::string& name, uint8_t selector, const std::vector<uint8_t>& frame) {
  std::ofstream out(dir + "/" + name, std::ios::binary);
  out.put(static_cast<char>(selector));
  out.write(reinterpret_cast<const char*>(frame.data()), static_cast<std::streamsize>(frame.size()));
}

std::vector<uint8_t> errorBody(int32_t code, bool withDetails) {
  std::vector<uint8_t> body;
  ByteWriter w(body);
  w.i32(code);
  w.string("message");
  if (withDetails) {
    w.u16(0x000a);
    w.i32(0);
    w.i32(1);
    w.u8(0);
  }
  return body;
}

/** RESULT Prepared bodies (selector bit 0: v5), well-formed and each malformed class. */
void writePreparedSeeds(const std::string& dir) {
  auto v4 = preparedBody({1, 2, 3, 4}, {{"data", 0x0003}, {"label", 0x0009}});
  write(dir, "prepared-v4", 0, v4);
  write(dir, "prepared-v4-1col", 0, preparedBody({9}, {{"data", 0x0003}}));
  write(dir, "prepared-v5", 1, preparedBody({1, 2, 3, 4}, {{"data", 0x0003}}, 5, {7, 7}));
  auto truncated = v4;
  truncated.resize(v4.size() - 3);
  write(dir, "prepared-truncated", 0, truncated);
  auto hugeColumns = v4;
  hugeColumns[40] = 0x7f;
  write(dir, "prepared-huge-columns", 0, hugeColumns);
}

}  // namespace

int main(int argc, char** argv) {
  std::string dir = argc > 1 ? argv[1] : "fuzz/corpus";
  auto rows1 = rowsBody(1, {{"payload"}});
  auto rows2 = rowsBody(2, {{"payload", std::string("\0\0\0\7", 4)}});
  write(dir, "rows-1col", 0, responseFrame(0x08, rows1));
  write(dir, "rows-2col", 2, responseFrame(0x08, rows2));
  write(dir, "rows-null", 0, responseFrame(0x08, rowsBody(1, {{""}}, {{true}})));
  write(dir, "rows-empty", 0, responseFrame(0x08, rowsBody(1, {})));
  write(dir, "ready", 0, responseFrame(0x02, {}));
  write(dir, "error-read-timeout", 0, responseFrame(0x00, errorBody(0x1200, true)));
  write(dir, "error-unprepared", 0, responseFrame(0x00, {0, 0, 0x25, 0, 0, 1, 'm', 0, 2, 1, 2}));
  write(dir, "error-truncated", 0, responseFrame(0x00, errorBody(0x1200, false)));
  auto warned = std::vector<uint8_t>{0, 1, 0, 1, 'w'};
  warned.insert(warned.end(), rows1.begin(), rows1.end());
  write(dir, "rows-warning", 0, responseFrame(0x08, warned, 1, 0x08));
  // Malformed classes.
  auto full = responseFrame(0x08, rows1);
  write(dir, "truncated-header", 0, {full.begin(), full.begin() + 5});
  write(dir, "truncated-body", 0, {full.begin(), full.end() - 3});
  auto past = full;
  past[9 + 16 + 3] = 0x7f;  // cell length far past the end
  write(dir, "cell-past-end", 0, past);
  auto negative = full;
  negative[9 + 16] = 0xff;  // cell length negative (not -1)
  write(dir, "cell-negative", 0, negative);
  auto negativeFrame = full;
  negativeFrame[5] = 0x80;
  write(dir, "frame-negative-length", 0, negativeFrame);
  auto opcode = full;
  opcode[4] = 0x7e;
  write(dir, "wrong-opcode", 0, opcode);
  auto huge = full;
  huge[9 + 12] = 0x00, huge[9 + 13] = 0x0f, huge[9 + 14] = 0xff, huge[9 + 15] = 0xff;
  write(dir, "huge-row-count", 0, huge);
  auto twoFrames = full;
  twoFrames.insert(twoFrames.end(), full.begin(), full.end());
  write(dir, "two-frames", 0, twoFrames);
  writePreparedSeeds(argc > 2 ? argv[2] : "fuzz/corpus-prepared");
  return 0;
}
