// Reads a FetchOutput back the way the binding hands it to JS (ids, data
// offsets, labels and missing ids in the meta block), for the batch
// assembler's unit tests and fuzzer. `ok` is false, with `problem` saying
// why, when the layout is inconsistent (offsets out of order or past the
// blocks): those tests require it true.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "../../src/io/fetch_output.h"

namespace cassdl::fixtures {

struct ReadRow {
  std::vector<uint8_t> key;
  std::vector<uint8_t> data;
  int32_t intLabel = 0;
  std::vector<uint8_t> label;
};

struct ReadOutput {
  bool ok = true;
  std::string problem;
  std::vector<ReadRow> rows;
  std::vector<std::vector<uint8_t>> missing;
};

inline ReadOutput readOutput(const io::FetchOutput& out) {
  ReadOutput read;
  auto fail = [&read](const std::string& why) {
    read.ok = false;
    read.problem = why;
    return read;
  };
  const uint8_t* meta = out.meta->data();
  size_t metaEnd = out.missingAt + size_t{out.missingCount} * 16;
  if (metaEnd > out.meta->capacity()) return fail("meta arrays past the meta block");
  if (out.idsAt % 8 || out.offsetsAt % 8 || out.labelsAt % 8 || out.missingAt % 8) return fail("unaligned array");
  if (out.dataBytes > 0 && (!out.data || out.dataBytes > out.data->capacity())) return fail("data past its block");
  const auto* offsets = reinterpret_cast<const uint32_t*>(meta + out.offsetsAt);
  const auto* labels = reinterpret_cast<const uint32_t*>(meta + out.labelsAt);
  if (offsets[0] != 0 || offsets[out.size] != out.dataBytes) return fail("data offsets do not span the data");
  if (out.labelKind == io::LabelKind::kBlob && (labels[0] != 0 || labels[out.size] != out.labelBytes)) {
    return fail("label offsets do not span the labels");
  }
  for (uint32_t i = 0; i < out.size; ++i) {
    if (offsets[i + 1] < offsets[i]) return fail("data offsets go backwards");
    ReadRow row;
    row.key.assign(meta + out.idsAt + 16 * i, meta + out.idsAt + 16 * (i + 1));
    if (offsets[i + 1] > offsets[i]) row.data.assign(out.data->data() + offsets[i], out.data->data() + offsets[i + 1]);
    if (out.labelKind == io::LabelKind::kInt) row.intLabel = static_cast<int32_t>(labels[i]);
    if (out.labelKind == io::LabelKind::kBlob) {
      if (labels[i + 1] < labels[i]) return fail("label offsets go backwards");
      if (labels[i + 1] > labels[i]) row.label.assign(out.labels->data() + labels[i], out.labels->data() + labels[i + 1]);
    }
    read.rows.push_back(std::move(row));
  }
  for (uint32_t i = 0; i < out.missingCount; ++i) {
    read.missing.emplace_back(meta + out.missingAt + 16 * i, meta + out.missingAt + 16 * (i + 1));
  }
  return read;
}

}  // namespace cassdl::fixtures
