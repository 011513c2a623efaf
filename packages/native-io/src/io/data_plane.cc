#include "data_plane.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "../net/socket.h"
#include "../protocol/prepared.h"
#include "../protocol/rows.h"
#include "../protocol/server_error.h"
#include "row_columns.h"

namespace cassdl::io {

namespace {

using protocol::Opcode;

char wakeTag;

uint64_t nowMicros() {
  return static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now().time_since_epoch())
          .count());
}

/** Reconnect delay after `failures` consecutive failures: 250 ms doubling to 10 s. */
uint64_t reconnectDelayUs(int failures) {
  uint64_t ms = 250ULL << std::min(failures > 0 ? failures - 1 : 0, 6);
  return std::min<uint64_t>(ms, 10000) * 1000;
}

}  // namespace

DataPlane::DataPlane(PlaneConfig config, PlaneSink& sink)
    : config_(std::move(config)),
      sink_(sink),
      assembler_({config_.labelKind, config_.skipMissing, config_.table, config_.batchSlots}, stats_, *this) {
  if (config_.credentials) credentials_ = *config_.credentials;
  admission_ = config_.inflight;
  for (size_t h = 0; h < config_.hosts.size(); ++h) stats_.hostLatency.push_back(std::make_unique<LatencyHistogram>());
  stalledOnHost_.assign(config_.hosts.size(), 0);
}

DataPlane::~DataPlane() { stopSilently(); }

std::string DataPlane::start() {
  if (config_.tls) {
    std::string error;
    tls_ = net::TlsContext::create(*config_.tls, error);
    if (!tls_) return "TLS: " + error;
  }
  epollFd_ = epoll_create1(EPOLL_CLOEXEC);
  wakeFd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (epollFd_ < 0 || wakeFd_ < 0) return "epoll/eventfd: " + net::errnoText(errno);
  epoll_event event{};
  event.events = EPOLLIN;
  event.data.ptr = &wakeTag;
  epoll_ctl(epollFd_, EPOLL_CTL_ADD, wakeFd_, &event);

  int streams = std::min(protocol::kMaxStreams, std::max(1, config_.inflight));
  byHost_.resize(config_.hosts.size());
  for (size_t h = 0; h < config_.hosts.size(); ++h) {
    for (int i = 0; i < config_.connectionsPerHost; ++i) {
      net::ConnectionSettings settings;
      const HostConfig& host = config_.hosts[h];
      settings.address = config_.proxy ? config_.proxy->address : host.address;
      settings.port = config_.proxy ? config_.proxy->port : host.port;
      settings.sniName = host.sniName;
      if (config_.proxy) {
        settings.name = host.address + ":" + std::to_string(host.port) + " (SNI " + host.sniName + " through the proxy " +
                        config_.proxy->address + ":" + std::to_string(config_.proxy->port) + ")";
      }
      settings.hostIndex = static_cast<int>(h);
      settings.version = config_.version;
      settings.query = config_.query;
      settings.credentials = config_.credentials ? &credentials_ : nullptr;
      settings.tls = tls_.get();
      settings.connectTimeoutUs = config_.connectTimeoutMs * 1000;
      settings.maxStreams = streams;
      settings.receivedBytes = &stats_.receivedBytes;
      connections_.push_back(std::make_unique<net::Connection>(std::move(settings), static_cast<net::ConnectionEvents&>(*this), epollFd_));
      byHost_[h].push_back(connections_.back().get());
    }
  }
  thread_ = std::thread([this] { run(); });
  return "";
}

void DataPlane::push(Command command) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    commands_.push_back(std::move(command));
  }
  uint64_t one = 1;
  ssize_t ignored = ::write(wakeFd_, &one, sizeof one);
  (void)ignored;
}

void DataPlane::submit(uint64_t ticket, std::vector<uint8_t> keys, bool leased, std::optional<int64_t> group) {
  Command command{Command::Kind::kSubmit, ticket, std::move(keys), leased};
  command.group = group;
  push(std::move(command));
}

void DataPlane::setInflightLimit(int inflight) {
  push({Command::Kind::kLimit, 0, {}, false, std::clamp(inflight, 1, config_.inflight)});
}

