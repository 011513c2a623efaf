#include "server_error.h"

#include <array>
#include <cstdio>

namespace cassdl::protocol {

namespace {

const char* codeName(int32_t code) {
  switch (code) {
    case kServerError: return "server error";
    case kProtocolError: return "protocol error";
    case kBadCredentials: return "bad credentials";
    case kUnavailable: return "unavailable";
    case kOverloaded: return "overloaded";
    case kIsBootstrapping: return "bootstrapping";
    case kTruncateError: return "truncate error";
    case kWriteTimeout: return "write timeout";
    case kReadTimeout: return "read timeout";
    case kReadFailure: return "read failure";
    case kFunctionFailure: return "function failure";
    case kWriteFailure: return "write failure";
    case kSyntaxError: return "syntax error";
    case kUnauthorized: return "unauthorized";
    case kInvalid: return "invalid query";
    case kConfigError: return "config error";
    case kAlreadyExists: return "already exists";
    case kUnprepared: return "unprepared";
    default: return "error";
  }
}

std::string hex(const uint8_t* data, size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (size_t i = 0; i < size; ++i) {
    out.push_back(kDigits[data[i] >> 4]);
    out.push_back(kDigits[data[i] & 15]);
  }
  return out;
}

/** "<consistency>: <received> of <required> replicas responded" shared by timeouts and failures. */
std::string replicaCounts(ByteReader& r) {
  uint16_t consistency = 0;
  int32_t received = 0;
  int32_t required = 0;
  r.u16(consistency, "consistency");
  r.i32(received, "received replicas");
  r.i32(required, "required replicas");
  return "at " + consistencyName(consistency) + ": " + std::to_string(received) + " of " + std::to_string(required) +
         " replicas responded";
}

std::string dataPresent(ByteReader& r) {
  uint8_t present = 0;
  r.u8(present, "data_present");
  return present ? " (data present)" : " (data not present)";
}

std::string failures(ByteReader& r, uint8_t version) {
  if (version >= 5) {
    // v5: <reasonmap>, an int count of (inetaddr, short reason) pairs.
    int32_t n = 0;
    r.count(n, 1 << 16, "failure reason count");
    for (int32_t i = 0; i < n && !r.failed(); ++i) {
      uint8_t addressSize = 0;
      uint16_t reason = 0;
      r.u8(addressSize, "failure address size");
      r.skip(addressSize, "failure address");
      r.u16(reason, "failure reason");
    }
    return ", " + std::to_string(n) + " failed";
  }
  int32_t n = 0;
  r.i32(n, "failure count");
  return ", " + std::to_string(n) + " failed";
}

std::string details(ByteReader& r, int32_t code, uint8_t version, ServerError& out) {
  switch (code) {
    case kUnavailable: {
      uint16_t consistency = 0;
      int32_t required = 0;
      int32_t alive = 0;
      r.u16(consistency, "consistency");
      r.i32(required, "required replicas");
      r.i32(alive, "alive replicas");
      return "at " + consistencyName(consistency) + ": " + std::to_string(required) + " replicas required, " +
             std::to_string(alive) + " alive";
    }
    case kWriteTimeout: {
      std::string counts = replicaCounts(r);
      std::string writeType;
      r.string(writeType, "write type");
      return counts + " (write type " + writeType + ")";
    }
    case kReadTimeout: {
      std::string counts = replicaCounts(r);
      return counts + dataPresent(r);
    }
    case kReadFailure: {
      std::string counts = replicaCounts(r);
      std::string failed = failures(r, version);
      return counts + failed + dataPresent(r);
    }
    case kWriteFailure: {
      std::string counts = replicaCounts(r);
      std::string failed = failures(r, version);
      std::string writeType;
      r.string(writeType, "write type");
      return counts + failed + " (write type " + writeType + ")";
    }
    case kFunctionFailure: {
      std::string keyspace;
      std::string function;
      uint16_t argCount = 0;
      r.string(keyspace, "keyspace");
      r.string(function, "function");
      r.u16(argCount, "argument type count");
      std::string ignored;
      for (uint16_t i = 0; i < argCount && r.string(ignored, "argument type"); ++i) {
      }
      return "in " + keyspace + "." + function;
    }
    case kAlreadyExists: {
      std::string keyspace;
      std::string table;
      r.string(keyspace, "keyspace");
      r.string(table, "table");
      return table.empty() ? keyspace : keyspace + "." + table;
    }
    case kUnprepared: {
      ByteSpan id;
      if (r.shortBytes(id, "unprepared statement id")) out.unpreparedId.assign(id.data, id.data + id.size);
      return "statement id " + hex(id.data, id.size);
    }
    default:
      return "";
  }
}

}  // namespace

std::string consistencyName(uint16_t code) {
  static constexpr std::array<const char*, 11> kNames = {
      "ANY", "ONE", "TWO", "THREE", "QUORUM", "ALL", "LOCAL_QUORUM", "EACH_QUORUM", "SERIAL", "LOCAL_SERIAL",
      "LOCAL_ONE"};
  if (code < kNames.size()) return kNames[code];
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "consistency 0x%04x", code);
  return buffer;
}

Status decodeServerError(ByteSpan body, uint8_t version, ServerError& out) {
  ByteReader r(body);
  r.i32(out.code, "error code");
  r.string(out.message, "error message");
  if (r.failed()) return Status::Malformed("ERROR body: " + r.error());
  std::string extra = details(r, out.code, version, out);
  if (r.failed()) return Status::Malformed("ERROR body (" + std::string(codeName(out.code)) + "): " + r.error());
  out.sentence = std::string(codeName(out.code)) + (extra.empty() ? "" : " " + extra) + ": " + out.message;
  return Status::Ok();
}

}  // namespace cassdl::protocol
