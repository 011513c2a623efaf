#include "cell_locator.h"

#include "frame.h"
#include "opcodes.h"

namespace cassdl::protocol {

namespace {

int32_t i32At(const uint8_t* p) {
  return static_cast<int32_t>((uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | uint32_t{p[3]});
}

constexpr int32_t kHasMorePages = 0x0002;
constexpr int32_t kNoMetadata = 0x0004;
constexpr int32_t kMetadataChanged = 0x0008;

/**
 * Rows without metadata whose first row follows the column count at once:
 * no paging state, no new metadata id. Cassandra sets Global_tables_spec
 * too (0x0005), which says nothing when there is no metadata.
 */
bool cellFollowsCount(int32_t flags) {
  return (flags & kNoMetadata) != 0 && (flags & (kHasMorePages | kMetadataChanged)) == 0;
}

}  // namespace

CellLocation locateFirstCell(const uint8_t* frame, size_t available) {
  CellLocation location;
  if (available < kCellPrefixSize) return location;
  location.outcome = CellLocation::Outcome::kNo;
  int32_t length = i32At(frame + 5);
  if (frame[1] != 0 || frame[4] != static_cast<uint8_t>(Opcode::kResult) || length < 0) return location;
  const uint8_t* body = frame + kHeaderSize;
  int32_t cell = i32At(body + 16);
  bool shape = i32At(body) == kResultRows && cellFollowsCount(i32At(body + 4)) && i32At(body + 8) >= 1 &&
               i32At(body + 12) == 1 && cell >= 0;
  // The cell must end inside the frame; the frame's own checks come later.
  if (!shape || length < 20 || cell > length - 20) return location;
  location.outcome = CellLocation::Outcome::kFound;
  location.offset = kCellPrefixSize;
  location.size = static_cast<size_t>(cell);
  return location;
}

}  // namespace cassdl::protocol
