// decodeJpegBatch(data, tasks, out, luts, shape): the region decoder's one
// JS entry. Validates its arguments on the JS thread, queues the batch on
// the env's decode pool and returns a promise settled on the JS thread when
// the last image is written. Compiled only with libjpeg-turbo
// (CASSDL_WITH_JPEG); src/jpeg-decoder.ts describes the arguments.
#pragma once

#include <napi.h>

namespace cassdl::binding {

/** Adds `decodeJpegBatch` and `jpegDecoder` (version, simd) to the exports. */
void defineJpegDecoder(Napi::Env env, Napi::Object exports);

}  // namespace cassdl::binding
