// Writes the JPEG fuzz target's seeds into the folder given: small JPEGs of
// every kind the decoder meets (4:4:4, 4:2:0, 4:2:2, 4:1:1 subsampling,
// gray, progressive, CMYK), each behind an 8-byte task (see jpeg_fuzzer.cc).
// Generated on each run by scripts/fuzz.sh from libjpeg-turbo's encoder, so
// nothing binary is committed.
#include <cstdio>
#include <string>

#include "../test/native/jpeg_fixtures.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: make_jpeg_seeds DIR\n");
    return 2;
  }
  struct Seed {
    const char* name;
    int width, height, subsamp;
    bool cmyk, progressive;
    unsigned char task[8];
  };
  const Seed seeds[] = {
      {"444", 48, 32, TJSAMP_444, false, false, {0, 0, 10, 20, 200, 180, 30, 0}},
      {"420", 64, 48, TJSAMP_420, false, false, {0, 0, 100, 3, 128, 255, 200, 1}},
      {"422", 40, 40, TJSAMP_422, false, false, {0, 0, 0, 0, 255, 255, 100, 6}},
      {"411", 72, 24, TJSAMP_411, false, false, {0, 0, 50, 50, 60, 60, 7, 28}},
      {"gray", 33, 17, TJSAMP_GRAY, false, false, {0, 0, 1, 1, 250, 250, 47, 16}},
      {"progressive", 56, 40, TJSAMP_420, false, true, {0, 0, 30, 30, 150, 150, 90, 19}},
      {"cmyk", 24, 24, TJSAMP_444, true, false, {0, 0, 0, 0, 255, 255, 20, 0}},
  };
  for (const Seed& s : seeds) {
    auto pixels = cassdl::testing::patternPixels(s.width, s.height, s.cmyk ? 4 : 3);
    auto jpeg = cassdl::testing::encodeJpeg(pixels, s.width, s.height, s.subsamp, s.cmyk, s.progressive);
    const std::string path = std::string(argv[1]) + "/seed-" + s.name;
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (f == nullptr) return 1;
    std::fwrite(s.task, 1, sizeof s.task, f);
    std::fwrite(jpeg.data(), 1, jpeg.size(), f);
    std::fclose(f);
  }
  return 0;
}
