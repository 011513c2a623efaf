// One image through the region decoder: libjpeg-turbo decodes only the
// window's rows and iMCU columns, at the DCT scale the output allows, then
// the window is resized (resample.h) and written into its batch row
// (batch_writer.h). Each decode thread owns one SampleDecoder and with it
// every buffer, so a warm thread allocates nothing per image.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "batch_writer.h"
#include "region_plan.h"
#include "resample.h"

namespace cassdl::decode {

/** One image of a batch, as planned in JS. */
struct SampleTask {
  const uint8_t* bytes = nullptr;
  size_t size = 0;
  /** The size JS read from the header and planned the window with. */
  int imageWidth = 0;
  int imageHeight = 0;
  Window window;
  bool flipHorizontal = false;
  bool flipVertical = false;
  /** Batch row written. */
  int row = 0;
};

/** Numbers JS reads (src/jpeg-decoder.ts). */
enum class Outcome : int32_t {
  ok = 0,
  /** A valid JPEG this decoder does not take (CMYK, 12-bit, lossless): decode it elsewhere. */
  unsupported = 1,
  /** The bytes do not decode; `message` says why (libjpeg-turbo's words). */
  corrupt = 2,
  /** The task itself is wrong (window outside the image): a caller bug. */
  invalid = 3,
};

struct SampleResult {
  Outcome outcome = Outcome::ok;
  std::string message;

  SampleResult() = default;
  SampleResult(Outcome o, std::string m) : outcome(o), message(std::move(m)) {}
};

/** Pixels in libjpeg-turbo's limit of sharp's default (`limitInputPixels`: 0x3FFF squared). */
inline constexpr uint64_t kMaxPixels = 0x3FFFull * 0x3FFF;

class SampleDecoder {
 public:
  SampleDecoder();
  ~SampleDecoder();
  SampleDecoder(const SampleDecoder&) = delete;
  SampleDecoder& operator=(const SampleDecoder&) = delete;

  /** Decodes, resizes and writes one sample; never throws, whatever the bytes. */
  SampleResult run(const SampleTask& task, const BatchOutput& out);

  /** The plan of the last decode (for tests). */
  const RegionPlan& lastPlan() const { return plan_; }

 private:
  void openHandle();
  /** libjpeg-turbo's message for the last failure; the decompressor is then replaced. */
  SampleResult jpegFailure();

  void* handle_ = nullptr;  // tjhandle
  RegionPlan plan_;
  std::vector<uint8_t> region_;
  std::vector<uint8_t> resized_;
  ResampleScratch scratch_;
};

}  // namespace cassdl::decode
