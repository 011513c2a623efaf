// Puts answered rows where they belong in their batch and hands each
// finished fetch over as one contiguous FetchOutput. Pure bookkeeping: no
// sockets, no threads, no clock; the data plane calls it on its I/O thread,
// the unit tests and the fuzzer call it directly with any arrival order.
//
// A fetch is a FetchJob with one RowRequest per key. Rows may arrive in any
// order: one answered in order is copied once, straight to the output; one
// answered early waits in the job's arena until its turn, unless every row
// so far has one size, when it goes straight to its final offset
// (index * size). With an ooo group, any row of the group fills the oldest
// unfinished fetch of the group at its next position (arrival order).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <deque>
#include <vector>

#include "arena.h"
#include "batch_ring.h"
#include "error_info.h"
#include "fetch_job.h"
#include "fetch_output.h"
#include "plane_stats.h"

namespace cassdl::io {

struct AssemblyConfig {
  LabelKind labelKind = LabelKind::kNone;
  /** A missing row is left out of its batch (listed as missing) instead of failing the fetch. */
  bool skipMissing = false;
  /** "keyspace.table", for messages. */
  std::string table;
  /** Ring slots that keep their memory (BatchRing size). */
  size_t batchSlots = 6;
};

/** Receives each fetch once: its output, or the error it failed with (output null). */
class AssemblySink {
 public:
  virtual ~AssemblySink() = default;
  virtual void fetched(uint64_t ticket, std::unique_ptr<FetchOutput> output, std::optional<ErrorInfo> error) = 0;
};

/** An answered row's cells (views into the socket buffer, or into the batch when read there directly). */
struct RowCells {
  const uint8_t* data = nullptr;
  size_t size = 0;
  const uint8_t* label = nullptr;
  size_t labelSize = 0;
  int32_t intLabel = 0;
};

/** Where a row's data cell can be read to directly (its final offset in the batch), and the block to keep alive meanwhile. */
struct CellSpot {
  uint8_t* at = nullptr;
  std::shared_ptr<Block> block;
};

class BatchAssembler {
 public:
  BatchAssembler(AssemblyConfig config, PlaneStats& stats, AssemblySink& sink);
  BatchAssembler(const BatchAssembler&) = delete;
  BatchAssembler& operator=(const BatchAssembler&) = delete;

  /**
   * Starts a fetch of `keys` (16 bytes each). Returns the job whose
   * requests are to be read, or null when it has none (an empty fetch
   * completes now, or with a group in its turn).
   */
  FetchJob* open(uint64_t ticket, std::vector<uint8_t> keys, bool leased, std::optional<int64_t> group);
  /** A row was read for `request`: it is placed, and its fetch completes when it was the last one. */
  void arrived(RowRequest* request, const RowCells& cells, size_t placedBytes = 0);
  /** The row does not exist or has a null cell (`what`: "no row", "null data", "null label"). */
  void missing(RowRequest* request, const char* what);
  /** A row failed for good: its fetch fails, or with a group the fetch being filled. The request is done. */
  void failRow(RowRequest* request, ErrorInfo error);
  /** The request is done without a row (its fetch is finished); the job is freed after its last one. */
  void release(RowRequest* request);
  /** No answer for it is wanted any more: its fetch finished, and no group shares its rows. */
  bool abandoned(const RowRequest& request) const;

  /** Where the `size`-byte data cell of the answer to `request` can go directly, if known now (none: `at` null). */
  CellSpot cellSpot(const RowRequest& request, size_t size) const;
  /** Whether a spot given out for `request` still is its cell's final place. */
  bool spotHolds(const RowRequest& request) const;

  /** Fails every unfinished fetch with ERR_CASSDL_CLOSED and forgets every job. */
  void closeAll();

  /** Jobs not yet freed (unfinished, or finished with requests still out). */
  size_t jobCount() const { return jobs_.size(); }
  BatchRing& ring() { return ring_; }
  ChunkPool& chunks() { return chunks_; }
  const ChunkPool& chunks() const { return chunks_; }

 private:
  /** Where an answered row goes: its own job and index, or with a group the oldest open job's next position. */
  struct Place {
    FetchJob* job = nullptr;
    uint32_t index = 0;
  };

  std::unique_ptr<FetchJob> makeJob(uint64_t ticket, std::vector<uint8_t> keys, bool leased,
                                    std::optional<int64_t> group);
  /** The place of a row answered for `request` (grouped: claims the next position of the group's oldest open job; none: nowhere to go). */
  Place claim(RowRequest* request);
  /** Records the row's place as settled and completes what that finishes. */
  void settle(RowRequest* request, Place place);
  /** Puts a row's data where it belongs: the output (in order, or early at a uniform size), else the arena. */
  void placeData(FetchJob& job, uint32_t index, const uint8_t* data, size_t size);
  /** Sizes turned out to differ: moves rows written early to the output back to the arena. */
  void leaveUniform(FetchJob& job);
  void appendOut(FetchJob& job, const uint8_t* data, size_t size);
  /** Extends the job's in-order prefix over every row now settled, appending their data. */
  void extendPrefix(FetchJob& job);
  /** Completes the group's front jobs that need no more rows (filled, or empty), in order. */
  void advanceGroup(int64_t group);
  void complete(FetchJob& job);
  std::unique_ptr<FetchOutput> assemble(FetchJob& job, size_t present, size_t labelBytes);
  void failJob(FetchJob& job, ErrorInfo error);
  void maybeFree(FetchJob& job);
  /** A leased job that will not reach its consumer gives its slot back at once. */
  void returnSlot(FetchJob& job);
  /** The job's data block with room for `wanted` bytes, keeping `keep`, `populate` faulted in (BatchRing::reserveData). */
  void reserveData(FetchJob& job, size_t wanted, size_t keep, size_t populate);

  AssemblyConfig config_;
  PlaneStats& stats_;
  AssemblySink& sink_;
  ChunkPool chunks_;
  BatchRing ring_;
  std::unordered_map<uint64_t, std::unique_ptr<FetchJob>> jobs_;
  /** Unfinished jobs of each oooGroup, in submission order: the front one is being filled. */
  std::unordered_map<int64_t, std::deque<FetchJob*>> groups_;
  /** Recent row size, so a new job's output is reserved once rather than grown. */
  size_t averageRowBytes_ = 0;
};

}  // namespace cassdl::io
