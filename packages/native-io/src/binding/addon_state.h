// Per-environment state (main thread and each worker get their own): the
// class constructor and the planes alive in this env. Deleted by Node when
// the env goes away, after each plane's own cleanup hook has stopped it.
#pragma once

#include <napi.h>

#include <unordered_set>

namespace cassdl::binding {

class JsDataPlane;

struct AddonState {
  Napi::FunctionReference dataPlaneClass;
  std::unordered_set<JsDataPlane*> planes;

  static AddonState& of(Napi::Env env) { return *env.GetInstanceData<AddonState>(); }
  static AddonState* find(Napi::Env env) { return env.GetInstanceData<AddonState>(); }
};

}  // namespace cassdl::binding
