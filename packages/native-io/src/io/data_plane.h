// The native data plane: one I/O thread (EventLoop) that never is the JS
// thread. A façade wiring four parts: the Router owns the connections
// (connectionsPerHost per host) and picks a replica of each row's token; the
// Scheduler keeps at most `inflight` requests on the wire, times them out
// and retries them on another replica with backoff; the BatchAssembler puts
// each answered row in its batch and hands each finished fetch to the sink
// as one contiguous FetchOutput. Each connection prepares the row read
// itself (net::StatementPrepare). What stays here: the commands from JS,
// reading each answer (rows, missing, server errors, UNPREPARED) and the
// open/close lifecycle.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "../net/connection.h"
#include "../protocol/rows.h"
#include "../protocol/server_error.h"
#include "batch_assembler.h"
#include "error_info.h"
#include "event_loop.h"
#include "fetch_job.h"
#include "plane_config.h"
#include "plane_stats.h"
#include "router.h"
#include "scheduler.h"

namespace cassdl::io {

/** Receives the data plane's results; called on the I/O thread. */
class PlaneSink {
 public:
  virtual ~PlaneSink() = default;
  virtual void opened(std::optional<ErrorInfo> error) = 0;
  virtual void fetched(uint64_t ticket, std::unique_ptr<FetchOutput> output, std::optional<ErrorInfo> error) = 0;
  virtual void closed() = 0;
};

class DataPlane final : private EventLoop::Handler, private net::ConnectionEvents, private AssemblySink {
 public:
  DataPlane(PlaneConfig config, PlaneSink& sink);
  ~DataPlane() override;

  /**
   * Starts the I/O thread, which connects and then calls sink.opened(). Empty
   * string on success; a message starting "TLS: " when the TLS material is unusable.
   */
  std::string start();
  /**
   * Queues a fetch. A leased one is assembled in a ring slot that JS gives
   * back with ring().recycle(); otherwise in memory of its own, handed over.
   */
  void submit(uint64_t ticket, std::vector<uint8_t> keys, bool leased, std::optional<int64_t> group = std::nullopt);
  /**
   * Admission limit set at run time by the reader's pipeline controller: at
   * most `inflight` requests on the wire (1..config.inflight, which stays the
   * ceiling the connections were sized for).
   */
  void setInflightLimit(int inflight);
  /** Fails outstanding fetches with ERR_CASSDL_CLOSED, closes sockets, then calls sink.closed(). */
  void close();
  /** Stops without calling the sink (process exit, garbage collection) and joins. */
  void stopSilently();
  /** Joins the I/O thread after close(); idempotent. */
  void join();

  const PlaneStats& stats() const { return stats_; }
  /** The batch arenas; recycle() and setSize() are safe from any thread. */
  BatchRing& ring() { return assembler_.ring(); }
  /** Bytes of the chunks rows wait in before their turn (and spare ones); any thread. */
  size_t arenaBytes() const { return assembler_.chunks().bytes(); }
  /**
   * After join(): frees the arenas and spare chunks now rather than when
   * the plane is collected, so a closed reader's memory does not stay
   * mapped into the next one's (and count against its budget). Returns
   * the ring slots dropped.
   */
  std::vector<uint32_t> releaseMemory() {
    assembler_.chunks().dropSpare();
    return assembler_.ring().releaseAll();
  }
  /** False before start() succeeded: close() then has nothing to wait for. */
  bool running() const { return loop_.running(); }

 private:
  // EventLoop::Handler: the I/O thread.
  void onStart() override;
  void onEvents(void* tag, uint32_t events) override;
  void onTick() override;
  uint64_t waitMs() const override;
  void onStop() override;

  // Commands from JS, run on the I/O thread.
  void startJob(uint64_t ticket, std::vector<uint8_t> keys, bool leased, std::optional<int64_t> group);

  // net::ConnectionEvents: what the connections report.
  void onReady(net::Connection& connection) override;
  void onFailed(net::Connection& connection, net::FailureKind kind, const std::string& reason,
                std::vector<net::RequestTag*> lost) override;
  void onResponse(net::Connection& connection, net::RequestTag* tag, const protocol::Frame& frame,
                  const protocol::ByteSpan* placed) override;
  net::CellTarget placeCell(net::RequestTag* tag, size_t size) override;
  bool cellWanted(net::RequestTag* tag) override;
  void onCellDiscarded(net::Connection& connection, net::RequestTag* tag) override;

  // Reading an answer.
  void handleRows(net::Connection& connection, RowRequest* request, protocol::ByteSpan body,
                  const protocol::ByteSpan* placed);
  void handleError(net::Connection& connection, RowRequest* request, protocol::ByteSpan body);
  /** A label cell into `cells`; false when the row is missing or failed instead (then settled). */
  bool readLabel(RowRequest* request, const protocol::Cell& label, RowCells& cells);
  /** The server forgot the statement: the connection prepares it again and the row is resent, a few times at most. */
  void unprepared(net::Connection& connection, RowRequest* request, const protocol::ServerError& error);
  /** The request's EXECUTE of the prepared row read, into the connection's write buffer (Scheduler::Writer). */
  void write(RowRequest& request, net::Connection& connection);

  /** Hands a finished fetch to the sink; after stopSilently() a leased slot goes straight back to the ring instead. */
  void fetched(uint64_t ticket, std::unique_ptr<FetchOutput> output, std::optional<ErrorInfo> error) override;
  /** Tells the sink once whether the plane opened, when the first connection attempts are over. */
  void checkOpened();

  PlaneConfig config_;
  PlaneSink& sink_;
  PlaneStats stats_;
  std::atomic<bool> silent_{false};

  EventLoop loop_;
  Router router_;
  BatchAssembler assembler_;
  Scheduler scheduler_;
};

}  // namespace cassdl::io