void DataPlane::close() {
  if (thread_.joinable()) push({Command::Kind::kClose, 0, {}});
}

void DataPlane::stopSilently() {
  silent_ = true;
  close();
  join();
}

void DataPlane::join() {
  if (thread_.joinable()) thread_.join();
  if (epollFd_ >= 0) ::close(epollFd_);
  if (wakeFd_ >= 0) ::close(wakeFd_);
  epollFd_ = wakeFd_ = -1;
}

// --- the loop ------------------------------------------------------------

void DataPlane::run() {
  nowUs_ = nowMicros();
  bool anyUp = std::any_of(config_.hosts.begin(), config_.hosts.end(), [](const HostConfig& h) { return h.up; });
  for (auto& connection : connections_) {
    // Hosts the control plane saw down are tried only when no host is up.
    if (!anyUp || config_.hosts[static_cast<size_t>(connection->hostIndex())].up) connection->start(nowUs_);
  }
  checkOpened();
  epoll_event events[64];
  while (!stopping_) {
    int n = epoll_wait(epollFd_, events, 64, waitMs());
    nowUs_ = nowMicros();
    for (int i = 0; i < n; ++i) {
      if (events[i].data.ptr == &wakeTag) {
        uint64_t value = 0;
        ssize_t ignored = ::read(wakeFd_, &value, sizeof value);
        (void)ignored;
        drainCommands();
      } else {
        static_cast<net::Connection*>(events[i].data.ptr)->onEvents(events[i].events);
      }
      if (stopping_) break;
    }
    if (stopping_) break;
    tick();
  }
  shutdown();
}

int DataPlane::waitMs() const {
  uint64_t wait = 1000;
  if (!retries_.empty()) wait = retries_.top().dueUs > nowUs_ ? (retries_.top().dueUs - nowUs_) / 1000 : 0;
  // In flight, connecting or waiting to reconnect: look at deadlines often.
  if (!onWire_.empty() || !opened_ || !queue_.empty()) wait = std::min<uint64_t>(wait, 20);
  for (const auto& connection : connections_) {
    if (connection->reconnectAtUs) wait = std::min<uint64_t>(wait, 50);
  }
  return static_cast<int>(wait);
}

void DataPlane::drainCommands() {
  std::vector<Command> commands;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    commands.swap(commands_);
  }
  for (Command& command : commands) {
    switch (command.kind) {
      case Command::Kind::kSubmit:
        startJob(command.ticket, std::move(command.bytes), command.leased, command.group);
        break;
      case Command::Kind::kLimit:
        admission_ = command.limit;  // dispatch() in the next tick admits more
        break;
      case Command::Kind::kClose:
        stopping_ = true;
        return;
    }
  }
}

void DataPlane::startJob(uint64_t ticket, std::vector<uint8_t> keys, bool leased, std::optional<int64_t> group) {
  FetchJob* job = assembler_.open(ticket, std::move(keys), leased, group);
  if (job == nullptr) return;  // empty: completed (in its turn)
  for (RowRequest& request : job->requests) {
    request.replicas = &config_.ring.replicasFor(job->key(request.index), 16);
    size_t spreadOver = std::max<size_t>(1, request.replicas->preferred);
    request.cursor = spread_++ % spreadOver;
    queue_.push_back(&request);
  }
}

void DataPlane::tick() {
  expireTimeouts();
  releaseStalled();
  dueRetries();
  reconnect();
  dispatch();
  // Swapped out first: a failing flush reports through onFailed, which edits dirty_.
  std::vector<net::Connection*> dirty;
  dirty.swap(dirty_);
  for (net::Connection* connection : dirty) connection->flush();
}

void DataPlane::expireTimeouts() {
  const uint64_t timeoutUs = config_.requestTimeoutMs * 1000;
  while (!sent_.empty()) {
    Sent front = sent_.front();
    auto it = onWire_.find(front.sequence);
    if (it == onWire_.end()) {
      sent_.pop_front();
      continue;
    }
    if (nowUs_ - front.sentAtUs < timeoutUs) break;
    sent_.pop_front();
    RowRequest* request = it->second;
    net::Connection* connection = request->connection;
    std::string host = connection ? connection->name() : "?";
    if (connection) connection->orphan(request->stream);
    leaveWire(request);
    retryLater(request, host, "no answer within " + std::to_string(config_.requestTimeoutMs) + " ms");
  }
  for (auto& connection : connections_) connection->checkDeadline(nowUs_);
}

