#include "token_ring.h"

#include <algorithm>

#include "../protocol/murmur3.h"

namespace cassdl::io {

const Replicas& TokenRing::replicasFor(const uint8_t* key, size_t size) const {
  return replicasForToken(protocol::murmur3Token(key, size));
}

const Replicas& TokenRing::replicasForToken(int64_t token) const {
  auto it = std::lower_bound(tokens_.begin(), tokens_.end(), token);
  size_t index = it == tokens_.end() ? 0 : static_cast<size_t>(it - tokens_.begin());
  return replicas_[index];
}

}  // namespace cassdl::io
