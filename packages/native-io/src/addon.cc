// The addon's sole entry point: registers the per-env state and exports
// the binding class that src/native-plane.ts wraps.
#include <napi.h>

#include "binding/addon_state.h"
#include "binding/js_data_plane.h"
#ifdef CASSDL_WITH_JPEG
#include "binding/js_decoder.h"
#endif
#include "protocol/murmur3.h"

#ifndef CASSDL_NATIVE_VERSION
#define CASSDL_NATIVE_VERSION "0.0.0"
#endif

namespace {

/** murmur3Token(key: Uint8Array): bigint — the partitioner token, exposed so tests compare it with the server's. */
Napi::Value Murmur3Token(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsTypedArray() ||
      info[0].As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array) {
    Napi::TypeError::New(env, "murmur3Token(key): expected a Uint8Array").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  auto key = info[0].As<Napi::Uint8Array>();
  return Napi::BigInt::New(env, cassdl::protocol::murmur3Token(key.Data(), key.ElementLength()));
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  auto* state = new cassdl::binding::AddonState();
  env.SetInstanceData(state);  // deleted by Node at env teardown
  Napi::Function dataPlane = cassdl::binding::JsDataPlane::Define(env);
  state->dataPlaneClass = Napi::Persistent(dataPlane);
  exports.Set("NativeDataPlaneBinding", dataPlane);
  exports.Set("murmur3Token", Napi::Function::New<Murmur3Token>(env, "murmur3Token"));
  exports.Set("version", Napi::String::New(env, CASSDL_NATIVE_VERSION));
  exports.Set("protocolVersion", Napi::Number::New(env, 4));
#ifdef CASSDL_WITH_JPEG
  cassdl::binding::defineJpegDecoder(env, exports);
#endif
  return exports;
}

}  // namespace

NODE_API_MODULE(cassdl_native, Init)
