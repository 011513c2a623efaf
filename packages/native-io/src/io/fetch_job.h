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
#include "error_info.h"
#include "owned_bytes.h"

namespace cassdl::net {
class Connection;
}

namespace cassdl::io {

struct FetchJob;
struct Replicas;

/** One row read: lives in its job, goes from queue to wire to done, possibly several times (retries). */
struct RowRequest {
  FetchJob* job = nullptr;
  uint32_t index = 0;
  const Replicas* replicas = nullptr;
  /** Next replica to try, as an offset into `replicas` (rotated to spread load). */
  size_t cursor = 0;
  int attempts = 0;
  std::vector<std::pair<std::string, std::string>> failures;
  net::Connection* connection = nullptr;
  int16_t stream = -1;
  uint64_t sentAtUs = 0;
  /** Bumped on every send, so stale timeout entries are recognised. */
  uint32_t generation = 0;
  bool onWire = false;
  /** Key of this send in the in-flight table (timeouts find it there). */
  uint64_t sequence = 0;
  int reprepares = 0;
};

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

enum class LabelKind { kNone = 0, kInt = 1, kBlob = 2 };

/** What a finished fetch hands to JS: the FetchedRows layout, already contiguous. */
struct FetchOutput {
  uint32_t size = 0;
  std::vector<uint8_t> ids;
  OwnedBytes data;
  std::vector<uint32_t> dataOffsets;
  LabelKind labelKind = LabelKind::kNone;
  std::vector<int32_t> intLabels;
  OwnedBytes labelData;
  std::vector<uint32_t> labelOffsets;
  std::vector<uint8_t> missing;
};

struct FetchJob {
  uint64_t ticket = 0;
  std::vector<uint8_t> keys;
  std::vector<RowRequest> requests;
  std::vector<RowOutcome> rows;
  Arena arena;
  /**
   * Row data in key order, filled as the contiguous prefix of settled rows
   * grows: a row answered in order is copied once, straight from the socket
   * buffer; one answered early waits in the arena until its turn (unless
   * sizes are uniform: see `uniformSize`).
   */
  OwnedBytes out;
  size_t outUsed = 0;
  size_t nextInOrder = 0;
  /**
   * While every row answered so far has this size (and none is missing), a
   * row answered early is written straight to `index * uniformSize` in
   * `out`, which is its final offset: fixed-size samples (tensors, the
   * usual case) are copied once whatever order they arrive in. 0: not yet
   * known; `uniformBroken`: sizes differ, early rows wait in the arena.
   */
  size_t uniformSize = 0;
  bool uniformBroken = false;

  explicit FetchJob(ChunkPool* pool) : arena(pool) {}
  size_t unsettled = 0;
  /** Requests queued or on the wire; the job is freed when it is finished and this reaches 0. */
  size_t live = 0;
  bool finished = false;

  size_t count() const { return keys.size() / 16; }
  const uint8_t* key(size_t i) const { return keys.data() + 16 * i; }
};

}  // namespace cassdl::io
