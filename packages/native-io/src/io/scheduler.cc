#include "scheduler.h"

#include <algorithm>

#include "fetch_job.h"

namespace cassdl::io {

Scheduler::Scheduler(const PlaneConfig& config, PlaneStats& stats, BatchAssembler& assembler, Router& router,
                     Writer writer)
    : config_(config),
      stats_(stats),
      assembler_(assembler),
      router_(router),
      writer_(std::move(writer)),
      backoff_(config.baseDelayMs, config.maxDelayMs),
      admission_(config.inflight) {}

// --- sending -------------------------------------------------------------------------

void Scheduler::dispatch(uint64_t nowUs) {
  while (admitted_ < admission_ && onWire_ < wireLimit() && !queue_.empty()) {
    RowRequest* request = queue_.front();
    if (assembler_.abandoned(*request)) {
      queue_.pop_front();
      assembler_.release(request);
      continue;
    }
    bool wait = false;
    net::Connection* connection = router_.pick(*request, wait);
    if (connection == nullptr && wait) break;  // replicas busy or still connecting
    queue_.pop_front();
    if (connection == nullptr) {
      noConnection(request, nowUs);
    } else {
      send(request, *connection, nowUs);
    }
  }
}

void Scheduler::noConnection(RowRequest* request, uint64_t nowUs) {
  ++request->attempts;
  // Come back no sooner than the first reconnect of a replica, so a short
  // disconnect costs one attempt rather than the whole retry budget.
  uint64_t reconnectAt = router_.firstReconnectUs(*request);
  std::string why = router_.replicasLastFailure(*request);  // what closed them, so the row's error says
  retryLater(request, router_.nextHostName(*request),
             why.empty() ? "no open connection" : "no open connection (last failure: " + why + ")", nowUs,
             reconnectAt == UINT64_MAX ? 0 : reconnectAt + 1000);
}

void Scheduler::send(RowRequest* request, net::Connection& connection, uint64_t nowUs) {
  writer_(*request, connection);
  if (request->attempts > 0) stats_.retries.add(1);
  ++request->attempts;
  request->sentAtUs = nowUs;
  request->onWire = true;
  request->admitted = true;
  ++admitted_;
  request->sequence = sentBase_ + sent_.size();
  sent_.push_back({nowUs, request});
  ++onWire_;
  stats_.inflight.add(1);
  if (stats_.inflight.load() > stats_.peakInflight.load()) stats_.peakInflight.store(stats_.inflight.load());
  stats_.requests.add(1);
  router_.queued(connection);
}

// --- leaving the wire ------------------------------------------------------------------

void Scheduler::answered(RowRequest* request, int host, uint64_t nowUs) {
  stats_.latency.record(nowUs - request->sentAtUs);
  stats_.hostLatency[static_cast<size_t>(host)]->record(nowUs - request->sentAtUs);
  leaveWire(request);
}

void Scheduler::leaveWire(RowRequest* request) {
  if (!request->onWire) return;
  request->onWire = false;
  if (request->admitted) --admitted_;
  if (request->stalledHost >= 0) router_.unmarkStalled(request->stalledHost);  // a stalled row left the wire
  request->stalledHost = -1;
  request->admitted = false;
  if (Sent* entry = sentEntry(*request)) entry->request = nullptr;  // the timeout and stall scans skip it now
  --onWire_;
  stats_.inflight.add(-1);
}

void Scheduler::retryLater(RowRequest* request, const std::string& host, const std::string& reason, uint64_t nowUs,
                           uint64_t notBeforeUs) {
  if (assembler_.abandoned(*request)) {
    assembler_.release(request);
    return;
  }
  request->failures.emplace_back(host, reason);
  if (request->attempts >= config_.maxAttempts) {
    const FetchJob& job = *request->job;
    std::string id = uuidText(job.key(request->index));
    ErrorInfo info = makeError("ERR_CASSDL_NO_REPLICA", "row " + id + " in " + config_.table +
                                                            " could not be read after " +
                                                            std::to_string(request->attempts) + " attempts (last: " +
                                                            host + ": " + reason + ")");
    info.id = id;
    info.attempts = request->failures;
    assembler_.failRow(request, std::move(info));
    return;
  }
  ++request->cursor;  // next replica
  retries_.push({std::max(nowUs + backoff_.delayUs(request->attempts), notBeforeUs), request});
}

Scheduler::Sent* Scheduler::sentEntry(const RowRequest& request) {
  // Every request on the wire has its entry; clear() (the plane closed) forgets them all.
  uint64_t at = request.sequence - sentBase_;
  return request.sequence >= sentBase_ && at < sent_.size() ? &sent_[at] : nullptr;
}

void Scheduler::popSent() {
  sent_.pop_front();
  ++sentBase_;
}

// --- timers ------------------------------------------------------------------------------

void Scheduler::expireTimeouts(uint64_t nowUs) {
  const uint64_t timeoutUs = config_.requestTimeoutMs * 1000;
  while (!sent_.empty()) {
    Sent front = sent_.front();
    if (front.request == nullptr) {
      popSent();
      continue;
    }
    if (nowUs - front.sentAtUs < timeoutUs) break;
    RowRequest* request = front.request;
    net::Connection* connection = request->connection;
    std::string host = connection ? connection->name() : "?";
    if (connection) connection->orphan(request->stream);  // its stream stays lent until the late answer
    leaveWire(request);
    popSent();
    retryLater(request, host, "no answer within " + std::to_string(config_.requestTimeoutMs) + " ms", nowUs);
  }
}

int64_t Scheduler::wireLimit() const {
  // Stalled rows still arrive (their bytes land in the ring or wait in the
  // chunks), so the wire may hold at most one more admission's worth of them:
  // the controller sized admission to the memory budget. Unbounded (up to
  // config.inflight), a slow start released every early row as stalled and
  // the wire filled to tens of thousands: 110 KB rows peaked at 1.4-1.7 GB
  // RSS against a 1 GiB budget.
  return std::min<int64_t>(config_.inflight, 2 * static_cast<int64_t>(admission_));
}

void Scheduler::releaseStalled(uint64_t nowUs) {
  // A replica that stopped answering (a stalled link) would otherwise hold
  // the admission window with rows that cannot arrive; with ooo the group's
  // other rows can fill the batches meanwhile, if new requests may go out.
  // Not before rows have answered: with no latency known, every row of a
  // slow start (a server still busy with another reader's backlog) looked
  // stalled after 50 ms.
  if (stats_.latency.count() < kStallSamples) return;
  const uint64_t stallUs = std::max<uint64_t>(50000, static_cast<uint64_t>(2000 * stats_.latency.quantileMs(0.99)));
  for (const Sent& sent : sent_) {
    if (nowUs - sent.sentAtUs < stallUs) break;
    RowRequest* request = sent.request;
    if (request == nullptr) continue;
    if (!request->admitted || !request->job->grouped) continue;
    request->admitted = false;
    --admitted_;
    if (request->connection) {
      request->stalledHost = request->connection->hostIndex();
      router_.markStalled(request->stalledHost);
    }
  }
}

void Scheduler::dueRetries(uint64_t nowUs) {
  while (!retries_.empty() && retries_.top().dueUs <= nowUs) {
    RowRequest* request = retries_.top().request;
    retries_.pop();
    queue_.push_front(request);
  }
}

uint64_t Scheduler::waitMs(uint64_t nowUs) const {
  uint64_t wait = 1000;
  if (!retries_.empty()) wait = retries_.top().dueUs > nowUs ? (retries_.top().dueUs - nowUs) / 1000 : 0;
  // In flight or waiting to go out: look at deadlines often.
  if (onWire_ > 0 || !queue_.empty()) wait = std::min<uint64_t>(wait, 20);
  return wait;
}

void Scheduler::clear() {
  queue_.clear();
  sentBase_ += sent_.size();
  sent_.clear();
  onWire_ = 0;
  stats_.inflight.store(0);
  admitted_ = 0;
}

}  // namespace cassdl::io
