#include "router.h"

#include <algorithm>

#include "fetch_job.h"

namespace cassdl::io {

namespace {

/** Reconnect delay after `failures` consecutive failures: 250 ms doubling to 10 s. */
uint64_t reconnectDelayUs(int failures) {
  uint64_t ms = 250ULL << std::min(failures > 0 ? failures - 1 : 0, 6);
  return std::min<uint64_t>(ms, 10000) * 1000;
}

}  // namespace

Router::Router(const PlaneConfig& config) : config_(config) {
  if (config_.credentials) credentials_ = *config_.credentials;
  stalledOnHost_.assign(config_.hosts.size(), 0);
}

// --- connections -----------------------------------------------------------------

std::string Router::connect(int epollFd, net::ConnectionEvents& events, std::atomic<uint64_t>* receivedBytes) {
  if (config_.tls) {
    std::string error;
    tls_ = net::TlsContext::create(*config_.tls, error);
    if (!tls_) return "TLS: " + error;
  }
  byHost_.resize(config_.hosts.size());
  for (size_t h = 0; h < config_.hosts.size(); ++h) {
    for (int i = 0; i < config_.connectionsPerHost; ++i) {
      connections_.push_back(makeConnection(h, epollFd, events, receivedBytes));
      byHost_[h].push_back(connections_.back().get());
    }
  }
  return "";
}

std::unique_ptr<net::Connection> Router::makeConnection(size_t host, int epollFd, net::ConnectionEvents& events,
                                                        std::atomic<uint64_t>* receivedBytes) {
  const HostConfig& to = config_.hosts[host];
  net::ConnectionSettings settings;
  settings.address = config_.proxy ? config_.proxy->address : to.address;
  settings.port = config_.proxy ? config_.proxy->port : to.port;
  settings.sniName = to.sniName;
  if (config_.proxy) {
    settings.name = to.address + ":" + std::to_string(to.port) + " (SNI " + to.sniName + " through the proxy " +
                    config_.proxy->address + ":" + std::to_string(config_.proxy->port) + ")";
  }
  settings.hostIndex = static_cast<int>(host);
  settings.version = config_.version;
  settings.query = config_.query;
  settings.credentials = config_.credentials ? &credentials_ : nullptr;
  settings.tls = tls_.get();
  settings.connectTimeoutUs = config_.connectTimeoutMs * 1000;
  // No connection needs more streams than the whole plane may have in flight.
  settings.maxStreams = std::min(protocol::kMaxStreams, std::max(1, config_.inflight));
  settings.receivedBytes = receivedBytes;
  return std::make_unique<net::Connection>(std::move(settings), events, epollFd);
}

void Router::startAll(uint64_t nowUs) {
  bool anyUp = std::any_of(config_.hosts.begin(), config_.hosts.end(), [](const HostConfig& h) { return h.up; });
  for (auto& connection : connections_) {
    if (!anyUp || config_.hosts[static_cast<size_t>(connection->hostIndex())].up) connection->start(nowUs);
  }
}

void Router::queued(net::Connection& connection) {
  if (dirty_.empty() || dirty_.back() != &connection) dirty_.push_back(&connection);
}

void Router::flush() {
  // Swapped out first: a failing flush reports through onFailed, which edits dirty_.
  std::vector<net::Connection*> dirty;
  dirty.swap(dirty_);
  for (net::Connection* connection : dirty) connection->flush();
}

void Router::onFailed(net::Connection& connection, net::FailureKind kind, const std::string& reason,
                      uint64_t nowUs) {
  if (!opened_) {
    openCauses_.push_back(reason);
    if (kind == net::FailureKind::kAuth) authFailed_ = true;
    if (kind == net::FailureKind::kTls) tlsFailed_ = true;
    if (kind == net::FailureKind::kPrepare) prepareFailed_ = true;
  }
  connection.reconnectAtUs = nowUs + reconnectDelayUs(connection.consecutiveFailures);
  dirty_.erase(std::remove(dirty_.begin(), dirty_.end(), &connection), dirty_.end());
}

void Router::checkDeadlines(uint64_t nowUs) {
  for (auto& connection : connections_) connection->checkDeadline(nowUs);
}

void Router::reconnectDue(uint64_t nowUs) {
  for (auto& connection : connections_) {
    if (connection->reconnectAtUs && connection->reconnectAtUs <= nowUs) connection->start(nowUs);
  }
}

bool Router::finishOpening(std::optional<ErrorInfo>& error) {
  bool anyReady = false;
  bool anyPending = false;
  for (const auto& connection : connections_) {
    anyReady = anyReady || connection->ready();
    anyPending = anyPending || connection->opening();
  }
  if (anyPending) return false;
  opened_ = true;
  if (anyReady && !authFailed_ && !tlsFailed_ && !prepareFailed_) return true;
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
  error = makeError(code, what + causes);
  // Nothing to serve: stop reconnecting; the JS side closes the plane.
  for (auto& connection : connections_) connection->reconnectAtUs = 0;
  return true;
}

uint64_t Router::waitMs() const {
  if (!opened_) return 20;  // connecting: look at connect deadlines often
  for (const auto& connection : connections_) {
    if (connection->reconnectAtUs) return 50;
  }
  return UINT64_MAX;
}

void Router::shutdown() {
  for (auto& connection : connections_) connection->shutdown();
  std::fill(stalledOnHost_.begin(), stalledOnHost_.end(), 0);
}

// --- replicas ----------------------------------------------------------------------

void Router::assign(RowRequest& request) {
  request.replicas = &config_.ring.replicasFor(request.job->key(request.index), 16);
  size_t spreadOver = std::max<size_t>(1, request.replicas->preferred);
  request.cursor = spread_++ % spreadOver;
}

net::Connection* Router::pick(RowRequest& request, bool& wait) {
  // A grouped (ooo) row first avoids replicas with stalled rows on the wire.
  if (request.job->grouped && anyStalled()) {
    if (net::Connection* connection = pickFrom(request, wait, true)) return connection;
  }
  return pickFrom(request, wait, false);
}

bool Router::anyStalled() const {
  return std::any_of(stalledOnHost_.begin(), stalledOnHost_.end(), [](int n) { return n > 0; });
}

net::Connection* Router::pickFrom(RowRequest& request, bool& wait, bool avoidStalled) {
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

uint64_t Router::firstReconnectUs(const RowRequest& request) const {
  uint64_t reconnectAt = UINT64_MAX;
  for (int h : request.replicas->hosts) {
    for (net::Connection* c : byHost_[static_cast<size_t>(h)]) {
      if (c->reconnectAtUs) reconnectAt = std::min(reconnectAt, c->reconnectAtUs);
    }
  }
  return reconnectAt;
}

std::string Router::replicasLastFailure(const RowRequest& request) const {
  for (int h : request.replicas->hosts) {
    for (net::Connection* c : byHost_[static_cast<size_t>(h)]) {
      if (!c->lastFailure().empty()) return c->lastFailure();
    }
  }
  return "";
}

std::string Router::nextHostName(const RowRequest& request) const {
  const auto& hosts = request.replicas->hosts;
  const HostConfig& host = config_.hosts[static_cast<size_t>(hosts[request.cursor % hosts.size()])];
  return host.address + ":" + std::to_string(host.port);
}

}  // namespace cassdl::io
