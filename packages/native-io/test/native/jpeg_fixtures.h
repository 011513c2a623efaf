// Small JPEGs made with libjpeg-turbo's own encoder, for the decoder's tests
// and the fuzz target's seeds: a smooth pattern with detail, so a wrong
// window, scale or mirror shows in the pixels.
#pragma once

#include <turbojpeg.h>

#include <cstdint>
#include <stdexcept>
#include <vector>

namespace cassdl::testing {

/** RGB (or, for `cmyk`, 4-channel) pixels of a deterministic pattern. */
inline std::vector<uint8_t> patternPixels(int width, int height, int channels) {
  std::vector<uint8_t> pixels(static_cast<size_t>(width) * height * channels);
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      for (int c = 0; c < channels; ++c) {
        pixels[(static_cast<size_t>(y) * width + x) * channels + c] =
            static_cast<uint8_t>((x * (3 + c) + y * (5 - c) + ((x / 7 + y / 5) % 2) * 40) & 0xFF);
      }
    }
  }
  return pixels;
}

/** Encodes `pixels` (RGB, or CMYK when `cmyk`) with the given subsampling (TJSAMP_*) at quality 95. */
inline std::vector<uint8_t> encodeJpeg(const std::vector<uint8_t>& pixels, int width, int height, int subsamp,
                                       bool cmyk = false, bool progressive = false) {
  tjhandle h = tj3Init(TJINIT_COMPRESS);
  if (h == nullptr) throw std::runtime_error("tj3Init failed");
  tj3Set(h, TJPARAM_QUALITY, 95);
  tj3Set(h, TJPARAM_SUBSAMP, subsamp);
  tj3Set(h, TJPARAM_PROGRESSIVE, progressive ? 1 : 0);
  if (cmyk) tj3Set(h, TJPARAM_COLORSPACE, TJCS_CMYK);
  unsigned char* out = nullptr;
  size_t size = 0;
  const int format = cmyk ? TJPF_CMYK : subsamp == TJSAMP_GRAY ? TJPF_RGB : TJPF_RGB;
  const int pitch = width * (cmyk ? 4 : 3);
  if (tj3Compress8(h, pixels.data(), width, pitch, height, format, &out, &size) != 0) {
    tj3Destroy(h);
    throw std::runtime_error(tj3GetErrorStr(nullptr));
  }
  std::vector<uint8_t> bytes(out, out + size);
  tj3Free(out);
  tj3Destroy(h);
  return bytes;
}

/** The whole image, decoded at full size to RGB. */
inline std::vector<uint8_t> decodeFull(const std::vector<uint8_t>& jpeg, int width, int height) {
  tjhandle h = tj3Init(TJINIT_DECOMPRESS);
  std::vector<uint8_t> rgb(static_cast<size_t>(width) * height * 3);
  const int status = tj3Decompress8(h, jpeg.data(), jpeg.size(), rgb.data(), width * 3, TJPF_RGB);
  tj3Destroy(h);
  if (status != 0) throw std::runtime_error("decodeFull failed");
  return rgb;
}

}  // namespace cassdl::testing
