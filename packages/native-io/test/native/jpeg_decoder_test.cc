// The JPEG region decoder (src/decode): which DCT scale and region it picks,
// that it matches a full decode plus the same crop, mirrors and tables
// exactly where no resampling is involved, that every layout is written
// where it belongs, and that bad bytes or windows come back as outcomes,
// never as a crash (this suite runs under ASan and UBSan).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "../../src/decode/batch_writer.h"
#include "../../src/decode/region_plan.h"
#include "../../src/decode/sample_decoder.h"
#include "jpeg_fixtures.h"

namespace cassdl::decode {
namespace {

using testing::decodeFull;
using testing::encodeJpeg;
using testing::patternPixels;

std::vector<float> identityLuts() {
  std::vector<float> luts(3 * 256);
  for (int c = 0; c < 3; ++c)
    for (int v = 0; v < 256; ++v) luts[c * 256 + v] = static_cast<float>(v);
  return luts;
}

struct Decoded {
  Outcome outcome;
  std::string message;
  std::vector<float> pixels;
};

Decoded decode(const std::vector<uint8_t>& jpeg, int width, int height, Window window, int outWidth, int outHeight,
               bool flipH = false, bool flipV = false, int channels = 3, bool nchw = false) {
  std::vector<float> luts = identityLuts();
  Decoded d;
  d.pixels.assign(static_cast<size_t>(outWidth) * outHeight * channels, -1.0f);
  BatchOutput out;
  out.data = d.pixels.data();
  out.luts = luts.data();
  out.rows = 1;
  out.width = outWidth;
  out.height = outHeight;
  out.channels = channels;
  out.nchw = nchw;
  SampleTask task;
  task.bytes = jpeg.data();
  task.size = jpeg.size();
  task.imageWidth = width;
  task.imageHeight = height;
  task.window = window;
  task.flipHorizontal = flipH;
  task.flipVertical = flipV;
  SampleDecoder decoder;
  SampleResult r = decoder.run(task, out);
  d.outcome = r.outcome;
  d.message = r.message;
  return d;
}

TEST(RegionPlan, PicksTheSmallestScaleThatStillCoversTheOutput) {
  JpegLayout jpeg{500, 375, 16, true};
  // 375 rows to 224: 5/8 gives 234 >= 224, 4/8 gives 187 < 224.
  EXPECT_EQ(planRegion(jpeg, {0, 0, 500, 375}, 224, 224).scaleNum, 5);
  // An exact fit at 4/8 takes 5/8: the resize after the scale always filters.
  EXPECT_EQ(planRegion(jpeg, {0, 0, 448, 224}, 224, 112).scaleNum, 5);
  EXPECT_EQ(planRegion(jpeg, {0, 0, 448, 300}, 224, 112).scaleNum, 5);
  EXPECT_EQ(planRegion(jpeg, {0, 0, 460, 300}, 224, 112).scaleNum, 4);
  // A small window enlarges: full scale.
  EXPECT_EQ(planRegion(jpeg, {10, 10, 100, 80}, 224, 224).scaleNum, 8);
  // A big image, small output: 1/8.
  JpegLayout big{4000, 3000, 16, true};
  EXPECT_EQ(planRegion(big, {0, 0, 4000, 3000}, 224, 224).scaleNum, 1);
}

TEST(RegionPlan, RegionStartsOnAnImcuAndHoldsTheWindow) {
  for (int mcu : {8, 16, 32}) {
    JpegLayout jpeg{640, 480, mcu, true};
    for (Window w : {Window{0, 0, 640, 480}, Window{37, 11, 301, 205}, Window{333, 250, 307, 230},
                     Window{1, 1, 1, 1}}) {
      for (int out : {16, 224, 600}) {
        RegionPlan p = planRegion(jpeg, w, out, out);
        const int scaledMcu = scaledSize(mcu, p.scaleNum);
        EXPECT_EQ(p.cropX % scaledMcu, 0) << "mcu " << mcu << " out " << out;
        EXPECT_GE(p.x0, 0.0);
        EXPECT_GE(p.y0, 0.0);
        EXPECT_LE(p.x1, p.cropWidth + 1e-9);
        EXPECT_LE(p.y1, p.cropHeight + 1e-9);
        EXPECT_LT(p.x0, p.x1);
        EXPECT_LT(p.y0, p.y1);
        EXPECT_LE(p.cropX + p.cropWidth, scaledSize(640, p.scaleNum));
        EXPECT_LE(p.cropY + p.cropHeight, scaledSize(480, p.scaleNum));
      }
    }
  }
}

TEST(SampleDecoder, AWindowAtItsOwnSizeIsTheFullDecodeCroppedExactly) {
  const int w = 96, h = 64;
  for (int subsamp : {TJSAMP_444, TJSAMP_420, TJSAMP_422}) {
    std::vector<uint8_t> jpeg = encodeJpeg(patternPixels(w, h, 3), w, h, subsamp);
    std::vector<uint8_t> full = decodeFull(jpeg, w, h);
    const Window window{19, 7, 50, 41};
    Decoded d = decode(jpeg, w, h, window, window.width, window.height);
    ASSERT_EQ(d.outcome, Outcome::ok) << d.message;
    int worst = 0;
    for (int y = 0; y < window.height; ++y)
      for (int x = 0; x < window.width; ++x)
        for (int c = 0; c < 3; ++c) {
          const int want = full[((window.top + y) * w + window.left + x) * 3 + c];
          const int got = static_cast<int>(d.pixels[(y * window.width + x) * 3 + c]);
          worst = std::max(worst, std::abs(want - got));
        }
    // libjpeg's fancy upsampling near the region edge may differ by a level.
    EXPECT_LE(worst, 2) << "subsampling " << subsamp;
  }
}

TEST(SampleDecoder, MirrorsAreExactMirrors) {
  const int w = 80, h = 60;
  std::vector<uint8_t> jpeg = encodeJpeg(patternPixels(w, h, 3), w, h, TJSAMP_420);
  const Window window{5, 3, 70, 50};
  Decoded plain = decode(jpeg, w, h, window, 33, 21);
  Decoded both = decode(jpeg, w, h, window, 33, 21, true, true);
  ASSERT_EQ(plain.outcome, Outcome::ok);
  ASSERT_EQ(both.outcome, Outcome::ok);
  for (int y = 0; y < 21; ++y)
    for (int x = 0; x < 33; ++x)
      for (int c = 0; c < 3; ++c)
        ASSERT_EQ(both.pixels[(y * 33 + x) * 3 + c], plain.pixels[((20 - y) * 33 + (32 - x)) * 3 + c]);
}

TEST(SampleDecoder, WritesNchwWithZeroPadding) {
  const int w = 48, h = 40;
  std::vector<uint8_t> jpeg = encodeJpeg(patternPixels(w, h, 3), w, h, TJSAMP_444);
  const Window window{0, 0, w, h};
  Decoded nhwc = decode(jpeg, w, h, window, 24, 20);
  Decoded nchw = decode(jpeg, w, h, window, 24, 20, false, false, 4, true);
  ASSERT_EQ(nchw.outcome, Outcome::ok);
  const int pixels = 24 * 20;
  for (int p = 0; p < pixels; ++p) {
    for (int c = 0; c < 3; ++c) ASSERT_EQ(nchw.pixels[c * pixels + p], nhwc.pixels[p * 3 + c]);
    ASSERT_EQ(nchw.pixels[3 * pixels + p], 0.0f);
  }
}

TEST(SampleDecoder, ShrinksAtAReducedScaleCloseToTheFullDecode) {
  const int w = 256, h = 192;
  std::vector<uint8_t> jpeg = encodeJpeg(patternPixels(w, h, 3), w, h, TJSAMP_420);
  Decoded d = decode(jpeg, w, h, {0, 0, w, h}, 32, 24);  // 1/8 scale
  ASSERT_EQ(d.outcome, Outcome::ok) << d.message;
  for (float v : d.pixels) {
    EXPECT_GE(v, 0.0f);
    EXPECT_LE(v, 255.0f);
  }
}

TEST(SampleDecoder, GrayJpegsBecomeRgb) {
  const int w = 40, h = 32;
  std::vector<uint8_t> jpeg = encodeJpeg(patternPixels(w, h, 3), w, h, TJSAMP_GRAY);
  Decoded d = decode(jpeg, w, h, {0, 0, w, h}, w, h);
  ASSERT_EQ(d.outcome, Outcome::ok) << d.message;
  for (size_t p = 0; p < d.pixels.size(); p += 3) {
    ASSERT_EQ(d.pixels[p], d.pixels[p + 1]);
    ASSERT_EQ(d.pixels[p], d.pixels[p + 2]);
  }
}

TEST(SampleDecoder, LeavesCmykToAnotherDecoder) {
  const int w = 32, h = 24;
  std::vector<uint8_t> jpeg = encodeJpeg(patternPixels(w, h, 4), w, h, TJSAMP_444, true);
  Decoded d = decode(jpeg, w, h, {0, 0, w, h}, 16, 12);
  EXPECT_EQ(d.outcome, Outcome::unsupported);
  EXPECT_EQ(d.pixels[0], -1.0f);  // nothing written
}

TEST(SampleDecoder, BadBytesAndWindowsAreOutcomesNotCrashes) {
  const int w = 64, h = 48;
  std::vector<uint8_t> jpeg = encodeJpeg(patternPixels(w, h, 3), w, h, TJSAMP_420, false, true);
  // Every truncation point of a progressive JPEG.
  for (size_t cut = 0; cut < jpeg.size(); cut += 7) {
    std::vector<uint8_t> part(jpeg.begin(), jpeg.begin() + static_cast<std::ptrdiff_t>(cut));
    Decoded d = decode(part, w, h, {3, 4, 50, 40}, 20, 20);
    EXPECT_EQ(d.outcome, Outcome::corrupt) << "cut at " << cut;
    EXPECT_FALSE(d.message.empty());
  }
  // A frame that is not the size the header reader said.
  EXPECT_EQ(decode(jpeg, w + 1, h, {0, 0, w, h}, 8, 8).outcome, Outcome::corrupt);
  // Windows outside the image.
  EXPECT_EQ(decode(jpeg, w, h, {0, 0, w + 1, h}, 8, 8).outcome, Outcome::invalid);
  EXPECT_EQ(decode(jpeg, w, h, {-1, 0, 4, 4}, 8, 8).outcome, Outcome::invalid);
  EXPECT_EQ(decode(jpeg, w, h, {0, 0, 0, 4}, 8, 8).outcome, Outcome::invalid);
  // The decoder recovers: the next image decodes.
  EXPECT_EQ(decode(jpeg, w, h, {0, 0, w, h}, 8, 8).outcome, Outcome::ok);
}

TEST(SampleDecoder, FlippedBitsInTheScanNeverCrash) {
  const int w = 64, h = 48;
  std::vector<uint8_t> jpeg = encodeJpeg(patternPixels(w, h, 3), w, h, TJSAMP_420);
  for (size_t at = 0; at < jpeg.size(); at += 3) {
    std::vector<uint8_t> bad = jpeg;
    bad[at] ^= static_cast<uint8_t>(0x5A);
    Decoded d = decode(bad, w, h, {1, 2, 60, 44}, 30, 17, at % 2 == 0, at % 3 == 0);
    EXPECT_NE(d.outcome, Outcome::invalid);
  }
}

}  // namespace
}  // namespace cassdl::decode
