#include "murmur3.h"

#include <limits>

namespace cassdl::protocol {

namespace {

constexpr uint64_t kC1 = 0x87c37b91114253d5ULL;
constexpr uint64_t kC2 = 0x4cf5ad432745937fULL;

uint64_t rotl(uint64_t v, int n) { return (v << n) | (v >> (64 - n)); }

uint64_t fmix(uint64_t k) {
  k ^= k >> 33;
  k *= 0xff51afd7ed558ccdULL;
  k ^= k >> 33;
  k *= 0xc4ceb9fe1a85ec53ULL;
  k ^= k >> 33;
  return k;
}

/** Full blocks are read as unsigned little-endian longs, like Cassandra's getBlock. */
uint64_t block(const uint8_t* p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

/**
 * Cassandra's tail reads `(long) key.get(i)`: a Java byte is signed, so a
 * tail byte >= 0x80 is sign-extended before the shift. Reference MurmurHash3
 * does not do this; tokens only agree with the server when we do.
 */
uint64_t signedByte(const uint8_t* p, size_t i) {
  return static_cast<uint64_t>(static_cast<int64_t>(static_cast<int8_t>(p[i])));
}

}  // namespace

int64_t murmur3Token(const uint8_t* key, size_t size) {
  uint64_t h1 = 0;
  uint64_t h2 = 0;
  const size_t blocks = size / 16;
  for (size_t i = 0; i < blocks; ++i) {
    uint64_t k1 = block(key + i * 16);
    uint64_t k2 = block(key + i * 16 + 8);
    k1 *= kC1;
    k1 = rotl(k1, 31);
    k1 *= kC2;
    h1 ^= k1;
    h1 = rotl(h1, 27);
    h1 += h2;
    h1 = h1 * 5 + 0x52dce729;
    k2 *= kC2;
    k2 = rotl(k2, 33);
    k2 *= kC1;
    h2 ^= k2;
    h2 = rotl(h2, 31);
    h2 += h1;
    h2 = h2 * 5 + 0x38495ab5;
  }
  const uint8_t* tail = key + blocks * 16;
  const size_t rest = size & 15;
  uint64_t k1 = 0;
  uint64_t k2 = 0;
  for (size_t i = rest; i > 8; --i) k2 ^= signedByte(tail, i - 1) << ((i - 9) * 8);
  if (rest > 8) {
    k2 *= kC2;
    k2 = rotl(k2, 33);
    k2 *= kC1;
    h2 ^= k2;
  }
  for (size_t i = rest < 8 ? rest : 8; i > 0; --i) k1 ^= signedByte(tail, i - 1) << ((i - 1) * 8);
  if (rest > 0) {
    k1 *= kC1;
    k1 = rotl(k1, 31);
    k1 *= kC2;
    h1 ^= k1;
  }
  h1 ^= size;
  h2 ^= size;
  h1 += h2;
  h2 += h1;
  h1 = fmix(h1);
  h2 = fmix(h2);
  h1 += h2;
  auto token = static_cast<int64_t>(h1);
  // Murmur3Partitioner.normalize: MIN is reserved for the ring's minimum token.
  return token == std::numeric_limits<int64_t>::min() ? std::numeric_limits<int64_t>::max() : token;
}

}  // namespace cassdl::protocol
