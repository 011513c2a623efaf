#include "resample.h"

#include <algorithm>
#include <cmath>

namespace cassdl::decode {

AxisMode axisMode(double in, int out, bool otherEnlarges) {
  if (in < out) return AxisMode::enlarge;
  return otherEnlarges ? AxisMode::reduceShifted : AxisMode::reduce;
}

namespace {

/** Adds `share` x the triangle taps centred at `centre` (support `support`) into w[j - first]. */
void addTriangle(double centre, double support, double share, int lo, int hi, int first, std::vector<double>& w) {
  const int start = static_cast<int>(std::ceil(centre - support));
  const int end = static_cast<int>(std::floor(centre + support));
  double sum = 0;
  for (int j = start; j <= end; ++j) sum += std::max(0.0, 1.0 - std::abs(j - centre) / support);
  if (sum <= 0) {  // cannot happen with support >= 1, but never divide by zero
    w[std::clamp(static_cast<int>(std::lround(centre)), lo, hi) - first] += share;
    return;
  }
  for (int j = start; j <= end; ++j) {
    const double weight = std::max(0.0, 1.0 - std::abs(j - centre) / support);
    w[std::clamp(j, lo, hi) - first] += share * weight / sum;  // taps past an edge fold onto it
  }
}

}  // namespace

void buildTaps(double e0, double e1, int outSize, int lo, int hi, AxisMode mode, TapTable& taps) {
  const double scale = (e1 - e0) / outSize;
  const double support = mode == AxisMode::enlarge ? 1.0 : std::max(1.0, scale);
  // The shifted mode mixes two neighbouring outputs: one more output pixel of reach.
  const int reach = static_cast<int>(std::ceil(support)) * 2 + 1 + (mode == AxisMode::reduceShifted ? 2 + static_cast<int>(std::ceil(scale)) : 0);
  taps.stride = reach;
  taps.first.assign(outSize, 0);
  taps.count.assign(outSize, 0);
  taps.weights.assign(static_cast<size_t>(outSize) * taps.stride, 0);
  std::vector<double> w(taps.stride + 1);
  auto centreOf = [&](int i) { return e0 + (i + 0.5) * scale - 0.5; };
  for (int i = 0; i < outSize; ++i) {
    double lowest = 0;
    double highest = 0;
    if (mode == AxisMode::enlarge) {
      lowest = highest = e0 + i * scale - 0.5;
    } else if (mode == AxisMode::reduceShifted) {
      lowest = centreOf(std::max(0, i - 1));
      highest = centreOf(i);
    } else {
      lowest = highest = centreOf(i);
    }
    const int first = std::clamp(static_cast<int>(std::ceil(lowest - support)), lo, hi);
    const int last = std::clamp(static_cast<int>(std::floor(highest + support)), lo, hi);
    const int n = std::min(last - first + 1, taps.stride);
    std::fill(w.begin(), w.end(), 0.0);
    if (mode == AxisMode::reduceShifted) {
      addTriangle(lowest, support, 0.5, lo, first + n - 1, first, w);
      addTriangle(highest, support, 0.5, lo, first + n - 1, first, w);
    } else {
      addTriangle(lowest, support, 1.0, lo, first + n - 1, first, w);
    }
    int16_t* out = &taps.weights[static_cast<size_t>(i) * taps.stride];
    int total = 0;
    int largest = 0;
    for (int k = 0; k < n; ++k) {
      out[k] = static_cast<int16_t>(std::lround(w[k] * (1 << kWeightBits)));
      total += out[k];
      if (out[k] > out[largest]) largest = k;
    }
    out[largest] = static_cast<int16_t>(out[largest] + ((1 << kWeightBits) - total));  // exact unit sum
    taps.first[i] = first;
    taps.count[i] = n;
  }
}

namespace {

constexpr int kRowBits = 7;  // fractional bits kept between the two passes (255 << 7 fits int16)

void horizontalPass(const uint8_t* src, int srcWidth, int rowFirst, int rowLast, int outWidth,
                    const TapTable& taps, int16_t* rows) {
  const size_t outStride = static_cast<size_t>(outWidth) * 3;
  for (int r = rowFirst; r <= rowLast; ++r) {
    const uint8_t* line = src + static_cast<size_t>(r) * srcWidth * 3;
    int16_t* dst = rows + static_cast<size_t>(r - rowFirst) * outStride;
    for (int x = 0; x < outWidth; ++x) {
      const int16_t* w = &taps.weights[static_cast<size_t>(x) * taps.stride];
      const uint8_t* p = line + static_cast<size_t>(taps.first[x]) * 3;
      int32_t r0 = 0;
      int32_t g0 = 0;
      int32_t b0 = 0;
      for (int k = 0, n = taps.count[x]; k < n; ++k, p += 3) {
        r0 += w[k] * p[0];
        g0 += w[k] * p[1];
        b0 += w[k] * p[2];
      }
      constexpr int shift = kWeightBits - kRowBits;
      constexpr int half = 1 << (shift - 1);
      dst[x * 3] = static_cast<int16_t>((r0 + half) >> shift);
      dst[x * 3 + 1] = static_cast<int16_t>((g0 + half) >> shift);
      dst[x * 3 + 2] = static_cast<int16_t>((b0 + half) >> shift);
    }
  }
}

void verticalPass(const int16_t* rows, int rowFirst, int outWidth, int outHeight, const TapTable& taps,
                  uint8_t* out, std::vector<int32_t>& acc) {
  const size_t stride = static_cast<size_t>(outWidth) * 3;
  constexpr int shift = kWeightBits + kRowBits;
  constexpr int32_t half = 1 << (shift - 1);
  acc.resize(stride);
  for (int y = 0; y < outHeight; ++y) {
    const int16_t* w = &taps.weights[static_cast<size_t>(y) * taps.stride];
    const int16_t* base = rows + static_cast<size_t>(taps.first[y] - rowFirst) * stride;
    const int n = taps.count[y];
    uint8_t* dst = out + static_cast<size_t>(y) * stride;
    // Tap by tap over the whole row, so each inner loop is one straight
    // multiply-add over contiguous elements the compiler vectorizes (the same
    // integer sums as element by element, only added in another order).
    std::fill(acc.begin(), acc.end(), half);
    int32_t* a = acc.data();
    for (int k = 0; k < n; ++k) {
      const int32_t wk = w[k];
      const int16_t* row = base + static_cast<size_t>(k) * stride;
      for (size_t e = 0; e < stride; ++e) a[e] += wk * row[e];
    }
    for (size_t e = 0; e < stride; ++e) dst[e] = static_cast<uint8_t>(std::clamp(a[e] >> shift, 0, 255));
  }
}

int edgeLo(double e0) { return static_cast<int>(std::floor(e0)); }
int edgeHi(double e1, int size) { return std::min(size, static_cast<int>(std::ceil(e1))) - 1; }

}  // namespace

void resampleRgb(const uint8_t* src, int srcWidth, int srcHeight, double x0, double y0, double x1, double y1,
                 int outWidth, int outHeight, uint8_t* out, ResampleScratch& scratch) {
  const int xlo = std::max(0, edgeLo(x0));
  const int ylo = std::max(0, edgeLo(y0));
  const bool upX = x1 - x0 < outWidth;
  const bool upY = y1 - y0 < outHeight;
  buildTaps(x0, x1, outWidth, xlo, std::max(xlo, edgeHi(x1, srcWidth)), axisMode(x1 - x0, outWidth, upY),
            scratch.horizontal);
  buildTaps(y0, y1, outHeight, ylo, std::max(ylo, edgeHi(y1, srcHeight)), axisMode(y1 - y0, outHeight, upX),
            scratch.vertical);
  const TapTable& v = scratch.vertical;
  const int rowFirst = v.first.front();
  int rowLast = rowFirst;
  for (int y = 0; y < outHeight; ++y) rowLast = std::max(rowLast, v.first[y] + v.count[y] - 1);
  scratch.rows.resize(static_cast<size_t>(rowLast - rowFirst + 1) * outWidth * 3);
  horizontalPass(src, srcWidth, rowFirst, rowLast, outWidth, scratch.horizontal, scratch.rows.data());
  verticalPass(scratch.rows.data(), rowFirst, outWidth, outHeight, v, out, scratch.sums);
}

}  // namespace cassdl::decode
