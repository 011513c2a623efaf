// ERROR bodies decoded into one sentence, with the code-specific fields the
// protocol spec lists (consistency, replicas received/required, write type,
// ...), and the statement id an UNPREPARED error carries.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "byte_reader.h"
#include "status.h"

namespace cassdl::protocol {

enum ServerErrorCode : int32_t {
  kServerError = 0x0000,
  kProtocolError = 0x000a,
  kBadCredentials = 0x0100,
  kUnavailable = 0x1000,
  kOverloaded = 0x1001,
  kIsBootstrapping = 0x1002,
  kTruncateError = 0x1003,
  kWriteTimeout = 0x1100,
  kReadTimeout = 0x1200,
  kReadFailure = 0x1300,
  kFunctionFailure = 0x1400,
  kWriteFailure = 0x1500,
  kSyntaxError = 0x2000,
  kUnauthorized = 0x2100,
  kInvalid = 0x2200,
  kConfigError = 0x2300,
  kAlreadyExists = 0x2400,
  kUnprepared = 0x2500,
};

struct ServerError {
  int32_t code = 0;
  /** The server's own message. */
  std::string message;
  /** Code name, details and message, e.g. "read timeout at LOCAL_ONE: 0 of 1 replicas responded ...". */
  std::string sentence;
  /** For UNPREPARED: the statement id the server no longer knows. */
  std::vector<uint8_t> unpreparedId;
};

/** Decodes an ERROR body (prefixes already stripped). */
Status decodeServerError(ByteSpan body, uint8_t version, ServerError& out);

/** "LOCAL_ONE" for 0x000a, "consistency 0x0042" for unknown codes. */
std::string consistencyName(uint16_t code);

}  // namespace cassdl::protocol
