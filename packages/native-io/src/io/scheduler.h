// When each row read goes on the wire: the queue of requests, the
// admission limit (at most `admission` requests holding a slot, never more
// than config.inflight on the wire), request timeouts, and retries on the
// next replica after a backoff, until the attempts run out. Grouped (ooo)
// rows that stalled on the wire give their admission slot up, so the
// group's other rows keep flowing.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <queue>
#include <string>
#include <vector>

#include "backoff.h"
#include "batch_assembler.h"
#include "plane_config.h"
#include "plane_stats.h"
#include "router.h"
#include "row_request.h"

namespace cassdl::io {

class Scheduler {
 public:
  /** Puts the request's EXECUTE in the connection's write buffer (the scheduler does the bookkeeping). */
  using Writer = std::function<void(RowRequest& request, net::Connection& connection)>;

  Scheduler(const PlaneConfig& config, PlaneStats& stats, BatchAssembler& assembler, Router& router, Writer writer);

  /** A new request waits its turn. */
  void enqueue(RowRequest* request) { queue_.push_back(request); }
  /** A request sent again at once, ahead of new ones (stale prepared id, re-prepared, discarded cell). */
  void requeueFront(RowRequest* request) { queue_.push_front(request); }
  /** The controller's limit (1..config.inflight): admits more on the next dispatch, or lets the wire drain. */
  void setAdmission(int limit) { admission_ = limit; }

  /** Sends queued requests while admission and the wire allow and a replica can take them. */
  void dispatch(uint64_t nowUs);
  /** An answer came: records its latency on `host`; the request is off the wire. */
  void answered(RowRequest* request, int host, uint64_t nowUs);
  /** The request is off the wire (answered, lost with its connection, timed out, discarded). */
  void leaveWire(RowRequest* request);
  /**
   * The attempt failed on `host` for `reason`: tried again on the next
   * replica after a backoff (not before `notBeforeUs`), or, out of
   * attempts, the row fails with ERR_CASSDL_NO_REPLICA listing each try.
   */
  void retryLater(RowRequest* request, const std::string& host, const std::string& reason, uint64_t nowUs,
                  uint64_t notBeforeUs = 0);

  /** Requests unanswered for requestTimeoutMs give their stream up and are retried. */
  void expireTimeouts(uint64_t nowUs);
  /** Grouped (ooo) rows on the wire far longer than rows take give their admission slot to new requests. */
  void releaseStalled(uint64_t nowUs);
  /** Retries whose backoff ended go to the front of the queue. */
  void dueRetries(uint64_t nowUs);
  /** How long nothing here needs the loop, in ms (a retry due, or requests queued or on the wire). */
  uint64_t waitMs(uint64_t nowUs) const;
  /** The plane closed: forgets every request (the assembler fails their fetches). */
  void clear();

 private:
  /** Rows that must have answered before any counts as stalled (the latency to judge by). */
  static constexpr uint64_t kStallSamples = 64;
  /** How many requests the wire may hold: admitted ones plus at most as many stalled ones. */
  int64_t wireLimit() const;
  struct Retry {
    uint64_t dueUs;
    RowRequest* request;
    bool operator>(const Retry& other) const { return dueUs > other.dueUs; }
  };
  /** One send; `request` is null once it left the wire (answered, failed or timed out). */
  struct Sent {
    uint64_t sentAtUs;
    RowRequest* request;
  };
  /** The entry of a request on the wire: its sequence is its place in `sent_`, counted from `sentBase_`. */
  Sent* sentEntry(const RowRequest& request);
  void popSent();

  void send(RowRequest* request, net::Connection& connection, uint64_t nowUs);
  /** No replica of `request` has a connection: counts as an attempt, retried once one may be back. */
  void noConnection(RowRequest* request, uint64_t nowUs);

  const PlaneConfig& config_;
  PlaneStats& stats_;
  BatchAssembler& assembler_;
  Router& router_;
  Writer writer_;
  Backoff backoff_;

  std::deque<RowRequest*> queue_;
  std::priority_queue<Retry, std::vector<Retry>, std::greater<Retry>> retries_;
  /**
   * Sends in order, for timeouts and stalls, and the table of requests on
   * the wire: a request's sequence is its entry's index plus `sentBase_`
   * (the sequence of the front entry), so leaving the wire is one store.
   * An unordered_map keyed by sequence cost 5% of the client's CPU samples
   * at 2 KB rows, batch 128 (perf: its bucket walks in leaveWire).
   */
  std::deque<Sent> sent_;
  uint64_t sentBase_ = 0;
  /** Requests on the wire: the entries of `sent_` whose request is not null. */
  int64_t onWire_ = 0;
  /** The controller's admission limit, at most config_.inflight: the wire holds no more. */
  int admission_ = 0;
  /** Requests on the wire holding an admission slot: all of them, but grouped ones that stalled (releaseStalled). */
  int64_t admitted_ = 0;
};

}  // namespace cassdl::io
