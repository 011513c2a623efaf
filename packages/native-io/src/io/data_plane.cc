#include "data_plane.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "../net/socket.h"
#include "../protocol/rows.h"
#include "../protocol/server_error.h"

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
    : config_(std::move(config)), sink_(sink), ring_(config_.batchSlots) {
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
  Command command{Command::Kind::kSubmit, ticket, std::move(keys), {}, leased};
  command.group = group;
  push(std::move(command));
}

void DataPlane::setInflightLimit(int inflight) {
  push({Command::Kind::kLimit, 0, {}, {}, false, std::clamp(inflight, 1, config_.inflight)});
}

void DataPlane::setPreparedId(std::vector<uint8_t> id) { push({Command::Kind::kPrepared, 0, std::move(id), {}}); }

void DataPlane::reprepareFailed(std::string message) {
  push({Command::Kind::kPrepareFailed, 0, {}, std::move(message)});
}

void DataPlane::close() {
  if (thread_.joinable()) push({Command::Kind::kClose, 0, {}, {}});
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
      case Command::Kind::kPrepared:
        config_.preparedId = std::move(command.bytes);
        repreparing_ = false;
        for (auto it = parked_.rbegin(); it != parked_.rend(); ++it) queue_.push_front(*it);
        parked_.clear();
        break;
      case Command::Kind::kPrepareFailed:
        repreparing_ = false;
        for (RowRequest* request : parked_) {
          if (!request->job->abandoned(stopping_)) {
            failRow(request, makeError("ERR_CASSDL_SERVER", "re-preparing the row read after UNPREPARED failed: " +
                                                                command.message));
          } else {
            release(request);
          }
        }
        parked_.clear();
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
  auto job = std::make_unique<FetchJob>(&chunks_);
  job->ticket = ticket;
  job->keys = std::move(keys);
  job->leased = leased;
  if (group) {
    job->grouped = true;
    job->group = *group;
    job->outKeys.resize(job->keys.size());
  }
  if (leased) {
    job->slotIndex = ring_.acquire();
    job->slot = &ring_.slot(job->slotIndex);
  } else {
    job->own = std::make_unique<RingSlot>();
    job->slot = job->own.get();
  }
  size_t n = job->count();
  job->requests.resize(n);
  job->rows.resize(n);
  job->unsettled = n;
  // Sized from recent rows so the output rarely grows (a warm slot is already large enough).
  if (averageRowBytes_ > 0) reserveData(*job, n * averageRowBytes_ + n * averageRowBytes_ / 8 + 4096, 0, n * averageRowBytes_);
  job->live = n;
  FetchJob& ref = *job;
  jobs_[ticket] = std::move(job);
  if (ref.grouped) {
    groups_[ref.group].push_back(&ref);
    if (n == 0) advanceGroup(ref.group);  // empty: complete in its turn, after the jobs ahead of it
    if (n == 0) return;
  } else if (n == 0) {
    complete(ref);
    return;
  }
  for (size_t i = 0; i < n; ++i) {
    RowRequest& request = ref.requests[i];
    request.job = &ref;
    request.index = static_cast<uint32_t>(i);
    request.replicas = &config_.ring.replicasFor(ref.key(i), 16);
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
  if (!opened_ || repreparing_) return;
  while (admitted_ < admission_ && static_cast<int64_t>(onWire_.size()) < config_.inflight && !queue_.empty()) {
    RowRequest* request = queue_.front();
    if (request->job->abandoned(stopping_)) {
      queue_.pop_front();
      release(request);
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
      for (int h : hosts) {
        for (net::Connection* c : byHost_[static_cast<size_t>(h)]) {
          if (c->reconnectAtUs) reconnectAt = std::min(reconnectAt, c->reconnectAtUs);
        }
      }
      retryLater(request, host.address + ":" + std::to_string(host.port), "no open connection",
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
  params.preparedId = {config_.preparedId.data(), config_.preparedId.size()};
  params.resultMetadataId = {config_.resultMetadataId.data(), config_.resultMetadataId.size()};
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

void DataPlane::onReady(net::Connection&) {
  checkOpened();
}

void DataPlane::onFailed(net::Connection& connection, net::FailureKind kind, const std::string& reason,
                         std::vector<net::RequestTag*> lost) {
  if (!opened_) {
    openCauses_.push_back(reason);
    if (kind == net::FailureKind::kAuth) authFailed_ = true;
    if (kind == net::FailureKind::kTls) tlsFailed_ = true;
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
  if (request->job->abandoned(stopping_)) {
    release(request);
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

/**
 * A large data cell is read straight to its final offset in the batch while
 * every row of the fetch has one size (then each row's offset is
 * index * size, whatever the order), so no byte of it is copied in user
 * space. The place stays the cell's only while the layout holds
 * (cellWanted); otherwise the bytes are dropped and the row read again.
 */
net::CellTarget DataPlane::placeCell(net::RequestTag* tag, size_t size) {
  RowRequest* request = rowRequest(tag);
  FetchJob& job = *request->job;
  // A grouped row's place is known only once it has arrived (claim).
  if (job.grouped || job.finished || job.uniformBroken || job.uniformSize != size || !job.slot->data) return {};
  std::shared_ptr<Block>& out = job.slot->data;
  if ((request->index + 1) * size > out->capacity()) return {};
  return {out->data() + request->index * size, out};
}

bool DataPlane::cellWanted(net::RequestTag* tag) {
  const FetchJob& job = *rowRequest(tag)->job;
  return !job.finished && !job.uniformBroken;
}

void DataPlane::onCellDiscarded(net::Connection&, net::RequestTag* tag) {
  RowRequest* request = rowRequest(tag);
  leaveWire(request);
  if (request->job->abandoned(stopping_) || stopping_) {
    release(request);
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
  if (rows.rowCount == 0) return missing(request, "no row");
  const protocol::Cell& data = rows.cells[0];
  if (data.null) return missing(request, "null data");
  int32_t intLabel = 0;
  if (config_.labelKind != LabelKind::kNone) {
    const protocol::Cell& label = rows.cells[1];
    if (label.null) return missing(request, "null label");
    if (config_.labelKind == LabelKind::kInt) {
      protocol::Status read = protocol::readIntCell(label, intLabel);
      if (!read.ok()) {
        failRow(request, makeError("ERR_CASSDL_INTERNAL", "label of row " + uuidText(job.key(request->index)) + " in " +
                                                              config_.table + ": " + read.message() +
                                                              " (is the label column an int?)"));
        return;
      }
    }
  }
  Place place = claim(request);
  if (place.job == nullptr) return release(request);  // rows of a failed grouped fetch: no fetch left to fill
  FetchJob& out = *place.job;
  RowOutcome& row = out.rows[place.index];
  row.intLabel = intLabel;
  if (config_.labelKind == LabelKind::kBlob) {
    const protocol::Cell& label = rows.cells[1];
    row.label = out.arena.copy(label.bytes.data, label.bytes.size);
    row.labelSize = static_cast<uint32_t>(label.bytes.size);
  }
  row.size = static_cast<uint32_t>(data.bytes.size);
  if (placed != nullptr) stats_.placedBytes.fetch_add(placed->size, std::memory_order_relaxed);
  placeData(out, place.index, data.bytes.data, data.bytes.size);
  averageRowBytes_ = averageRowBytes_ ? (averageRowBytes_ * 7 + row.size) / 8 : row.size;
  stats_.rows.fetch_add(1, std::memory_order_relaxed);
  stats_.bytes.fetch_add(row.size + row.labelSize, std::memory_order_relaxed);
  settle(request, place);
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
    --request->attempts;  // not the replica's fault: no retry budget spent
    if (error.unpreparedId != config_.preparedId) {
      queue_.push_front(request);  // sent before the last re-prepare: just resend
      return;
    }
    if (++request->reprepares > 3) {
      failRow(request, makeError("ERR_CASSDL_SERVER", connection.name() + " keeps answering UNPREPARED after re-prepare: " +
                                                          error.sentence));
      return;
    }
    parked_.push_back(request);
    if (!repreparing_) {
      repreparing_ = true;
      if (!silent_) sink_.reprepareNeeded();
    }
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
  failRow(request, std::move(info));
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
  if (job.abandoned(stopping_) || stopping_) {
    release(request);
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
    failRow(request, std::move(info));
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

void DataPlane::missing(RowRequest* request, const char* what) {
  FetchJob& job = *request->job;
  stats_.missing.fetch_add(1, std::memory_order_relaxed);
  if (config_.skipMissing) {
    Place place = claim(request);
    if (place.job == nullptr) return release(request);
    leaveUniform(*place.job);  // the rows after it move up: no longer at index * size
    place.job->rows[place.index].missing = true;
    settle(request, place);
    return;
  }
  std::string id = uuidText(job.key(request->index));
  std::string message = std::string(what) == "no row" ? "row " + id + " not found in " + config_.table
                                                      : "row " + id + " in " + config_.table + " has a " + what;
  ErrorInfo info = makeError("ERR_CASSDL_MISSING_ROW", message);
  info.id = id;
  info.reason = what;
  failRow(request, std::move(info));
}

void DataPlane::appendOut(FetchJob& job, const uint8_t* data, size_t size) {
  if (size == 0) return;  // an empty row: nothing to place (and maybe no block yet)
  std::shared_ptr<Block>& out = job.slot->data;
  size_t capacity = out ? out->capacity() : 0;
  // Keeps the whole old block: rows written early (uniform sizes) lie past outUsed.
  if (job.outUsed + size > capacity) reserveData(job, std::max(job.outUsed + size, capacity * 2), capacity, job.outUsed + size);
  uint8_t* at = out->data() + job.outUsed;
  if (at != data) std::memmove(at, data, size);  // equal: read straight into place
  job.outUsed += size;
}

void DataPlane::placeData(FetchJob& job, uint32_t index, const uint8_t* data, size_t size) {
  RowOutcome& row = job.rows[index];
  // Early rows are written at index * size only while that is surely their
  // final offset; the output is reserved for all rows at once (capped, so a
  // huge first row does not reserve n times itself).
  constexpr size_t kMaxUniformOutput = size_t{1} << 30;
  if (!job.uniformBroken && job.uniformSize == 0 && size > 0 && size * job.count() <= kMaxUniformOutput) {
    job.uniformSize = size;
    size_t capacity = job.slot->data ? job.slot->data->capacity() : 0;
    reserveData(job, size * job.count(), capacity, size * job.count());
  }
  if (job.uniformSize == 0 || size != job.uniformSize) leaveUniform(job);
  if (index == job.nextInOrder) {
    appendOut(job, data, size);  // the one copy: socket buffer to output
    row.placed = true;
  } else if (!job.uniformBroken) {
    uint8_t* at = job.slot->data->data() + index * size;
    if (at != data) std::memmove(at, data, size);  // the one copy, early: its final offset (none if read there)
    row.early = true;
  } else {
    row.data = job.arena.copy(data, size);  // early: parked until its turn
  }
}

void DataPlane::leaveUniform(FetchJob& job) {
  if (job.uniformBroken) return;
  job.uniformBroken = true;
  for (size_t i = job.nextInOrder; i < job.count(); ++i) {
    RowOutcome& row = job.rows[i];
    if (!row.early) continue;
    row.data = job.arena.copy(job.slot->data->data() + i * job.uniformSize, row.size);
    row.early = false;
  }
}

DataPlane::Place DataPlane::claim(RowRequest* request) {
  FetchJob& job = *request->job;
  if (!job.grouped) return {&job, request->index};
  auto it = groups_.find(job.group);
  if (it == groups_.end() || it->second.empty()) return {};
  FetchJob& target = *it->second.front();
  uint32_t at = static_cast<uint32_t>(target.filled++);
  std::memcpy(target.outKeys.data() + 16 * size_t{at}, job.key(request->index), 16);
  return {&target, at};
}

void DataPlane::failRow(RowRequest* request, ErrorInfo error) {
  FetchJob& job = *request->job;
  if (!job.grouped) {
    failJob(job, std::move(error));
    release(request);
    return;
  }
  // The fetch being filled fails; the group's other rows go on to the next one.
  auto it = groups_.find(job.group);
  FetchJob* target = it == groups_.end() || it->second.empty() ? nullptr : it->second.front();
  if (target != nullptr) {
    it->second.pop_front();
    failJob(*target, std::move(error));
  }
  int64_t group = job.group;
  release(request);
  if (target != nullptr && target != &job) maybeFree(*target);
  advanceGroup(group);
}

void DataPlane::advanceGroup(int64_t group) {
  auto it = groups_.find(group);
  if (it == groups_.end()) return;
  // Empty jobs complete in their turn: once every job ahead of them did.
  while (!it->second.empty() && it->second.front()->unsettled == 0) {
    FetchJob* next = it->second.front();
    it->second.pop_front();
    complete(*next);
  }
  if (it->second.empty()) groups_.erase(it);
}

void DataPlane::settle(RowRequest* request, Place place) {
  FetchJob& own = *request->job;
  FetchJob& job = *place.job;
  job.rows[place.index].settled = true;
  // Extend the in-order prefix over every row now settled.
  while (job.nextInOrder < job.count() && job.rows[job.nextInOrder].settled) {
    RowOutcome& row = job.rows[job.nextInOrder];
    if (row.early) {
      job.outUsed += row.size;  // uniform sizes: already written where the prefix now reaches
    } else if (!row.missing && !row.placed) {
      appendOut(job, row.data, row.size);
    }
    row.placed = true;
    ++job.nextInOrder;
  }
  --job.unsettled;
  --own.live;
  if (&own != &job) maybeFree(own);  // a grouped row filled another job: its own may be done with
  if (job.unsettled == 0) {
    if (job.grouped) {
      advanceGroup(job.group);  // it is the group's front job: completes, and empty ones behind it
    } else {
      complete(job);
    }
  }
}

void DataPlane::release(RowRequest* request) {
  FetchJob& job = *request->job;
  --job.live;
  maybeFree(job);
}

void DataPlane::maybeFree(FetchJob& job) {
  if (job.finished && job.live == 0) jobs_.erase(job.ticket);
}

void DataPlane::failJob(FetchJob& job, ErrorInfo error) {
  if (job.finished) return;
  job.finished = true;
  returnSlot(job);  // nothing was handed out: the slot is free at once
  stats_.failures.fetch_add(1, std::memory_order_relaxed);
  if (!silent_) sink_.fetched(job.ticket, nullptr, std::move(error));
  // Freed once its last request comes back (maybeFree), since some are still on the wire.
}

namespace {

size_t align8(size_t n) { return (n + 7) & ~size_t{7}; }

}  // namespace

void DataPlane::complete(FetchJob& job) {
  size_t n = job.count();
  size_t present = 0;
  size_t dataBytes = 0;
  size_t labelBytes = 0;
  for (const RowOutcome& row : job.rows) {
    if (row.missing) continue;
    ++present;
    dataBytes += row.size;
    labelBytes += row.labelSize;
  }
  if (dataBytes > UINT32_MAX || labelBytes > UINT32_MAX) {
    failJob(job, makeError("ERR_CASSDL_INTERNAL", "one fetch returned more than 4 GiB; fetch fewer keys at a time"));
    maybeFree(job);
    return;
  }
  RingSlot& slot = *job.slot;
  auto output = std::make_unique<FetchOutput>();
  output->size = static_cast<uint32_t>(present);
  output->missingCount = static_cast<uint32_t>(n - present);
  output->labelKind = config_.labelKind;
  output->dataBytes = job.outUsed;  // every row is settled: the data block holds all of it in key order
  output->labelBytes = labelBytes;
  // The small arrays go to the slot's meta block, each at a multiple of 8.
  bool labelArray = config_.labelKind != LabelKind::kNone;
  output->idsAt = 0;
  output->offsetsAt = align8(present * 16);
  output->labelsAt = align8(output->offsetsAt + (present + 1) * 4);
  output->missingAt = align8(output->labelsAt + (labelArray ? (present + 1) * 4 : 0));
  size_t metaBytes = output->missingAt + (n - present) * 16;
  reserveBlock(slot.meta, metaBytes, 0);
  if (!slot.data) reserveData(job, 0, 0, 0);
  if (config_.labelKind == LabelKind::kBlob) reserveBlock(slot.labels, labelBytes, 0);
  uint8_t* meta = slot.meta->data();
  auto* ids = meta + output->idsAt;
  auto* offsets = reinterpret_cast<uint32_t*>(meta + output->offsetsAt);
  auto* labels = reinterpret_cast<uint32_t*>(meta + output->labelsAt);
  auto* missingIds = meta + output->missingAt;
  uint8_t* labelData = config_.labelKind == LabelKind::kBlob ? slot.labels->data() : nullptr;
  uint32_t dataAt = 0;
  uint32_t labelAt = 0;
  size_t out = 0;
  offsets[0] = 0;
  if (config_.labelKind == LabelKind::kBlob) labels[0] = 0;
  for (size_t i = 0; i < n; ++i) {
    const RowOutcome& row = job.rows[i];
    const uint8_t* key = job.outKey(i);
    if (row.missing) {
      std::memcpy(missingIds, key, 16);
      missingIds += 16;
      continue;
    }
    std::memcpy(ids + 16 * out, key, 16);
    dataAt += row.size;
    offsets[out + 1] = dataAt;
    if (config_.labelKind == LabelKind::kInt) labels[out] = static_cast<uint32_t>(row.intLabel);
    if (config_.labelKind == LabelKind::kBlob) {
      if (row.labelSize) std::memcpy(labelData + labelAt, row.label, row.labelSize);
      labelAt += row.labelSize;
      labels[out + 1] = labelAt;
    }
    ++out;
  }
  output->slot = job.slotIndex;
  output->generation = slot.generation;
  output->leased = job.leased;
  output->data = slot.data;
  output->meta = slot.meta;
  output->labels = slot.labels;
  job.finished = true;
  job.arena.clear();  // rows are in the slot now: chunks go back to the pool at once
  if (silent_) {
    returnSlot(job);
  } else {
    sink_.fetched(job.ticket, std::move(output), std::nullopt);
  }
  maybeFree(job);
}

void DataPlane::reserveData(FetchJob& job, size_t wanted, size_t keep, size_t populate) {
  if (job.leased) {
    ring_.reserveData(job.slotIndex, wanted, keep, populate);
  } else {
    reserveBlock(job.slot->data, wanted, keep);  // handed to JS for good: a mapping of its own
  }
}

void DataPlane::returnSlot(FetchJob& job) {
  if (!job.leased || job.slotReturned) return;
  job.slotReturned = true;
  ring_.recycle(job.slotIndex, job.slot->generation);
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
  if (anyReady && !authFailed_ && !tlsFailed_) {
    if (!silent_) sink_.opened(std::nullopt);
    return;
  }
  std::string causes;
  for (const std::string& cause : openCauses_) causes += (causes.empty() ? "" : "; ") + cause;
  const char* code = authFailed_ ? "ERR_CASSDL_AUTH" : tlsFailed_ ? "ERR_CASSDL_TLS" : "ERR_CASSDL_CONNECT";
  const char* what = authFailed_ ? "authentication failed: "
                     : tlsFailed_ ? "TLS failed: "
                                  : "no host accepted a connection: ";
  ErrorInfo error = makeError(code, what + causes);
  if (!silent_) sink_.opened(std::move(error));
  // Nothing to serve: stop reconnecting; the JS side closes us.
  for (auto& connection : connections_) connection->reconnectAtUs = 0;
}

void DataPlane::shutdown() {
  for (auto& connection : connections_) connection->shutdown();
  for (auto& entry : jobs_) {
    FetchJob& job = *entry.second;
    if (!job.finished) {
      job.finished = true;
      returnSlot(job);
      if (!silent_) {
        sink_.fetched(job.ticket, nullptr,
                      makeError("ERR_CASSDL_CLOSED", "the native data plane was closed while this fetch was outstanding"));
      }
    }
  }
  jobs_.clear();
  groups_.clear();
  queue_.clear();
  parked_.clear();
  onWire_.clear();
  stats_.inflight.store(0);
  admitted_ = 0;
  std::fill(stalledOnHost_.begin(), stalledOnHost_.end(), 0);
  if (!silent_) sink_.closed();
}

}  // namespace cassdl::io
