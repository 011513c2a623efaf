// Antialiased bilinear resize of 8-bit RGB, as sharp's `resize` with kernel
// 'linear' does it (libvips 8.17's vips_resize), so native and sharp rows of
// one batch agree:
// - an axis that shrinks gets a triangle filter whose support widens with
//   the reduction (every source pixel counts), pixel centres aligned
//   (libvips' reduceh/reducev);
// - when either axis enlarges, libvips then runs vips_affine with its
//   bilinear interpolator over both axes, which samples output pixel i at
//   source index i * in/out - 0.5 (half a pixel left of centre alignment),
//   even on an axis it does not scale: there that is a half-pixel shift.
// Taps never leave the window: the result is what cutting the window out
// and then resizing it gives.
#pragma once

#include <cstdint>
#include <vector>

namespace cassdl::decode {

/** Per output pixel of one axis: its first source pixel, tap count, and 14-bit weights. */
struct TapTable {
  std::vector<int> first;
  std::vector<int> count;
  std::vector<int16_t> weights;  // `stride` per output pixel
  int stride = 0;
};

/** Weights sum to 1 << kWeightBits. */
inline constexpr int kWeightBits = 14;

/** How one axis is resampled; see the header comment. */
enum class AxisMode {
  /** Triangle filter, centres aligned (shrinking, or the same size). */
  reduce,
  /** `reduce`, then libvips affine's half-pixel shift (the other axis enlarges). */
  reduceShifted,
  /** Bilinear at i * in/out - 0.5 (enlarging). */
  enlarge,
};

/** The mode libvips would use for an axis of `in` source pixels (fractional when DCT-scaled) and `out` outputs. */
AxisMode axisMode(double in, int out, bool otherEnlarges);

/**
 * Taps mapping the source span [e0, e1) (pixel i covers [i, i+1)) onto
 * `outSize` pixels; taps outside [lo, hi] are folded onto the edge pixel.
 */
void buildTaps(double e0, double e1, int outSize, int lo, int hi, AxisMode mode, TapTable& taps);

/** Reusable buffers of one thread, so resizing allocates nothing once warm. */
struct ResampleScratch {
  TapTable horizontal;
  TapTable vertical;
  std::vector<int16_t> rows;  // horizontally resized rows, 7 fractional bits
  std::vector<int32_t> sums;  // one output row's sums in the vertical pass
};

/**
 * Resizes the window [x0, x1) x [y0, y1) of `src` (RGB, `srcWidth` x
 * `srcHeight`, rows `srcWidth * 3` bytes apart) to `outWidth` x `outHeight`
 * RGB in `out`. The window must lie inside `src` with a non-empty area.
 */
void resampleRgb(const uint8_t* src, int srcWidth, int srcHeight, double x0, double y0, double x1, double y1,
                 int outWidth, int outHeight, uint8_t* out, ResampleScratch& scratch);

}  // namespace cassdl::decode
