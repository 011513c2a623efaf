// One fetch(keys) call while the I/O thread works on it: a request per key,
// where each row's bytes landed in the arena, and the flat output handed to
// JS when every row is settled.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "arena.h"
#include "batch_ring.h"
#include "row_request.h"

namespace cassdl::io {

struct RowOutcome {
  const uint8_t* data = nullptr;
  uint32_t size = 0;
  const uint8_t* label = nullptr;
  uint32_t labelSize = 0;
  int32_t intLabel = 0;
  bool missing = false;
  /** Answered (or skipped as missing). */
  bool settled = false;
  /** Its data is already in the job's output buffer. */
  bool placed = false;
  /** Answered early, and written straight to its final offset in the output (uniform sizes). */
  bool early = false;
};

struct FetchJob {
  uint64_t ticket = 0;
  std::vector<uint8_t> keys;
  std::vector<RowRequest> requests;
  std::vector<RowOutcome> rows;
  Arena arena;
  /**
   * Where the batch is assembled: a ring slot (leased fetches) or `own`
   * (interactive ones, handed to JS for good). Its data block holds row
   * data in key order, filled as the contiguous prefix of settled rows
   * grows: a row answered in order is copied once, straight from the socket
   * buffer; one answered early waits in the arena until its turn (unless
   * sizes are uniform: see `uniformSize`).
   */
  RingSlot* slot = nullptr;
  uint32_t slotIndex = 0;
  bool leased = false;
  /** The slot is back in the ring (failed or silent): never touch it again. */
  bool slotReturned = false;
  std::unique_ptr<RingSlot> own;
  size_t outUsed = 0;
  size_t nextInOrder = 0;
  /**
   * While every row answered so far has this size (and none is missing), a
   * row answered early is written straight to `index * uniformSize` in
   * the data block, which is its final offset: fixed-size samples (tensors, the
   * usual case) are copied once whatever order they arrive in. 0: not yet
   * known; `uniformBroken`: sizes differ, early rows wait in the arena.
   */
  size_t uniformSize = 0;
  bool uniformBroken = false;

  /**
   * Row-level ooo (FetchOptions.oooGroup): fetches of one group share their
   * rows. Any row of the group, whichever job's request read it, fills the
   * oldest unfinished job of the group at position `filled` (arrival order),
   * so `outKeys` holds the ids in that order. A grouped job's requests keep
   * feeding the group after the job itself was completed or failed.
   */
  bool grouped = false;
  int64_t group = 0;
  size_t filled = 0;
  std::vector<uint8_t> outKeys;

  explicit FetchJob(ChunkPool* pool) : arena(pool) {}
  size_t unsettled = 0;
  /** Requests queued or on the wire; the job is freed when it is finished and this reaches 0. */
  size_t live = 0;
  bool finished = false;

  size_t count() const { return keys.size() / 16; }
  const uint8_t* key(size_t i) const { return keys.data() + 16 * i; }
  /** The id of output row `i`: its own key, or with a group the key of the i-th row to arrive. */
  const uint8_t* outKey(size_t i) const { return grouped ? outKeys.data() + 16 * i : key(i); }
  /** Its requests are abandoned: a grouped job's requests still feed the group until the plane stops. */
  bool abandoned(bool stopping) const { return finished && (!grouped || stopping); }
};

}  // namespace cassdl::io
