// Which part of a JPEG to decode, and at what DCT scale, for one crop window
// and output size. Pure arithmetic: the window itself is decided in JS (the
// seeded geometry of @cassdl/gpu-ops); this only says how to execute it.
#pragma once

namespace cassdl::decode {

/** A rectangle of the source image, in source pixels. */
struct Window {
  int left = 0;
  int top = 0;
  int width = 0;
  int height = 0;
};

/** What the decoder may do with a given JPEG. */
struct JpegLayout {
  int width = 0;
  int height = 0;
  /** iMCU width in source pixels (8 for 4:4:4 and gray, 16 for 4:2:0 and 4:2:2, 32 for 4:1:1). */
  int mcuWidth = 8;
  /** Whether libjpeg may decode a partial region (known subsampling). */
  bool canCrop = true;
};

/** How to decode one window, and where the window lies in the decoded pixels. */
struct RegionPlan {
  /** DCT scale numerator: the image decodes at scaleNum/8 of its size. */
  int scaleNum = 8;
  /** Region to decode, in scaled pixels; cropX is a multiple of the scaled iMCU width. */
  int cropX = 0;
  int cropY = 0;
  int cropWidth = 0;
  int cropHeight = 0;
  /** Window edges in decoded-region coordinates (pixel i covers [i, i+1)); fractional when scaled. */
  double x0 = 0;
  double y0 = 0;
  double x1 = 0;
  double y1 = 0;
};

/** libjpeg's scaled size of `dimension` at scaleNum/8 (TJSCALED: rounded up). */
inline int scaledSize(int dimension, int scaleNum) { return (dimension * scaleNum + 7) / 8; }

/**
 * The smallest DCT scale whose scaled window is still larger than the
 * output in both axes (so the resize after it never enlarges what the scale
 * reduced, the rule DALI's fused decoder follows, and always filters: where
 * the scaled window fitted the output exactly, the DCT's own reduction alone
 * came out 2.2-2.4/255 from a full decode plus a triangle filter on noisy
 * photos, against at most about 1.5 with any resize after it), the window's rows and iMCU
 * columns as the region to decode, and the window in that region.
 * `window` must lie inside the image (checked by the caller).
 */
RegionPlan planRegion(const JpegLayout& jpeg, const Window& window, int outWidth, int outHeight);

}  // namespace cassdl::decode