void DataPlane::releaseStalled() {
  // A replica that stopped answering (a stalled link) would otherwise hold
  // the admission window with rows that cannot arrive; with ooo the group's
  // other rows can fill the batches meanwhile, if new requests may go out.
  // The wire still holds at most config_.inflight requests.
  const uint64_t stallUs = std::max<uint64_t>(50000, static_cast<uint64_t>(2000 * stats_.latency.quantileMs(0.99)));
  for (const Sent& sent : sent_) {
    if (nowUs_ - sent.sentAtUs < stallUs) break;
    auto it = onWire_.find(sent.sequence);
    if (it == onWire_.end()) continue;
    RowRequest* request = it->second;
    if (request->admitted && request->job->grouped) {
      request->admitted = false;
      --admitted_;
      if (request->connection) {
        request->stalledHost = request->connection->hostIndex();
        ++stalledOnHost_[static_cast<size_t>(request->stalledHost)];
      }
    }
  }
}

void DataPlane::dueRetries() {
  while (!retries_.empty() && retries_.top().dueUs <= nowUs_) {
    RowRequest* request = retries_.top().request;
    retries_.pop();
    queue_.push_front(request);
  }
}

void DataPlane::reconnect() {
  for (auto& connection : connections_) {
    if (connection->reconnectAtUs && connection->reconnectAtUs <= nowUs_) connection->start(nowUs_);
  }
}

void DataPlane::dispatch() {
  if (!opened_) return;
  while (admitted_ < admission_ && static_cast<int64_t>(onWire_.size()) < config_.inflight && !queue_.empty()) {
    RowRequest* request = queue_.front();
    if (assembler_.abandoned(*request)) {
      queue_.pop_front();
      assembler_.release(request);
      continue;
    }
    bool wait = false;
    net::Connection* connection = pick(*request, wait);
    if (connection == nullptr && wait) break;  // replicas busy or still connecting
    queue_.pop_front();
    if (connection == nullptr) {
      ++request->attempts;
      const auto& hosts = request->replicas->hosts;
      const HostConfig& host = config_.hosts[static_cast<size_t>(hosts[request->cursor % hosts.size()])];
      // Come back no sooner than the first reconnect of a replica, so a short
      // disconnect costs one attempt rather than the whole retry budget.
      uint64_t reconnectAt = UINT64_MAX;
      std::string why;  // what closed them, so the row's error says (a refused PREPARE, a lost link)
      for (int h : hosts) {
        for (net::Connection* c : byHost_[static_cast<size_t>(h)]) {
          if (c->reconnectAtUs) reconnectAt = std::min(reconnectAt, c->reconnectAtUs);
          if (why.empty()) why = c->lastFailure();
        }
      }
      retryLater(request, host.address + ":" + std::to_string(host.port),
                 why.empty() ? "no open connection" : "no open connection (last failure: " + why + ")",
                 reconnectAt == UINT64_MAX ? 0 : reconnectAt + 1000);
      continue;
    }
    send(request, *connection);
  }
}

net::Connection* DataPlane::pick(RowRequest& request, bool& wait) {
  // A grouped (ooo) row first avoids replicas with stalled rows on the wire.
  if (request.job->grouped && std::any_of(stalledOnHost_.begin(), stalledOnHost_.end(), [](int n) { return n > 0; })) {
    if (net::Connection* connection = pickFrom(request, wait, true)) return connection;
  }
  return pickFrom(request, wait, false);
}

