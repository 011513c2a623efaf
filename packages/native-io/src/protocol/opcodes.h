// CQL native protocol v4 constants used by the data plane.
#pragma once

#include <cstdint>

namespace cassdl::protocol {

enum class Opcode : uint8_t {
  kError = 0x00,
  kStartup = 0x01,
  kReady = 0x02,
  kAuthenticate = 0x03,
  kOptions = 0x05,
  kSupported = 0x06,
  kQuery = 0x07,
  kResult = 0x08,
  kPrepare = 0x09,
  kExecute = 0x0a,
  kRegister = 0x0b,
  kEvent = 0x0c,
  kBatch = 0x0d,
  kAuthChallenge = 0x0e,
  kAuthResponse = 0x0f,
  kAuthSuccess = 0x10,
};

/** Header flags. */
inline constexpr uint8_t kFlagCompression = 0x01;
inline constexpr uint8_t kFlagTracing = 0x02;
inline constexpr uint8_t kFlagCustomPayload = 0x04;
inline constexpr uint8_t kFlagWarning = 0x08;
inline constexpr uint8_t kFlagBeta = 0x10;

/** RESULT kinds. */
inline constexpr int32_t kResultVoid = 0x0001;
inline constexpr int32_t kResultRows = 0x0002;
inline constexpr int32_t kResultPrepared = 0x0004;

/** Stream ids are signed 16-bit; the server uses -1 for events, so requests use 0..32767. */
inline constexpr int kMaxStreams = 32768;

}  // namespace cassdl::protocol
