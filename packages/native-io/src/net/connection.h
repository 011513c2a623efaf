// One CQL connection to one host: non-blocking socket on the I/O thread's
// epoll (edge-triggered), STARTUP and SASL PLAIN handshake, a stream id per
// request in flight, coalesced writes, and responses cut out of its read
// buffer in place (the data plane copies row bytes straight from there).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "../protocol/frame.h"
#include "../protocol/requests.h"
#include "frame_receiver.h"
#include "request_tag.h"
#include "statement_prepare.h"
#include "stream_ids.h"
#include "tls.h"

namespace cassdl::net {

class Connection;

struct Credentials {
  std::string username;
  std::string password;
};

/** kPrepare: the server refused to prepare the row read (syntax, unknown table, unauthorized). */
enum class FailureKind { kConnect, kAuth, kTls, kLost, kPrepare };

/** What a connection tells its owner (the data plane); all calls on the I/O thread. */
class ConnectionEvents {
 public:
  virtual ~ConnectionEvents() = default;
  /** Handshake done and the row read prepared; again after each re-prepare. */
  virtual void onReady(Connection& connection) = 0;
  /** The connection is closed; `lost` are the requests that were on the wire (their tags, as execute() got them). */
  virtual void onFailed(Connection& connection, FailureKind kind, const std::string& reason,
                        std::vector<RequestTag*> lost) = 0;
  /** `placed`: the frame's first cell was read straight to where placeCell said. */
  virtual void onResponse(Connection& connection, RequestTag* request, const protocol::Frame& frame,
                          const protocol::ByteSpan* placed) = 0;
  /** Where the `size`-byte data cell of `request`'s answer goes, if its place is known now. */
  virtual CellTarget placeCell(RequestTag* request, size_t size) = 0;
  /** Whether that place is still the cell's (asked before each read into it). */
  virtual bool cellWanted(RequestTag* request) = 0;
  /** The answer's cell was given up while arriving: `request` must be sent again. */
  virtual void onCellDiscarded(Connection& connection, RequestTag* request) = 0;
};

struct ConnectionSettings {
  /** Where the socket connects: the host, or the SNI proxy in front of it. */
  std::string address;
  uint16_t port = 9042;
  /** SNI name of the host behind a proxy (empty: the TLS context's server name). */
  std::string sniName;
  /** For messages; empty: `address:port`. */
  std::string name;
  int hostIndex = 0;
  uint8_t version = 4;
  /** The row read this connection PREPAREs at the end of its handshake and EXECUTEs (empty: none). */
  std::string query;
  const Credentials* credentials = nullptr;  // null: no auth
  const TlsContext* tls = nullptr;           // null: plain TCP
  uint64_t connectTimeoutUs = 0;
  int maxStreams = protocol::kMaxStreams;
  /** Counts every byte read from the connection (after TLS), when set; shared by the plane's connections. */
  std::atomic<uint64_t>* receivedBytes = nullptr;
};

class Connection final : private FrameHandler {
 public:
  enum class State { kIdle, kConnecting, kTls, kHandshake, kReady, kClosed };

  Connection(ConnectionSettings settings, ConnectionEvents& events, int epollFd);
  ~Connection() override;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  /** Starts connecting (from idle or closed). */
  void start(uint64_t nowUs);
  void onEvents(uint32_t events);
  /** Fails the connection when its connect or handshake is past the connect timeout. */
  void checkDeadline(uint64_t nowUs);

  bool ready() const { return state_ == State::kReady; }
  State state() const { return state_; }
  /** Between start() and ready (TCP connect, TLS handshake, CQL handshake). */
  bool opening() const { return state_ == State::kConnecting || state_ == State::kTls || state_ == State::kHandshake; }
  /** Ready, a stream free, and no re-prepare under way or waiting for a stream. */
  bool canSend() const {
    return state_ == State::kReady && !streams_.empty() && !prepare_.pending() && !reprepareWanted_;
  }
  int inflight() const { return streams_.inUse() - orphans_; }
  const std::string& name() const { return name_; }
  /** Why the connection last failed (empty until it has). */
  const std::string& lastFailure() const { return lastFailure_; }
  int hostIndex() const { return settings_.hostIndex; }

  /** What PREPARE of the row read returned on this connection (its id goes into every EXECUTE). */
  const protocol::PreparedResult& prepared() const { return prepare_.result(); }
  /** EXECUTE of the prepared row read; `params` need no id (the connection's own goes in). */
  void execute(RequestTag* request, const protocol::ExecuteParams& params);
  /**
   * The server answered `request` UNPREPARED: prepares the row read again,
   * unless a prepare completed since it was sent or one is under way. The
   * connection takes no request until that prepare is answered.
   */
  void reprepareAfter(const RequestTag& request);
  /** The request gave up on this stream (timeout): its id stays lent until the late answer arrives. */
  void orphan(int16_t stream);
  /** Writes what is queued; safe to call any time. */
  void flush();
  /** Closes the socket and reports `lost` requests through onFailed. */
  void fail(FailureKind kind, const std::string& reason);
  /** Closes silently (shutdown): no events. */
  void shutdown();

  /** When to try again after a failure (0: not scheduled). */
  uint64_t reconnectAtUs = 0;
  int consecutiveFailures = 0;

 private:
  void finishConnect();
  void driveTls();
  void startCql();
  /** read()/SSL_read(): bytes, 0 on orderly close, -1 with errno (EAGAIN: wait) and ioError_ set. */
  ssize_t receive(uint8_t* at, size_t size);
  ssize_t transmit(const uint8_t* data, size_t size);
  void readAvailable();
  void handleHandshake(const protocol::Frame& frame);
  void handleResponse(const protocol::Frame& frame, const protocol::ByteSpan* placed);
  void sendPrepare(int16_t stream);
  /** The PREPARE's answer: ready (again), or failed with FailureKind::kPrepare. */
  void finishPrepare(const protocol::Frame& frame);
  /** The request on `stream`, freeing the stream; null for an orphan or an unknown stream (then failed). */
  RequestTag* takeStream(int16_t stream);
  /** The live request on `stream`, or null. */
  RequestTag* requestOn(int16_t stream) const;
  void closeSocket();

  CellTarget placeCell(int16_t stream, size_t size) override;
  bool cellWanted(int16_t stream) override;
  bool onFrame(const protocol::Frame& frame, const protocol::ByteSpan* placed) override;
  bool onDiscarded(int16_t stream) override;
  void onMalformed(const std::string& reason) override;

  ConnectionSettings settings_;
  ConnectionEvents& events_;
  int epollFd_;
  int fd_ = -1;
  SSL* ssl_ = nullptr;
  std::string ioError_;
  State state_ = State::kIdle;
  std::string name_;
  uint64_t deadlineUs_ = 0;

  StreamIds streams_;
  /** Request per stream id; nullptr free, kOrphan abandoned. */
  std::vector<RequestTag*> slots_;
  int orphans_ = 0;

  std::vector<uint8_t> out_;
  size_t outSent_ = 0;

  std::string lastFailure_;
  StatementPrepare prepare_;
  /** A re-prepare waits for a free stream. */
  bool reprepareWanted_ = false;

  FrameReceiver receiver_;
};

}  // namespace cassdl::net
