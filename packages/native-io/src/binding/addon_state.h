// Per-environment state (main thread and each worker get their own): the
// class constructor, the planes alive in this env and the JPEG decode pool. Deleted by Node when
// the env goes away, after each plane's own cleanup hook has stopped it.
#pragma once

#include <napi.h>

#include <memory>
#include <unordered_set>

#ifdef CASSDL_WITH_JPEG
#include "../decode/decode_pool.h"
#endif

namespace cassdl::binding {

class JsDataPlane;

struct AddonState {
  Napi::FunctionReference dataPlaneClass;
  std::unordered_set<JsDataPlane*> planes;
#ifdef CASSDL_WITH_JPEG
  /** The region decoder's threads, started by the first decodeJpegBatch. */
  std::unique_ptr<decode::DecodePool> decodePool;
#endif

  static AddonState& of(Napi::Env env) { return *env.GetInstanceData<AddonState>(); }
  static AddonState* find(Napi::Env env) { return env.GetInstanceData<AddonState>(); }
};

}  // namespace cassdl::binding
