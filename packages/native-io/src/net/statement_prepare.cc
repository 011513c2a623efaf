#include "statement_prepare.h"

#include "../protocol/opcodes.h"
#include "../protocol/requests.h"
#include "../protocol/server_error.h"

namespace cassdl::net {

void StatementPrepare::begin(std::vector<uint8_t>& out, uint8_t version, int16_t stream) {
  protocol::encodePrepare(out, version, stream, query_);
  pending_ = true;
}

PrepareOutcome StatementPrepare::finish(const protocol::Frame& frame, uint8_t version, const std::string& host) {
  pending_ = false;
  PrepareOutcome outcome;
  std::string what = "preparing the row read `" + query_ + "` on " + host + " failed: ";
  protocol::ByteSpan body;
  protocol::Status status = protocol::stripBodyPrefixes(frame, body);
  if (!status.ok()) {
    outcome.reason = what + "malformed answer: " + status.message();
    return outcome;
  }
  auto opcode = static_cast<protocol::Opcode>(frame.header.opcode);
  if (opcode == protocol::Opcode::kError) {
    protocol::ServerError error;
    status = protocol::decodeServerError(body, version, error);
    outcome.reason = what + (status.ok() ? error.sentence : "malformed ERROR: " + status.message());
    outcome.serverCode = status.ok() ? error.code : 0;
    return outcome;
  }
  if (opcode != protocol::Opcode::kResult) {
    outcome.reason = what + "answered with opcode " + std::to_string(frame.header.opcode);
    return outcome;
  }
  protocol::PreparedResult result;
  status = protocol::decodePrepared(body, version, result);
  if (!status.ok()) {
    outcome.reason = what + status.message();
    return outcome;
  }
  result_ = std::move(result);
  ++epoch_;
  outcome.ok = true;
  return outcome;
}

void StatementPrepare::reset() {
  pending_ = false;
  result_ = protocol::PreparedResult{};
}

}  // namespace cassdl::net
