// The partitioner token of a partition key, computed exactly as Cassandra's
// Murmur3Partitioner does (MurmurHash3 x64_128, seed 0, first half), so the
// data plane can send each key to a replica that owns it.
#pragma once

#include <cstddef>
#include <cstdint>

namespace cassdl::protocol {

int64_t murmur3Token(const uint8_t* key, size_t size);

}  // namespace cassdl::protocol
