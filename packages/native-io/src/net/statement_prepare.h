// The row read as one connection prepared it. Each connection PREPAREs the
// plan's query itself, as the last step of its handshake and again when the
// server answers UNPREPARED (it restarted or evicted the statement), so the
// data plane needs no prepared id from JS and no driver internals.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "../protocol/frame.h"
#include "../protocol/prepared.h"

namespace cassdl::net {

/** How a PREPARE answer turned out. */
struct PrepareOutcome {
  bool ok = false;
  /** Why not (names the query and what the server said); empty when ok. */
  std::string reason;
  /** CQL error code when the server refused the statement (syntax, unknown table, unauthorized), else 0. */
  int32_t serverCode = 0;
};

class StatementPrepare {
 public:
  explicit StatementPrepare(std::string query) : query_(std::move(query)) {}

  const std::string& query() const { return query_; }
  /** A PREPARE is on the wire. */
  bool pending() const { return pending_; }
  /** Whether a prepare has completed on this connection since it was opened. */
  bool prepared() const { return !result_.id.empty(); }
  const protocol::PreparedResult& result() const { return result_; }
  /** Counts completed prepares: a request sent before the latest one needs no new prepare after UNPREPARED. */
  uint32_t epoch() const { return epoch_; }

  /** Appends the PREPARE frame on `stream` to `out`. */
  void begin(std::vector<uint8_t>& out, uint8_t version, int16_t stream);
  /** Reads the answer to the PREPARE on the wire (RESULT Prepared or ERROR). */
  PrepareOutcome finish(const protocol::Frame& frame, uint8_t version, const std::string& host);
  /** A new connection: nothing prepared on it yet. */
  void reset();

 private:
  std::string query_;
  bool pending_ = false;
  uint32_t epoch_ = 0;
  protocol::PreparedResult result_;
};

}  // namespace cassdl::net
