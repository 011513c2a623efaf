#include "region_plan.h"

#include <algorithm>
#include <cmath>

namespace cassdl::decode {

namespace {

int chooseScale(const Window& window, int outWidth, int outHeight) {
  for (int num = 1; num < 8; ++num) {
    // window * num / 8 > out, in integers: strictly, see region_plan.h.
    if (window.width * num > outWidth * 8 && window.height * num > outHeight * 8) return num;
  }
  return 8;
}

}  // namespace

RegionPlan planRegion(const JpegLayout& jpeg, const Window& window, int outWidth, int outHeight) {
  RegionPlan plan;
  plan.scaleNum = chooseScale(window, outWidth, outHeight);
  const double f = plan.scaleNum / 8.0;
  const int scaledWidth = scaledSize(jpeg.width, plan.scaleNum);
  const int scaledHeight = scaledSize(jpeg.height, plan.scaleNum);
  const double ex0 = window.left * f;
  const double ey0 = window.top * f;
  const double ex1 = (window.left + window.width) * f;
  const double ey1 = (window.top + window.height) * f;
  if (jpeg.canCrop) {
    // Resampling taps stay inside the window (as when the window is cut out
    // first), so the region is just the scaled pixels the window touches.
    const int mcu = scaledSize(jpeg.mcuWidth, plan.scaleNum);
    const int first = std::clamp(static_cast<int>(std::floor(ex0)), 0, scaledWidth - 1);
    const int end = std::clamp(static_cast<int>(std::ceil(ex1)), first + 1, scaledWidth);
    plan.cropX = first / mcu * mcu;
    plan.cropWidth = end - plan.cropX;
    plan.cropY = std::clamp(static_cast<int>(std::floor(ey0)), 0, scaledHeight - 1);
    plan.cropHeight = std::clamp(static_cast<int>(std::ceil(ey1)), plan.cropY + 1, scaledHeight) - plan.cropY;
  } else {
    plan.cropWidth = scaledWidth;
    plan.cropHeight = scaledHeight;
  }
  plan.x0 = ex0 - plan.cropX;
  plan.x1 = std::min(ex1, static_cast<double>(scaledWidth)) - plan.cropX;
  plan.y0 = ey0 - plan.cropY;
  plan.y1 = std::min(ey1, static_cast<double>(scaledHeight)) - plan.cropY;
  return plan;
}

}  // namespace cassdl::decode
