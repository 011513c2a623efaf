// The result columns a row read must return for the plan's label kind:
// the data blob, then an int or blob label. Each connection checks its
// PREPARE result against them before it takes a row (EXECUTE skips the
// metadata, so the columns are never checked again).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "../protocol/column_specs.h"
#include "fetch_output.h"

namespace cassdl::io {

inline std::vector<uint16_t> expectedColumnTypes(LabelKind kind) {
  switch (kind) {
    case LabelKind::kInt:
      return {protocol::kTypeBlob, protocol::kTypeInt};
    case LabelKind::kBlob:
      return {protocol::kTypeBlob, protocol::kTypeBlob};
    case LabelKind::kNone:
      break;
  }
  return {protocol::kTypeBlob};
}

/** For messages: "a data blob then an int label". */
inline std::string expectedColumnText(LabelKind kind) {
  switch (kind) {
    case LabelKind::kInt:
      return "a data blob then an int label";
    case LabelKind::kBlob:
      return "a data blob then a blob label";
    case LabelKind::kNone:
      break;
  }
  return "a data blob";
}

}  // namespace cassdl::io
