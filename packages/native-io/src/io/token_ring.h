// Token-aware routing from the plan's ring: the replicas that own a key's
// Murmur3 token. Entry i owns (token[i-1], token[i]]; the first entry also
// owns everything above the last token (the wrap).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace cassdl::io {

struct Replicas {
  /** Host indices, local data center first, each group in the plan's order. */
  std::vector<int> hosts;
  /** How many of `hosts` (from the front) are local; load is spread over these. */
  size_t preferred = 0;
};

class TokenRing {
 public:
  TokenRing() = default;
  TokenRing(std::vector<int64_t> tokens, std::vector<Replicas> replicas)
      : tokens_(std::move(tokens)), replicas_(std::move(replicas)) {}

  /** Replicas for a partition key (never empty for a valid plan). */
  const Replicas& replicasFor(const uint8_t* key, size_t size) const;
  const Replicas& replicasForToken(int64_t token) const;

 private:
  std::vector<int64_t> tokens_;
  std::vector<Replicas> replicas_;
};

}  // namespace cassdl::io
