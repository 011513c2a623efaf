// A failure on its way to JS, where it becomes a NativeIoError. Never holds
// a password or key passphrase.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace cassdl::io {

struct ErrorInfo {
  /** ERR_CASSDL_* code that @cassdl/core maps to its own classes. */
  std::string code;
  std::string message;
  /** UUID text of the row concerned, when there is one. */
  std::string id;
  /** (host, error) for each attempt, for ERR_CASSDL_NO_REPLICA. */
  std::vector<std::pair<std::string, std::string>> attempts;
  /** Why a row is missing, for ERR_CASSDL_MISSING_ROW: "no row", "null data" or "null label". */
  std::string reason;
  /** CQL error code for ERR_CASSDL_SERVER, else -1. */
  int32_t serverCode = -1;
};

inline ErrorInfo makeError(std::string code, std::string message) {
  ErrorInfo e;
  e.code = std::move(code);
  e.message = std::move(message);
  return e;
}

/** 16 bytes as canonical UUID text (8-4-4-4-12). */
inline std::string uuidText(const uint8_t* b) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    out.push_back(kDigits[b[i] >> 4]);
    out.push_back(kDigits[b[i] & 15]);
  }
  return out;
}

}  // namespace cassdl::io