net::Connection* DataPlane::pickFrom(RowRequest& request, bool& wait, bool avoidStalled) {
  const auto& hosts = request.replicas->hosts;
  bool anyConnecting = false;
  for (size_t step = 0; step < hosts.size(); ++step) {
    size_t at = (request.cursor + step) % hosts.size();
    if (avoidStalled && stalledOnHost_[static_cast<size_t>(hosts[at])] > 0) continue;
    net::Connection* best = nullptr;
    for (net::Connection* connection : byHost_[static_cast<size_t>(hosts[at])]) {
      if (connection->ready() && !connection->canSend()) wait = true;
      if (connection->opening()) anyConnecting = true;
      if (connection->canSend() && (best == nullptr || connection->inflight() < best->inflight())) best = connection;
    }
    if (best) {
      request.cursor = at;
      wait = false;
      return best;
    }
  }
  wait = wait || anyConnecting;
  return nullptr;
}

void DataPlane::send(RowRequest* request, net::Connection& connection) {
  protocol::ExecuteParams params;
  params.consistency = config_.consistency;
  params.key = {request->job->key(request->index), 16};
  connection.execute(request, params);
  if (request->attempts > 0) stats_.retries.fetch_add(1, std::memory_order_relaxed);
  ++request->attempts;
  request->sentAtUs = nowUs_;
  request->onWire = true;
  request->admitted = true;
  ++admitted_;
  request->sequence = nextSequence_++;
  onWire_[request->sequence] = request;
  sent_.push_back({nowUs_, request->sequence});
  int64_t inflight = stats_.inflight.fetch_add(1, std::memory_order_relaxed) + 1;
  if (inflight > stats_.peakInflight.load(std::memory_order_relaxed)) {
    stats_.peakInflight.store(inflight, std::memory_order_relaxed);
  }
  stats_.requests.fetch_add(1, std::memory_order_relaxed);
  if (dirty_.empty() || dirty_.back() != &connection) dirty_.push_back(&connection);
}

// --- connection events -------------------------------------------------------

void DataPlane::onReady(net::Connection& connection) {
  // EXECUTE skips the result metadata: the statement must return what rows are placed as.
  std::string mismatch = protocol::columnMismatch(connection.prepared(), expectedColumnTypes(config_.labelKind));
  if (!mismatch.empty()) {
    connection.fail(net::FailureKind::kPrepare, "the row read `" + config_.query + "` on " + connection.name() +
                                                    " returns " + mismatch + ", expected " +
                                                    expectedColumnText(config_.labelKind));
    return;
  }
  checkOpened();
}

void DataPlane::onFailed(net::Connection& connection, net::FailureKind kind, const std::string& reason,
                         std::vector<net::RequestTag*> lost) {
  if (!opened_) {
    openCauses_.push_back(reason);
    if (kind == net::FailureKind::kAuth) authFailed_ = true;
    if (kind == net::FailureKind::kTls) tlsFailed_ = true;
    if (kind == net::FailureKind::kPrepare) prepareFailed_ = true;
  }
  connection.reconnectAtUs = nowUs_ + reconnectDelayUs(connection.consecutiveFailures);
  dirty_.erase(std::remove(dirty_.begin(), dirty_.end(), &connection), dirty_.end());
  for (net::RequestTag* tag : lost) {
    RowRequest* request = rowRequest(tag);
    leaveWire(request);
    retryLater(request, connection.name(), reason);
  }
  checkOpened();
}

void DataPlane::onResponse(net::Connection& connection, net::RequestTag* tag, const protocol::Frame& frame,
                           const protocol::ByteSpan* placed) {
  RowRequest* request = rowRequest(tag);
  stats_.latency.record(nowUs_ - request->sentAtUs);
  stats_.hostLatency[static_cast<size_t>(connection.hostIndex())]->record(nowUs_ - request->sentAtUs);
  leaveWire(request);
  if (assembler_.abandoned(*request)) {
    assembler_.release(request);
    return;
  }
  protocol::ByteSpan body;
  protocol::Status status = protocol::stripBodyPrefixes(frame, body);
  if (status.ok() && frame.header.opcode == static_cast<uint8_t>(Opcode::kResult)) {
    handleRows(connection, request, body, placed);
  } else if (status.ok() && frame.header.opcode == static_cast<uint8_t>(Opcode::kError)) {
    handleError(connection, request, body);
  } else {
    std::string reason = status.ok() ? "unexpected opcode " + std::to_string(frame.header.opcode) : status.message();
    retryLater(request, connection.name(), "malformed response: " + reason);
    connection.fail(net::FailureKind::kLost, "malformed response from " + connection.name() + ": " + reason);
  }
}

