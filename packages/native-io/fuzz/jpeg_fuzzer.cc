// Fuzzes the JPEG region decoder (src/decode/sample_decoder.cc and the
// resize and batch writer behind it) with libFuzzer under ASan and UBSan:
// whatever the bytes and the task, it returns an outcome and never reads or
// writes outside its buffers. The first 8 bytes of an input are the task
// (window as fractions of the image, output size, mirrors, layout, element
// type), the rest is the JPEG. The image size comes from the JPEG's own
// header when it parses, so the fuzzer reaches the decode and the resize;
// when it does not, from the task bytes (the decoder then reports it).
#include <turbojpeg.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "../src/decode/batch_writer.h"
#include "../src/decode/sample_decoder.h"

using cassdl::decode::BatchOutput;
using cassdl::decode::SampleDecoder;
using cassdl::decode::SampleTask;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 8) return 0;
  const uint8_t* c = data;
  data += 8;
  size -= 8;
  static tjhandle probe = tj3Init(TJINIT_DECOMPRESS);
  int width = 1 + c[0];
  int height = 1 + c[1];
  if (tj3DecompressHeader(probe, data, size) == 0) {
    width = tj3Get(probe, TJPARAM_JPEGWIDTH);
    height = tj3Get(probe, TJPARAM_JPEGHEIGHT);
  }
  // Bounds the time per input, not the decoder: it takes up to 16383 squared.
  if (width < 1 || height < 1 || static_cast<int64_t>(width) * height > 1024 * 1024) return 0;

  SampleTask task;
  task.bytes = data;
  task.size = size;
  task.imageWidth = width;
  task.imageHeight = height;
  task.window.left = c[2] * width / 256;
  task.window.top = c[3] * height / 256;
  // Now and then a window past the edge: the decoder must refuse it.
  const int spill = (c[7] & 0x80) != 0 ? 1 : 0;
  task.window.width = std::max(1, (c[4] + 1) * (width - task.window.left) / 256) + spill;
  task.window.height = std::max(1, (c[5] + 1) * (height - task.window.top) / 256);
  task.flipHorizontal = (c[7] & 1) != 0;
  task.flipVertical = (c[7] & 2) != 0;

  BatchOutput out;
  out.rows = 1;
  out.width = 1 + c[6] % 48;
  out.height = 1 + (c[6] / 48 + c[0]) % 48;
  out.channels = 3 + ((c[7] >> 2) & 1);
  out.nchw = (c[7] & 8) != 0;
  out.isFloat = (c[7] & 16) != 0;
  std::vector<float> floats(out.isFloat ? out.sampleElements() : 0);
  std::vector<int32_t> ints(out.isFloat ? 0 : out.sampleElements());
  std::vector<float> floatLuts(3 * 256, 0.5f);
  std::vector<int32_t> intLuts(3 * 256, 7);
  out.data = out.isFloat ? static_cast<void*>(floats.data()) : static_cast<void*>(ints.data());
  out.luts = out.isFloat ? static_cast<const void*>(floatLuts.data()) : static_cast<const void*>(intLuts.data());

  // One decoder across inputs, as a pool thread keeps one: a failure must
  // leave it able to decode the next image.
  static SampleDecoder decoder;
  decoder.run(task, out);
  return 0;
}
