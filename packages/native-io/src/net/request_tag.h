// What a connection knows of a request it carries: where it is on the wire.
// The owner's request type (io::RowRequest) derives from it, so net hands
// the owner's own object back with each answer without knowing what else it
// holds, and net needs no header of io (they used to include each other).
#pragma once

#include <cstdint>

namespace cassdl::net {

class Connection;

struct RequestTag {
  /** The connection it is on the wire of; null when it is not on one. */
  Connection* connection = nullptr;
  /** Its stream id on that connection. */
  int16_t stream = -1;
  /** The connection's prepare epoch when it was sent (StatementPrepare::epoch): UNPREPARED re-prepares only once per epoch. */
  uint32_t prepareEpoch = 0;
};

}  // namespace cassdl::net