net::CellTarget DataPlane::placeCell(net::RequestTag* tag, size_t size) {
  CellSpot spot = assembler_.cellSpot(*rowRequest(tag), size);
  return {spot.at, std::move(spot.block)};
}

bool DataPlane::cellWanted(net::RequestTag* tag) { return assembler_.spotHolds(*rowRequest(tag)); }

void DataPlane::onCellDiscarded(net::Connection&, net::RequestTag* tag) {
  RowRequest* request = rowRequest(tag);
  leaveWire(request);
  if (assembler_.abandoned(*request) || stopping_) {
    assembler_.release(request);
    return;
  }
  --request->attempts;  // the layout changed, not the replica's fault
  queue_.push_front(request);
}

void DataPlane::handleRows(net::Connection& connection, RowRequest* request, protocol::ByteSpan body,
                           const protocol::ByteSpan* placed) {
  FetchJob& job = *request->job;
  const int32_t columns = config_.labelKind == LabelKind::kNone ? 1 : 2;
  protocol::RowsResult rows;
  protocol::Status status = protocol::decodeRows(body, config_.version, columns, rows, placed);
  if (!status.ok()) {
    retryLater(request, connection.name(), "malformed rows: " + status.message());
    connection.fail(net::FailureKind::kLost, "malformed rows from " + connection.name() + ": " + status.message());
    return;
  }
  if (rows.rowCount == 0) return assembler_.missing(request, "no row");
  const protocol::Cell& data = rows.cells[0];
  if (data.null) return assembler_.missing(request, "null data");
  int32_t intLabel = 0;
  if (config_.labelKind != LabelKind::kNone) {
    const protocol::Cell& label = rows.cells[1];
    if (label.null) return assembler_.missing(request, "null label");
    if (config_.labelKind == LabelKind::kInt) {
      protocol::Status read = protocol::readIntCell(label, intLabel);
      if (!read.ok()) {
        assembler_.failRow(request, makeError("ERR_CASSDL_INTERNAL", "label of row " + uuidText(job.key(request->index)) + " in " +
                                                              config_.table + ": " + read.message() +
                                                              " (is the label column an int?)"));
        return;
      }
    }
  }
  RowCells cells{data.bytes.data, data.bytes.size};
  cells.intLabel = intLabel;
  if (config_.labelKind == LabelKind::kBlob) {
    cells.label = rows.cells[1].bytes.data;
    cells.labelSize = rows.cells[1].bytes.size;
  }
  assembler_.arrived(request, cells, placed != nullptr ? placed->size : 0);
}

void DataPlane::handleError(net::Connection& connection, RowRequest* request, protocol::ByteSpan body) {
  FetchJob& job = *request->job;
  protocol::ServerError error;
  protocol::Status status = protocol::decodeServerError(body, config_.version, error);
  if (!status.ok()) {
    retryLater(request, connection.name(), "malformed error: " + status.message());
    connection.fail(net::FailureKind::kLost, "malformed ERROR from " + connection.name() + ": " + status.message());
    return;
  }
  if (error.code == protocol::kUnprepared) {
    // Not the replica's fault: no retry budget spent. The connection prepares
    // the row read again and takes no request until that is answered; the
    // request goes back to the front of the queue meanwhile.
    --request->attempts;
    if (++request->reprepares > kMaxReprepares) {
      assembler_.failRow(request, makeError("ERR_CASSDL_SERVER", connection.name() + " keeps answering UNPREPARED after re-prepare: " +
                                                          error.sentence));
      return;
    }
    connection.reprepareAfter(*request);
    queue_.push_front(request);
    return;
  }
  const auto& retried = config_.retryServerCodes;
  if (std::find(retried.begin(), retried.end(), error.code) != retried.end()) {
    retryLater(request, connection.name(), error.sentence);
    return;
  }
  ErrorInfo info = makeError("ERR_CASSDL_SERVER", connection.name() + " failed reading row " +
                                                      uuidText(job.key(request->index)) + ": " + error.sentence);
  info.id = uuidText(job.key(request->index));
  info.serverCode = error.code;
  assembler_.failRow(request, std::move(info));
}

