#include "connection.h"

#include <cerrno>
#include <cstring>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <climits>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include "../protocol/server_error.h"
#include "socket.h"

namespace cassdl::net {

namespace {

using protocol::CutOutcome;
using protocol::Opcode;

RequestTag* const kOrphan = reinterpret_cast<RequestTag*>(uintptr_t{1});
/** The stream of a re-prepare: no request of the owner's. */
RequestTag* const kPreparing = reinterpret_cast<RequestTag*>(uintptr_t{2});

bool isRequest(const RequestTag* slot) { return slot != nullptr && slot != kOrphan && slot != kPreparing; }

}  // namespace

Connection::Connection(ConnectionSettings settings, ConnectionEvents& events, int epollFd)
    : settings_(std::move(settings)),
      events_(events),
      epollFd_(epollFd),
      name_(settings_.name.empty() ? settings_.address + ":" + std::to_string(settings_.port) : settings_.name),
      streams_(settings_.maxStreams),
      slots_(static_cast<size_t>(settings_.maxStreams), nullptr),
      prepare_(settings_.query),
      receiver_(settings_.version) {}

Connection::~Connection() { closeSocket(); }

void Connection::start(uint64_t nowUs) {
  closeSocket();
  reconnectAtUs = 0;
  streams_.reset(settings_.maxStreams);
  std::fill(slots_.begin(), slots_.end(), nullptr);
  orphans_ = 0;
  out_.clear();
  outSent_ = 0;
  receiver_.reset();
  prepare_.reset();
  reprepareWanted_ = false;
  deadlineUs_ = nowUs + settings_.connectTimeoutUs;
  SocketResult socket = startConnect(settings_.address, settings_.port);
  if (socket.fd < 0) {
    state_ = State::kConnecting;
    fail(FailureKind::kConnect, "cannot connect to " + name_ + ": " + socket.error);
    return;
  }
  fd_ = socket.fd;
  state_ = State::kConnecting;
  epoll_event event{};
  event.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
  event.data.ptr = this;
  epoll_ctl(epollFd_, EPOLL_CTL_ADD, fd_, &event);
}

void Connection::checkDeadline(uint64_t nowUs) {
  if (opening() && nowUs >= deadlineUs_) {
    bool tls = state_ == State::kTls;
    fail(tls ? FailureKind::kTls : FailureKind::kConnect,
         (tls ? "TLS handshake with " : "connecting to ") + name_ + " timed out after " +
             std::to_string(settings_.connectTimeoutUs / 1000) + " ms");
  }
}

void Connection::onEvents(uint32_t events) {
  if (state_ == State::kConnecting && (events & (EPOLLOUT | EPOLLERR | EPOLLHUP))) {
    finishConnect();
  } else if (state_ == State::kTls) {
    driveTls();
  }
  if (fd_ < 0 || state_ == State::kTls) return;
  if (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) readAvailable();
  if (fd_ >= 0 && (events & EPOLLOUT)) flush();
}

void Connection::finishConnect() {
  std::string error = connectError(fd_);
  if (!error.empty()) {
    fail(FailureKind::kConnect, "cannot connect to " + name_ + ": " + error);
    return;
  }
  if (settings_.tls == nullptr) {
    startCql();
    return;
  }
  std::string tlsError;
  ssl_ = settings_.tls->newSession(settings_.address, settings_.sniName, tlsError);
  if (ssl_ == nullptr) {
    fail(FailureKind::kTls, "TLS to " + name_ + ": " + tlsError);
    return;
  }
  SSL_set_fd(ssl_, fd_);
  state_ = State::kTls;
  driveTls();
}

void Connection::driveTls() {
  ERR_clear_error();
  int result = SSL_connect(ssl_);
  if (result == 1) {
    startCql();
    return;
  }
  int error = SSL_get_error(ssl_, result);
  if (error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE) return;  // epoll calls again
  fail(FailureKind::kTls, "TLS handshake with " + name_ + " failed: " + tlsErrorText(ssl_));
}

void Connection::startCql() {
  state_ = State::kHandshake;
  // The handshake uses stream 0 before any request can.
  protocol::encodeStartup(out_, settings_.version, 0);
  flush();
}

ssize_t Connection::receive(uint8_t* at, size_t size) {
  if (ssl_ == nullptr) {
    ssize_t n = ::read(fd_, at, size);
    if (n < 0) ioError_ = errnoText(errno);
    return n;
  }
  ERR_clear_error();
  int n = SSL_read(ssl_, at, static_cast<int>(std::min<size_t>(size, INT_MAX)));
  if (n > 0) return n;
  int error = SSL_get_error(ssl_, n);
  if (error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE) {
    errno = EAGAIN;
    return -1;
  }
  if (error == SSL_ERROR_ZERO_RETURN || (error == SSL_ERROR_SYSCALL && errno == 0)) return 0;
  ioError_ = tlsErrorText(ssl_);
  errno = EPROTO;
  return -1;
}

ssize_t Connection::transmit(const uint8_t* data, size_t size) {
  if (ssl_ == nullptr) {
    ssize_t n = ::send(fd_, data, size, MSG_NOSIGNAL);
    if (n < 0) ioError_ = errnoText(errno);
    return n;
  }
  ERR_clear_error();
  int n = SSL_write(ssl_, data, static_cast<int>(std::min<size_t>(size, INT_MAX)));
  if (n > 0) return n;
  int error = SSL_get_error(ssl_, n);
  if (error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE) {
    errno = EAGAIN;
    return -1;
  }
  ioError_ = tlsErrorText(ssl_);
  errno = EPROTO;
  return -1;
}

void Connection::execute(RequestTag* request, const protocol::ExecuteParams& params) {
  int16_t stream = streams_.take();
  slots_[static_cast<size_t>(stream)] = request;
  request->connection = this;
  request->stream = stream;
  request->prepareEpoch = prepare_.epoch();
  protocol::ExecuteParams own = params;
  const protocol::PreparedResult& prepared = prepare_.result();
  own.preparedId = {prepared.id.data(), prepared.id.size()};
  own.resultMetadataId = {prepared.resultMetadataId.data(), prepared.resultMetadataId.size()};
  protocol::encodeExecute(out_, settings_.version, stream, own);
}

void Connection::reprepareAfter(const RequestTag& request) {
  if (state_ != State::kReady || prepare_.pending() || reprepareWanted_) return;
  if (settings_.query.empty() || request.prepareEpoch != prepare_.epoch()) return;  // a later prepare covers it
  if (streams_.empty()) {
    reprepareWanted_ = true;  // the next answer frees a stream (handleResponse)
    return;
  }
  int16_t stream = streams_.take();
  slots_[static_cast<size_t>(stream)] = kPreparing;
  sendPrepare(stream);
}

void Connection::sendPrepare(int16_t stream) {
  prepare_.begin(out_, settings_.version, stream);
  flush();
}

void Connection::finishPrepare(const protocol::Frame& frame) {
  PrepareOutcome outcome = prepare_.finish(frame, settings_.version, name_);
  if (!outcome.ok) {
    fail(FailureKind::kPrepare, outcome.reason);
    return;
  }
  if (state_ != State::kReady) {
    state_ = State::kReady;
    consecutiveFailures = 0;
  }
  events_.onReady(*this);
}

void Connection::orphan(int16_t stream) {
  RequestTag*& slot = slots_[static_cast<size_t>(stream)];
  if (isRequest(slot)) {
    slot = kOrphan;
    ++orphans_;
  }
}

void Connection::flush() {
  while (fd_ >= 0 && outSent_ < out_.size()) {
    ssize_t n = transmit(out_.data() + outSent_, out_.size() - outSent_);
    if (n > 0) {
      outSent_ += static_cast<size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;  // EPOLLOUT will call again
    fail(state_ == State::kReady ? FailureKind::kLost : FailureKind::kConnect,
         "writing to " + name_ + " failed: " + ioError_);
    return;
  }
  if (outSent_ == out_.size()) {
    out_.clear();
    outSent_ = 0;
  }
}

void Connection::readAvailable() {
  if (fd_ < 0) return;
  // Plain TCP reads a cell and what follows it in one readv; TLS reads out of OpenSSL one buffer at a time.
  auto source = [this](const iovec* iov, int count) -> ssize_t {
    ssize_t n;
    if (ssl_ != nullptr) {
      n = receive(static_cast<uint8_t*>(iov[0].iov_base), iov[0].iov_len);
    } else {
      n = ::readv(fd_, iov, count);
      if (n < 0) ioError_ = errnoText(errno);
    }
    if (n > 0 && settings_.receivedBytes != nullptr)
      settings_.receivedBytes->fetch_add(static_cast<uint64_t>(n), std::memory_order_relaxed);
    return n;
  };
  FailureKind kind = state_ == State::kReady ? FailureKind::kLost : FailureKind::kConnect;
  switch (receiver_.pump(source, *this, ssl_ == nullptr)) {
    case FrameReceiver::Outcome::kWouldBlock:
    case FrameReceiver::Outcome::kStopped:
      return;
    case FrameReceiver::Outcome::kClosed:
      fail(kind, name_ + " closed the connection");
      return;
    case FrameReceiver::Outcome::kFailed:
      fail(kind, "reading from " + name_ + " failed: " + ioError_);
      return;
  }
}

bool Connection::onFrame(const protocol::Frame& frame, const protocol::ByteSpan* placed) {
  if (state_ == State::kReady) {
    handleResponse(frame, placed);
  } else {
    handleHandshake(frame);
  }
  return fd_ >= 0;
}

void Connection::onMalformed(const std::string& reason) {
  fail(state_ == State::kReady ? FailureKind::kLost : FailureKind::kConnect,
       "malformed frame from " + name_ + ": " + reason);
}

RequestTag* Connection::requestOn(int16_t stream) const {
  if (stream < 0 || stream >= settings_.maxStreams) return nullptr;
  RequestTag* request = slots_[static_cast<size_t>(stream)];
  return isRequest(request) ? request : nullptr;
}

CellTarget Connection::placeCell(int16_t stream, size_t size) {
  RequestTag* request = state_ == State::kReady ? requestOn(stream) : nullptr;
  return request == nullptr ? CellTarget{} : events_.placeCell(request, size);
}

bool Connection::cellWanted(int16_t stream) {
  RequestTag* request = requestOn(stream);
  return request != nullptr && events_.cellWanted(request);
}

bool Connection::onDiscarded(int16_t stream) {
  RequestTag* request = takeStream(stream);
  if (request != nullptr) events_.onCellDiscarded(*this, request);
  return fd_ >= 0;
}

void Connection::handleHandshake(const protocol::Frame& frame) {
  if (prepare_.pending()) {
    finishPrepare(frame);
    return;
  }
  protocol::ByteSpan body;
  protocol::Status status = protocol::stripBodyPrefixes(frame, body);
  if (!status.ok()) {
    fail(FailureKind::kConnect, "malformed handshake frame from " + name_ + ": " + status.message());
    return;
  }
  switch (static_cast<Opcode>(frame.header.opcode)) {
    case Opcode::kReady:
    case Opcode::kAuthSuccess:
      if (!settings_.query.empty()) {
        sendPrepare(0);  // the handshake's last step: ready once the row read is prepared
        return;
      }
      state_ = State::kReady;
      consecutiveFailures = 0;
      events_.onReady(*this);
      return;
    case Opcode::kAuthenticate: {
      protocol::ByteReader reader(body);
      std::string authenticator;
      reader.string(authenticator, "authenticator");
      if (settings_.credentials == nullptr) {
        fail(FailureKind::kAuth, name_ + " requires authentication (" + authenticator +
                                     ") but no username/password was given");
        return;
      }
      protocol::encodeAuthResponsePlain(out_, settings_.version, 0, settings_.credentials->username,
                                        settings_.credentials->password);
      flush();
      return;
    }
    case Opcode::kAuthChallenge:
      fail(FailureKind::kAuth, name_ + " sent a SASL challenge; only PLAIN authentication is supported");
      return;
    case Opcode::kError: {
      protocol::ServerError error;
      protocol::Status decoded = protocol::decodeServerError(body, settings_.version, error);
      std::string text = decoded.ok() ? error.sentence : decoded.message();
      bool auth = error.code == protocol::kBadCredentials || error.code == protocol::kUnauthorized;
      fail(auth ? FailureKind::kAuth : FailureKind::kConnect, name_ + " refused the connection: " + text);
      return;
    }
    default:
      fail(FailureKind::kConnect, name_ + " answered the handshake with opcode " +
                                      std::to_string(frame.header.opcode));
  }
}

RequestTag* Connection::takeStream(int16_t stream) {
  if (stream >= settings_.maxStreams || slots_[static_cast<size_t>(stream)] == nullptr) {
    fail(FailureKind::kLost, name_ + " answered stream " + std::to_string(stream) + ", which has no request");
    return nullptr;
  }
  RequestTag* request = slots_[static_cast<size_t>(stream)];
  slots_[static_cast<size_t>(stream)] = nullptr;
  streams_.give(stream);
  if (request == kOrphan) {
    --orphans_;
    return nullptr;
  }
  if (request == kPreparing) {
    fail(FailureKind::kLost, "the answer to the PREPARE on " + name_ + " was given up");
    return nullptr;
  }
  request->connection = nullptr;
  return request;
}

void Connection::handleResponse(const protocol::Frame& frame, const protocol::ByteSpan* placed) {
  int16_t stream = frame.header.stream;
  if (stream < 0) return;  // server event: never registered for, ignore
  if (stream < settings_.maxStreams && slots_[static_cast<size_t>(stream)] == kPreparing) {
    slots_[static_cast<size_t>(stream)] = nullptr;
    streams_.give(stream);
    finishPrepare(frame);
    return;
  }
  RequestTag* request = takeStream(stream);
  if (reprepareWanted_ && fd_ >= 0 && !streams_.empty()) {
    reprepareWanted_ = false;
    int16_t free = streams_.take();
    slots_[static_cast<size_t>(free)] = kPreparing;
    sendPrepare(free);
  }
  if (request != nullptr) events_.onResponse(*this, request, frame, placed);
}

void Connection::fail(FailureKind kind, const std::string& reason) {
  std::vector<RequestTag*> lost;
  for (RequestTag*& slot : slots_) {
    if (isRequest(slot)) {
      slot->connection = nullptr;
      lost.push_back(slot);
    }
    slot = nullptr;
  }
  closeSocket();
  state_ = State::kClosed;
  lastFailure_ = reason;
  ++consecutiveFailures;
  events_.onFailed(*this, kind, reason, std::move(lost));
}

void Connection::shutdown() {
  closeSocket();
  state_ = State::kClosed;
}

void Connection::closeSocket() {
  if (ssl_ != nullptr) {
    SSL_free(ssl_);
    ssl_ = nullptr;
  }
  if (fd_ >= 0) {
    epoll_ctl(epollFd_, EPOLL_CTL_DEL, fd_, nullptr);
    ::close(fd_);
    fd_ = -1;
  }
}

}  // namespace cassdl::net
