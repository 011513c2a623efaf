#include "sample_decoder.h"

#include <turbojpeg.h>

#include <numeric>
#include <string>

namespace cassdl::decode {

namespace {

tjhandle handleOf(void* h) { return static_cast<tjhandle>(h); }

bool windowInside(const SampleTask& t) {
  const Window& w = t.window;
  return w.left >= 0 && w.top >= 0 && w.width > 0 && w.height > 0 && w.left + w.width <= t.imageWidth &&
         w.top + w.height <= t.imageHeight;
}

}  // namespace

SampleDecoder::SampleDecoder() { openHandle(); }

void SampleDecoder::openHandle() {
  handle_ = tj3Init(TJINIT_DECOMPRESS);
  if (handle_ == nullptr) return;
  // As strict as sharp's failOn: 'warning': a corrupt stream is an error, not grey blocks.
  tj3Set(handleOf(handle_), TJPARAM_STOPONWARNING, 1);
  // Bound the work a hostile progressive stream can ask for (libjpeg-turbo's own fuzzers use 500).
  tj3Set(handleOf(handle_), TJPARAM_SCANLIMIT, 500);
  tj3Set(handleOf(handle_), TJPARAM_MAXPIXELS, static_cast<int>(kMaxPixels));
}

SampleDecoder::~SampleDecoder() {
  if (handle_ != nullptr) tj3Destroy(handleOf(handle_));
}

SampleResult SampleDecoder::jpegFailure() {
  SampleResult result{Outcome::corrupt, tj3GetErrorStr(handleOf(handle_))};
  // A longjmp out of libjpeg can leave the decompressor mid-header: start the next image afresh.
  tj3Destroy(handleOf(handle_));
  openHandle();
  return result;
}

SampleResult SampleDecoder::run(const SampleTask& task, const BatchOutput& out) {
  if (handle_ == nullptr) return SampleResult(Outcome::unsupported, "libjpeg-turbo could not start a decompressor");
  if (!windowInside(task)) {
    return SampleResult(Outcome::invalid, "crop window " + std::to_string(task.window.width) + "x" +
                                      std::to_string(task.window.height) + "+" + std::to_string(task.window.left) +
                                      "+" + std::to_string(task.window.top) + " is outside the " +
                                      std::to_string(task.imageWidth) + "x" + std::to_string(task.imageHeight) +
                                      " image");
  }
  tjhandle h = handleOf(handle_);
  if (task.size == 0) return {Outcome::corrupt, "empty JPEG"};
  if (tj3DecompressHeader(h, task.bytes, task.size) != 0) return jpegFailure();
  JpegLayout jpeg;
  jpeg.width = tj3Get(h, TJPARAM_JPEGWIDTH);
  jpeg.height = tj3Get(h, TJPARAM_JPEGHEIGHT);
  if (jpeg.width != task.imageWidth || jpeg.height != task.imageHeight) {
    return SampleResult(Outcome::corrupt, "JPEG frame is " + std::to_string(jpeg.width) + "x" + std::to_string(jpeg.height) +
                                      ", its header read " + std::to_string(task.imageWidth) + "x" +
                                      std::to_string(task.imageHeight));
  }
  const int colorspace = tj3Get(h, TJPARAM_COLORSPACE);
  if (tj3Get(h, TJPARAM_PRECISION) != 8 || tj3Get(h, TJPARAM_LOSSLESS) == 1 || colorspace == TJCS_CMYK ||
      colorspace == TJCS_YCCK) {
    return SampleResult(Outcome::unsupported, "not an 8-bit lossy gray or colour JPEG");
  }
  if (static_cast<uint64_t>(jpeg.width) * jpeg.height > kMaxPixels) {
    return SampleResult(Outcome::corrupt, "image is too large");
  }
  const int subsamp = tj3Get(h, TJPARAM_SUBSAMP);
  jpeg.canCrop = subsamp >= 0 && subsamp < TJ_NUMSAMP;
  jpeg.mcuWidth = jpeg.canCrop ? tjMCUWidth[subsamp] : 8;
  plan_ = planRegion(jpeg, task.window, out.width, out.height);
  // libjpeg-turbo lists its factors in lowest terms (1/1, 7/8, 3/4, ...).
  const int common = std::gcd(plan_.scaleNum, 8);
  if (tj3SetScalingFactor(h, tjscalingfactor{plan_.scaleNum / common, 8 / common}) != 0) return jpegFailure();
  const tjregion crop = jpeg.canCrop ? tjregion{plan_.cropX, plan_.cropY, plan_.cropWidth, plan_.cropHeight}
                                     : tjregion{0, 0, 0, 0};
  if (tj3SetCroppingRegion(h, crop) != 0) return jpegFailure();
  region_.resize(static_cast<size_t>(plan_.cropWidth) * plan_.cropHeight * 3);
  if (tj3Decompress8(h, task.bytes, task.size, region_.data(), plan_.cropWidth * 3, TJPF_RGB) != 0) {
    return jpegFailure();
  }
  resized_.resize(static_cast<size_t>(out.width) * out.height * 3);
  resampleRgb(region_.data(), plan_.cropWidth, plan_.cropHeight, plan_.x0, plan_.y0, plan_.x1, plan_.y1, out.width,
              out.height, resized_.data(), scratch_);
  writeSample(out, task.row, resized_.data(), task.flipHorizontal, task.flipVertical);
  return {};
}

}  // namespace cassdl::decode
