// What a finished fetch hands to JS, in the FetchedRows layout: the batch
// assembler fills it, the binding wraps its blocks as ArrayBuffers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

#include "batch_ring.h"

namespace cassdl::io {

enum class LabelKind { kNone = 0, kInt = 1, kBlob = 2 };

/**
 * What a finished fetch hands to JS: the FetchedRows layout, already
 * contiguous, in one slot's blocks. `meta` holds, at the given byte
 * offsets (multiples of 8), the ids, the size + 1 data offsets, the int
 * labels or the size + 1 label offsets, and the missing ids.
 */
struct FetchOutput {
  uint32_t size = 0;
  /** The ring slot (leased fetches): JS recycles it naming this generation. */
  uint32_t slot = 0;
  uint32_t generation = 0;
  bool leased = false;
  LabelKind labelKind = LabelKind::kNone;
  std::shared_ptr<Block> data;
  std::shared_ptr<Block> meta;
  std::shared_ptr<Block> labels;
  size_t dataBytes = 0;
  size_t labelBytes = 0;
  size_t idsAt = 0;
  size_t offsetsAt = 0;
  size_t labelsAt = 0;
  size_t missingAt = 0;
  uint32_t missingCount = 0;
};

}  // namespace cassdl::io
