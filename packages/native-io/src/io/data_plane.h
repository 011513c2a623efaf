// The native data plane: one I/O thread with its own epoll loop, never the
// JS thread. It owns the connections (connectionsPerHost per host), routes
// each row read to a replica of its token, keeps at most `inflight` requests
// on the wire, retries on another replica with backoff, and hands each
// finished fetch to a sink as one contiguous FetchOutput.
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <queue>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "../net/connection.h"
#include "batch_assembler.h"
#include "error_info.h"
#include "fetch_job.h"
#include "latency_histogram.h"
#include "plane_stats.h"
#include "token_ring.h"

namespace cassdl::io {

struct HostConfig {
  std::string address;
  uint16_t port = 9042;
  bool up = true;
  /** The name an SNI proxy routes to this host by (empty: none). */
  std::string sniName;
};

/** An SNI proxy every connection goes through (Astra). */
struct ProxyConfig {
  std::string address;
  uint16_t port = 0;
};

struct PlaneConfig {
  std::vector<HostConfig> hosts;
  TokenRing ring;
  /** Protocol version spoken on the wire. */
  uint8_t version = 4;
  /** The row read each connection PREPAREs itself (handshake, and after UNPREPARED) and EXECUTEs. */
  std::string query;
  uint16_t consistency = 0x000a;
  LabelKind labelKind = LabelKind::kNone;
  /** "keyspace.table", for messages. */
  std::string table;
  std::optional<net::Credentials> credentials;
  std::optional<net::TlsConfig> tls;
  std::optional<ProxyConfig> proxy;
  uint64_t connectTimeoutMs = 5000;
  uint64_t requestTimeoutMs = 12000;
  int connectionsPerHost = 2;
  int inflight = 512;
  bool skipMissing = false;
  int maxAttempts = 3;
  uint64_t baseDelayMs = 50;
  uint64_t maxDelayMs = 2000;
  /** Server error codes retried on the next replica (the plan's retry table); any other fails the row. */
  std::vector<int32_t> retryServerCodes;
  /** Ring slots that keep their memory (batches in flight plus those the consumer holds). */
  size_t batchSlots = 6;
};

/** Receives the data plane's results; called on the I/O thread. */
class PlaneSink {
 public:
  virtual ~PlaneSink() = default;
  virtual void opened(std::optional<ErrorInfo> error) = 0;
  virtual void fetched(uint64_t ticket, std::unique_ptr<FetchOutput> output, std::optional<ErrorInfo> error) = 0;
  virtual void closed() = 0;
};

class DataPlane final : private net::ConnectionEvents, private AssemblySink {
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
  bool running() const { return thread_.joinable(); }

 private:
  struct Command {
    enum class Kind { kSubmit, kLimit, kClose } kind;
    uint64_t ticket = 0;
    std::vector<uint8_t> bytes;
    bool leased = false;
    int limit = 0;
    std::optional<int64_t> group = std::nullopt;
  };
  struct Retry {
    uint64_t dueUs;
    RowRequest* request;
    bool operator>(const Retry& other) const { return dueUs > other.dueUs; }
  };
  struct Sent {
    uint64_t sentAtUs;
    uint64_t sequence;
  };

  void push(Command command);
  void run();
  void drainCommands();
  void startJob(uint64_t ticket, std::vector<uint8_t> keys, bool leased, std::optional<int64_t> group);
  void tick();
  void expireTimeouts();
  /** Grouped (ooo) rows on the wire far longer than rows take give their admission slot to new requests. */
  void releaseStalled();
  void dueRetries();
  void reconnect();
  void dispatch();
  void send(RowRequest* request, net::Connection& connection);
  net::Connection* pick(RowRequest& request, bool& wait);
  net::Connection* pickFrom(RowRequest& request, bool& wait, bool avoidStalled);
  int waitMs() const;

  void onReady(net::Connection& connection) override;
  void onFailed(net::Connection& connection, net::FailureKind kind, const std::string& reason,
                std::vector<net::RequestTag*> lost) override;
  void onResponse(net::Connection& connection, net::RequestTag* tag, const protocol::Frame& frame,
                  const protocol::ByteSpan* placed) override;
  net::CellTarget placeCell(net::RequestTag* tag, size_t size) override;
  bool cellWanted(net::RequestTag* tag) override;
  void onCellDiscarded(net::Connection& connection, net::RequestTag* tag) override;

  void handleRows(net::Connection& connection, RowRequest* request, protocol::ByteSpan body,
                  const protocol::ByteSpan* placed);
  void handleError(net::Connection& connection, RowRequest* request, protocol::ByteSpan body);
  void leaveWire(RowRequest* request);
  void retryLater(RowRequest* request, const std::string& host, const std::string& reason, uint64_t notBeforeUs = 0);
  /** Hands a finished fetch to the sink; after stopSilently() a leased slot goes straight back to the ring instead. */
  void fetched(uint64_t ticket, std::unique_ptr<FetchOutput> output, std::optional<ErrorInfo> error) override;
  void checkOpened();
  void shutdown();

  PlaneConfig config_;
  PlaneSink& sink_;
  PlaneStats stats_;

  int epollFd_ = -1;
  int wakeFd_ = -1;
  std::thread thread_;
  std::mutex mutex_;
  std::vector<Command> commands_;
  std::atomic<bool> silent_{false};
  bool stopping_ = false;

  net::Credentials credentials_;
  std::vector<std::unique_ptr<net::Connection>> connections_;
  std::vector<std::vector<net::Connection*>> byHost_;
  bool opened_ = false;
  std::vector<std::string> openCauses_;
  bool authFailed_ = false;
  bool tlsFailed_ = false;
  /** A server refused to prepare the row read, or it returns other columns than the plan places. */
  bool prepareFailed_ = false;
  std::unique_ptr<net::TlsContext> tls_;

  BatchAssembler assembler_;
  std::deque<RowRequest*> queue_;
  std::priority_queue<Retry, std::vector<Retry>, std::greater<Retry>> retries_;
  std::deque<Sent> sent_;
  std::unordered_map<uint64_t, RowRequest*> onWire_;
  uint64_t nextSequence_ = 1;
  std::vector<net::Connection*> dirty_;


  /** The controller's admission limit (setInflightLimit), at most config_.inflight: the wire holds no more. */
  int admission_ = 0;
  /** Requests on the wire holding an admission slot: all of them, but grouped ones that stalled (releaseStalled). */
  int64_t admitted_ = 0;
  /** Per host: grouped rows on the wire that stalled there (releaseStalled); new grouped rows avoid such hosts. */
  std::vector<int> stalledOnHost_;
  size_t spread_ = 0;
  uint64_t random_ = 0x9e3779b97f4a7c15ULL;
  uint64_t nowUs_ = 0;
};

}  // namespace cassdl::io
