// Where each row read goes: the connections (connectionsPerHost to each
// host, or through the SNI proxy), the replicas that own a key's token, the
// least busy ready connection of the next replica in turn, and, for ooo
// rows, replicas without stalled rows first. It also tracks the first
// connection attempts, which decide whether the plane opened, and when a
// failed connection tries again.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "../net/connection.h"
#include "error_info.h"
#include "plane_config.h"
#include "row_request.h"

namespace cassdl::io {

class Router {
 public:
  explicit Router(const PlaneConfig& config);

  /** Makes the connections (not yet connecting); a message starting "TLS: " when the TLS material is unusable. */
  std::string connect(int epollFd, net::ConnectionEvents& events, std::atomic<uint64_t>* receivedBytes);
  /** Starts connecting: hosts the control plane saw down only when no host is up. */
  void startAll(uint64_t nowUs);
  /** Gives a new request its replicas, starting at a preferred one in turn (spreads load). */
  void assign(RowRequest& request);
  /**
   * A connection to send `request` on now, or null: then `wait` says
   * whether one of its replicas will have one soon (busy or connecting),
   * or none can (every replica down).
   */
  net::Connection* pick(RowRequest& request, bool& wait);
  /** The first time a replica of `request` tries to reconnect (UINT64_MAX: none is scheduled). */
  uint64_t firstReconnectUs(const RowRequest& request) const;
  /** Why a replica of `request` last closed (a refused PREPARE, a lost link), for its error; empty: none said. */
  std::string replicasLastFailure(const RowRequest& request) const;
  /** "address:port" of the replica `request` would try next, for messages. */
  std::string nextHostName(const RowRequest& request) const;

  /** A grouped row stalled on `host` (counted while it stays on the wire there): new grouped rows avoid it. */
  void markStalled(int host) { ++stalledOnHost_[static_cast<size_t>(host)]; }
  void unmarkStalled(int host) { --stalledOnHost_[static_cast<size_t>(host)]; }

  /** `connection` has requests queued: written by flush(), once per tick however many were added. */
  void queued(net::Connection& connection);
  void flush();

  /** A connection failed: recorded for the open outcome, reconnect scheduled. */
  void onFailed(net::Connection& connection, net::FailureKind kind, const std::string& reason, uint64_t nowUs);
  /** Fails connections past their connect timeout; restarts those whose reconnect time came. */
  void checkDeadlines(uint64_t nowUs);
  void reconnectDue(uint64_t nowUs);
  /**
   * Once no connection is still on its first attempt: true, the plane is
   * open, and `error` says why no host is usable (then reconnecting stops).
   * False while connections are still opening.
   */
  bool finishOpening(std::optional<ErrorInfo>& error);
  bool opened() const { return opened_; }
  /** How soon connections need looking at (connecting, or a reconnect due), in ms; UINT64_MAX when they do not. */
  uint64_t waitMs() const;
  /** Closes every socket without events. */
  void shutdown();

 private:
  std::unique_ptr<net::Connection> makeConnection(size_t host, int epollFd, net::ConnectionEvents& events,
                                                  std::atomic<uint64_t>* receivedBytes);
  net::Connection* pickFrom(RowRequest& request, bool& wait, bool avoidStalled);
  bool anyStalled() const;

  const PlaneConfig& config_;
  net::Credentials credentials_;
  std::unique_ptr<net::TlsContext> tls_;
  std::vector<std::unique_ptr<net::Connection>> connections_;
  std::vector<std::vector<net::Connection*>> byHost_;
  /** Connections with requests written since the last flush. */
  std::vector<net::Connection*> dirty_;
  /** Per host: grouped rows on the wire that stalled there (Scheduler::releaseStalled). */
  std::vector<int> stalledOnHost_;
  size_t spread_ = 0;
  bool opened_ = false;
  std::vector<std::string> openCauses_;
  bool authFailed_ = false;
  bool tlsFailed_ = false;
  /** A server refused to prepare the row read, or it returns other columns than the plan places. */
  bool prepareFailed_ = false;
};

}  // namespace cassdl::io
