// Writes one resized RGB sample into its row of a batch tensor buffer in one
// pass: per-channel lookup table (normalize, or the identity for raw
// pixels), mirrors, NHWC or NCHW order and zero padding channels. The
// tables come from JS (@cassdl/gpu-ops' channelLuts, already in the
// buffer's element type), so both decoders write the same values.
#pragma once

#include <cstddef>
#include <cstdint>

namespace cassdl::decode {

/** A batch buffer: `rows` samples of height x width x channels elements, float32 or int32. */
struct BatchOutput {
  void* data = nullptr;
  bool isFloat = true;
  bool nchw = false;
  int rows = 0;
  int height = 0;
  int width = 0;
  /** Output channels, >= 3 (the rest are zero padding). */
  int channels = 3;
  /** 3 x 256 entries of the buffer's element type: the value each 8-bit level becomes, per channel. */
  const void* luts = nullptr;

  size_t sampleElements() const { return static_cast<size_t>(height) * width * channels; }
};

/** Writes `rgb` (height x width x 3 bytes) into row `row`, mirrored as asked. */
void writeSample(const BatchOutput& out, int row, const uint8_t* rgb, bool flipHorizontal, bool flipVertical);

}  // namespace cassdl::decode
