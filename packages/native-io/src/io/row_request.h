// One row read of a fetch: lives in its job, goes from the queue to the wire
// to done, possibly several times (retries). It is the tag a connection
// carries for it (net::RequestTag: which connection, which stream), so an
// answer comes back as this object.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "../net/request_tag.h"

namespace cassdl::io {

struct FetchJob;
struct Replicas;

struct RowRequest : net::RequestTag {
  FetchJob* job = nullptr;
  uint32_t index = 0;
  const Replicas* replicas = nullptr;
  /** Next replica to try, as an offset into `replicas` (rotated to spread load). */
  size_t cursor = 0;
  int attempts = 0;
  std::vector<std::pair<std::string, std::string>> failures;
  uint64_t sentAtUs = 0;
  bool onWire = false;
  /** Holds one of the admission slots (Scheduler); a stalled grouped row gives its slot up. */
  bool admitted = false;
  /** The host it stalled on once it gave its slot up (-1: none), counted by the Router while on the wire. */
  int stalledHost = -1;
  /** This send's place in the scheduler's log of sends (timeouts and stalls find it there). */
  uint64_t sequence = 0;
  /** UNPREPARED answers so far: each makes its connection prepare again; past kMaxReprepares the row fails. */
  int reprepares = 0;
};

inline constexpr int kMaxReprepares = 3;

/** The request a connection handed back: every tag the plane gives a connection is a RowRequest. */
inline RowRequest* rowRequest(net::RequestTag* tag) { return static_cast<RowRequest*>(tag); }

}  // namespace cassdl::io
