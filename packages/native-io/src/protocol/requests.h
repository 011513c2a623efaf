// Encoders for the requests the data plane sends, one function per opcode.
// Each appends one whole frame (header included) to `out`, so many requests
// can be coalesced into one write.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "byte_reader.h"

namespace cassdl::protocol {

void encodeStartup(std::vector<uint8_t>& out, uint8_t version, int16_t stream);
void encodeOptions(std::vector<uint8_t>& out, uint8_t version, int16_t stream);
/** SASL PLAIN token: "\0user\0password". */
void encodeAuthResponsePlain(std::vector<uint8_t>& out, uint8_t version, int16_t stream, std::string_view username,
                             std::string_view password);
/** PREPARE of `query`: each connection prepares the row read itself (net/statement_prepare.h). */
void encodePrepare(std::vector<uint8_t>& out, uint8_t version, int16_t stream, std::string_view query);

struct ExecuteParams {
  ByteSpan preparedId;
  /** Protocol v5 only: the result metadata id from PREPARE. */
  ByteSpan resultMetadataId;
  uint16_t consistency = 0x000a;
  /** The one bound value: the partition key bytes. */
  ByteSpan key;
};

/**
 * EXECUTE with one value and the skip-metadata flag: the plan already holds
 * the result metadata, so the server need not resend it with every row.
 */
void encodeExecute(std::vector<uint8_t>& out, uint8_t version, int16_t stream, const ExecuteParams& params);

}  // namespace cassdl::protocol
