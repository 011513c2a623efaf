#include "data_plane.h"

#include <algorithm>

#include "../protocol/prepared.h"
#include "../protocol/rows.h"
#include "../protocol/server_error.h"
#include "row_columns.h"

namespace cassdl::io {

using protocol::Opcode;

DataPlane::DataPlane(PlaneConfig config, PlaneSink& sink)
    : config_(std::move(config)),
      sink_(sink),
      router_(config_),
      assembler_({config_.labelKind, config_.skipMissing, config_.table, config_.batchSlots}, stats_, *this),
      scheduler_(config_, stats_, assembler_, router_,
                 [this](RowRequest& request, net::Connection& connection) { write(request, connection); }) {
  for (size_t h = 0; h < config_.hosts.size(); ++h) stats_.hostLatency.push_back(std::make_unique<LatencyHistogram>());
}

DataPlane::~DataPlane() { stopSilently(); }

// --- commands from JS (any thread: posted to the I/O thread) ----------------------

std::string DataPlane::start() {
  std::string error = loop_.open();
  if (error.empty()) error = router_.connect(loop_.epollFd(), *this, &stats_.receivedBytes);
  if (!error.empty()) return error;
  loop_.start(*this);
  return "";
}

void DataPlane::submit(uint64_t ticket, std::vector<uint8_t> keys, bool leased, std::optional<int64_t> group) {
  loop_.post([this, ticket, keys = std::move(keys), leased, group]() mutable {
    startJob(ticket, std::move(keys), leased, group);
  });
}

void DataPlane::setInflightLimit(int inflight) {
  int limit = std::clamp(inflight, 1, config_.inflight);
  loop_.post([this, limit] { scheduler_.setAdmission(limit); });  // the next dispatch admits more
}

void DataPlane::close() { loop_.stop(); }

void DataPlane::stopSilently() {
  silent_ = true;
  close();
  join();
}

void DataPlane::join() { loop_.join(); }

// --- the I/O thread ------------------------------------------------------------------

void DataPlane::onStart() {
  router_.startAll(loop_.nowUs());
  checkOpened();
}

void DataPlane::onEvents(void* tag, uint32_t events) { static_cast<net::Connection*>(tag)->onEvents(events); }

void DataPlane::onTick() {
  uint64_t now = loop_.nowUs();
  scheduler_.expireTimeouts(now);
  router_.checkDeadlines(now);
  scheduler_.releaseStalled(now);
  scheduler_.dueRetries(now);
  router_.reconnectDue(now);
  if (router_.opened()) scheduler_.dispatch(now);  // nothing goes out before the plane opened
  router_.flush();
}

uint64_t DataPlane::waitMs() const { return std::min(scheduler_.waitMs(loop_.nowUs()), router_.waitMs()); }

void DataPlane::onStop() {
  router_.shutdown();
  assembler_.closeAll();
  scheduler_.clear();
  if (!silent_) sink_.closed();
}

void DataPlane::startJob(uint64_t ticket, std::vector<uint8_t> keys, bool leased, std::optional<int64_t> group) {
  FetchJob* job = assembler_.open(ticket, std::move(keys), leased, group);
  if (job == nullptr) return;  // empty: completed (in its turn)
  for (RowRequest& request : job->requests) {
    router_.assign(request);
    scheduler_.enqueue(&request);
  }
}

void DataPlane::checkOpened() {
  if (router_.opened()) return;
  std::optional<ErrorInfo> error;
  if (router_.finishOpening(error) && !silent_) sink_.opened(std::move(error));
}

void DataPlane::fetched(uint64_t ticket, std::unique_ptr<FetchOutput> output, std::optional<ErrorInfo> error) {
  if (!silent_) {
    sink_.fetched(ticket, std::move(output), std::move(error));
  } else if (output && output->leased) {
    assembler_.ring().recycle(output->slot, output->generation);  // no consumer will give it back
  }
}

// --- connection events -------------------------------------------------------------

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
  router_.onFailed(connection, kind, reason, loop_.nowUs());
  for (net::RequestTag* tag : lost) {
    RowRequest* request = rowRequest(tag);
    scheduler_.leaveWire(request);
    scheduler_.retryLater(request, connection.name(), reason, loop_.nowUs());
  }
  checkOpened();
}