// --- request bookkeeping -----------------------------------------------------

void DataPlane::leaveWire(RowRequest* request) {
  if (!request->onWire) return;
  request->onWire = false;
  if (request->admitted) --admitted_;
  if (request->stalledHost >= 0) --stalledOnHost_[static_cast<size_t>(request->stalledHost)];  // a stalled row left the wire
  request->stalledHost = -1;
  request->admitted = false;
  onWire_.erase(request->sequence);
  stats_.inflight.fetch_sub(1, std::memory_order_relaxed);
}

void DataPlane::retryLater(RowRequest* request, const std::string& host, const std::string& reason,
                           uint64_t notBeforeUs) {
  FetchJob& job = *request->job;
  if (assembler_.abandoned(*request) || stopping_) {
    assembler_.release(request);
    return;
  }
  request->failures.emplace_back(host, reason);
  if (request->attempts >= config_.maxAttempts) {
    ErrorInfo info = makeError("ERR_CASSDL_NO_REPLICA", "row " + uuidText(job.key(request->index)) + " in " +
                                                            config_.table + " could not be read after " +
                                                            std::to_string(request->attempts) + " attempts (last: " +
                                                            host + ": " + reason + ")");
    info.id = uuidText(job.key(request->index));
    info.attempts = request->failures;
    assembler_.failRow(request, std::move(info));
    return;
  }
  ++request->cursor;  // next replica
  // Exponential backoff with equal jitter, so retries of a burst spread out.
  uint64_t delayMs = std::min(config_.maxDelayMs, config_.baseDelayMs << std::min(request->attempts - 1, 20));
  random_ ^= random_ << 13;
  random_ ^= random_ >> 7;
  random_ ^= random_ << 17;
  uint64_t jitterUs = delayMs ? random_ % (delayMs * 500 + 1) : 0;
  retries_.push({std::max(nowUs_ + delayMs * 500 + jitterUs, notBeforeUs), request});
}

void DataPlane::fetched(uint64_t ticket, std::unique_ptr<FetchOutput> output, std::optional<ErrorInfo> error) {
  if (!silent_) {
    sink_.fetched(ticket, std::move(output), std::move(error));
  } else if (output && output->leased) {
    assembler_.ring().recycle(output->slot, output->generation);  // no consumer will give it back
  }
}

void DataPlane::checkOpened() {
  if (opened_ || stopping_) return;
  bool anyReady = false;
  bool anyPending = false;
  for (const auto& connection : connections_) {
    anyReady = anyReady || connection->ready();
    anyPending = anyPending || connection->opening();
  }
  if (anyPending) return;
  opened_ = true;
  if (anyReady && !authFailed_ && !tlsFailed_ && !prepareFailed_) {
    if (!silent_) sink_.opened(std::nullopt);
    return;
  }
  std::string causes;
  for (const std::string& cause : openCauses_) causes += (causes.empty() ? "" : "; ") + cause;
  const char* code = authFailed_      ? "ERR_CASSDL_AUTH"
                     : tlsFailed_     ? "ERR_CASSDL_TLS"
                     : prepareFailed_ ? "ERR_CASSDL_SERVER"
                                      : "ERR_CASSDL_CONNECT";
  const char* what = authFailed_      ? "authentication failed: "
                     : tlsFailed_     ? "TLS failed: "
                     : prepareFailed_ ? "the row read could not be prepared: "
                                      : "no host accepted a connection: ";
  ErrorInfo error = makeError(code, what + causes);
  if (!silent_) sink_.opened(std::move(error));
  // Nothing to serve: stop reconnecting; the JS side closes us.
  for (auto& connection : connections_) connection->reconnectAtUs = 0;
}

void DataPlane::shutdown() {
  for (auto& connection : connections_) connection->shutdown();
  assembler_.closeAll();
  queue_.clear();
  onWire_.clear();
  stats_.inflight.store(0);
  admitted_ = 0;
  std::fill(stalledOnHost_.begin(), stalledOnHost_.end(), 0);
  if (!silent_) sink_.closed();
}

}  // namespace cassdl::io
