#include "batch_writer.h"

#include <algorithm>

namespace cassdl::decode {

namespace {

template <typename T>
void writeTyped(const BatchOutput& out, int row, const uint8_t* rgb, bool flipH, bool flipV) {
  const T* lut = static_cast<const T*>(out.luts);
  const T* r = lut;
  const T* g = lut + 256;
  const T* b = lut + 512;
  const int w = out.width;
  const int h = out.height;
  const int c = out.channels;
  T* base = static_cast<T*>(out.data) + static_cast<size_t>(row) * out.sampleElements();
  const size_t plane = static_cast<size_t>(w) * h;
  for (int y = 0; y < h; ++y) {
    // Destination row y reads source row y, or its mirror image.
    const uint8_t* src = rgb + static_cast<size_t>(flipV ? h - 1 - y : y) * w * 3;
    const int step = flipH ? -3 : 3;
    const uint8_t* p = flipH ? src + static_cast<size_t>(w - 1) * 3 : src;
    if (!out.nchw) {
      T* d = base + static_cast<size_t>(y) * w * c;
      for (int x = 0; x < w; ++x, p += step, d += c) {
        d[0] = r[p[0]];
        d[1] = g[p[1]];
        d[2] = b[p[2]];
        for (int k = 3; k < c; ++k) d[k] = T(0);
      }
    } else {
      T* d0 = base + static_cast<size_t>(y) * w;
      T* d1 = d0 + plane;
      T* d2 = d1 + plane;
      for (int x = 0; x < w; ++x, p += step) {
        d0[x] = r[p[0]];
        d1[x] = g[p[1]];
        d2[x] = b[p[2]];
      }
    }
  }
  if (out.nchw) {
    for (int k = 3; k < c; ++k) std::fill(base + plane * k, base + plane * (k + 1), T(0));
  }
}

}  // namespace

void writeSample(const BatchOutput& out, int row, const uint8_t* rgb, bool flipHorizontal, bool flipVertical) {
  if (out.isFloat) {
    writeTyped<float>(out, row, rgb, flipHorizontal, flipVertical);
  } else {
    writeTyped<int32_t>(out, row, rgb, flipHorizontal, flipVertical);
  }
}

}  // namespace cassdl::decode
