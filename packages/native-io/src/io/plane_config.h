// What the data plane is told at open: the plan's hosts, ring and row read
// statement, the connection settings and the reader's options, already
// checked (src/binding/plan_config.cc reads them from JS).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "../net/connection.h"
#include "fetch_output.h"
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

}  // namespace cassdl::io