void DataPlane::onResponse(net::Connection& connection, net::RequestTag* tag, const protocol::Frame& frame,
                           const protocol::ByteSpan* placed) {
  RowRequest* request = rowRequest(tag);
  scheduler_.answered(request, connection.hostIndex(), loop_.nowUs());
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
    scheduler_.retryLater(request, connection.name(), "malformed response: " + reason, loop_.nowUs());
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
  scheduler_.leaveWire(request);
  if (assembler_.abandoned(*request)) {
    assembler_.release(request);
    return;
  }
  --request->attempts;  // the layout changed, not the replica's fault
  scheduler_.requeueFront(request);
}

// --- answers ---------------------------------------------------------------------------

void DataPlane::write(RowRequest& request, net::Connection& connection) {
  protocol::ExecuteParams params;
  params.consistency = config_.consistency;
  params.key = {request.job->key(request.index), 16};
  connection.execute(&request, params);
}

void DataPlane::handleRows(net::Connection& connection, RowRequest* request, protocol::ByteSpan body,
                           const protocol::ByteSpan* placed) {
  const int32_t columns = config_.labelKind == LabelKind::kNone ? 1 : 2;
  protocol::RowsResult rows;
  protocol::Status status = protocol::decodeRows(body, config_.version, columns, rows, placed);
  if (!status.ok()) {
    scheduler_.retryLater(request, connection.name(), "malformed rows: " + status.message(), loop_.nowUs());
    connection.fail(net::FailureKind::kLost, "malformed rows from " + connection.name() + ": " + status.message());
    return;
  }
  if (rows.rowCount == 0) return assembler_.missing(request, "no row");
  const protocol::Cell& data = rows.cells[0];
  if (data.null) return assembler_.missing(request, "null data");
  RowCells cells{data.bytes.data, data.bytes.size};
  if (config_.labelKind != LabelKind::kNone && !readLabel(request, rows.cells[1], cells)) return;
  assembler_.arrived(request, cells, placed != nullptr ? placed->size : 0);
}

bool DataPlane::readLabel(RowRequest* request, const protocol::Cell& label, RowCells& cells) {
  if (label.null) {
    assembler_.missing(request, "null label");
    return false;
  }
  if (config_.labelKind == LabelKind::kBlob) {
    cells.label = label.bytes.data;
    cells.labelSize = label.bytes.size;
    return true;
  }
  protocol::Status read = protocol::readIntCell(label, cells.intLabel);
  if (read.ok()) return true;
  std::string id = uuidText(request->job->key(request->index));
  assembler_.failRow(request, makeError("ERR_CASSDL_INTERNAL", "label of row " + id + " in " + config_.table + ": " +
                                                                   read.message() + " (is the label column an int?)"));
  return false;
}

void DataPlane::handleError(net::Connection& connection, RowRequest* request, protocol::ByteSpan body) {
  protocol::ServerError error;
  protocol::Status status = protocol::decodeServerError(body, config_.version, error);
  if (!status.ok()) {
    scheduler_.retryLater(request, connection.name(), "malformed error: " + status.message(), loop_.nowUs());
    connection.fail(net::FailureKind::kLost, "malformed ERROR from " + connection.name() + ": " + status.message());
    return;
  }
  if (error.code == protocol::kUnprepared) return unprepared(connection, request, error);
  const auto& retried = config_.retryServerCodes;
  if (std::find(retried.begin(), retried.end(), error.code) != retried.end()) {
    scheduler_.retryLater(request, connection.name(), error.sentence, loop_.nowUs());
    return;
  }
  std::string id = uuidText(request->job->key(request->index));
  ErrorInfo info = makeError("ERR_CASSDL_SERVER", connection.name() + " failed reading row " + id + ": " + error.sentence);
  info.id = id;
  info.serverCode = error.code;
  assembler_.failRow(request, std::move(info));
}

void DataPlane::unprepared(net::Connection& connection, RowRequest* request, const protocol::ServerError& error) {
  // Not the replica's fault: no retry budget spent. The connection prepares
  // the row read again and takes no request until that is answered; the
  // request goes back to the front of the queue meanwhile.
  --request->attempts;
  if (++request->reprepares > kMaxReprepares) {
    assembler_.failRow(request, makeError("ERR_CASSDL_SERVER", connection.name() +
                                                                   " keeps answering UNPREPARED after re-prepare: " +
                                                                   error.sentence));
    return;
  }
  connection.reprepareAfter(*request);
  scheduler_.requeueFront(request);
}

}  // namespace cassdl::io
