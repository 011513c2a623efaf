#include "js_decoder.h"

#include <memory>
#include <string>
#include <utility>

#include "../decode/decode_pool.h"
#include "addon_state.h"

namespace cassdl::binding {

namespace {

constexpr size_t kTaskFields = 10;  // start, length, imageWidth, imageHeight, left, top, width, height, flags, row
constexpr int kMaxThreads = 64;

/** A batch between its submission and the promise's settlement; deleted by its TSFN's finalizer. */
struct PendingBatch {
  napi_threadsafe_function tsfn = nullptr;
  napi_deferred deferred = nullptr;
  // The typed arrays the pool threads read and write stay reachable until the promise settles.
  Napi::Reference<Napi::Value> data;
  Napi::Reference<Napi::Value> out;
  Napi::Reference<Napi::Value> luts;
  std::shared_ptr<decode::BatchJob> job;
};

Napi::Value fail(Napi::Env env, const std::string& message) {
  Napi::Error error = Napi::TypeError::New(env, "decodeJpegBatch: " + message);
  error.Set("code", Napi::String::New(env, "ERR_CASSDL_INTERNAL"));
  error.ThrowAsJavaScriptException();
  return env.Undefined();
}

bool isTyped(const Napi::Value& v, napi_typedarray_type type) {
  return v.IsTypedArray() && v.As<Napi::TypedArray>().TypedArrayType() == type;
}

/**
 * The array's first element, from napi_get_typedarray_info itself: going
 * through ArrayBuffer() fails for a SharedArrayBuffer (gpu-ops' worker
 * threads share their batch buffers), which would give a null base.
 */
void* elements(const Napi::TypedArray& array) {
  void* data = nullptr;
  napi_status status =
      napi_get_typedarray_info(array.Env(), array, nullptr, nullptr, &data, nullptr, nullptr);
  return status == napi_ok ? data : nullptr;
}

void settle(napi_env rawEnv, PendingBatch* pending) {
  Napi::Env env(rawEnv);
  Napi::HandleScope scope(env);
  const decode::BatchJob& job = *pending->job;
  const size_t n = job.results.size();
  Napi::Int32Array outcomes = Napi::Int32Array::New(env, n);
  Napi::Array messages = Napi::Array::New(env, n);
  for (size_t i = 0; i < n; ++i) {
    outcomes[i] = static_cast<int32_t>(job.results[i].outcome);
    messages.Set(static_cast<uint32_t>(i), Napi::String::New(env, job.results[i].message));
  }
  Napi::Object result = Napi::Object::New(env);
  result.Set("outcomes", outcomes);
  result.Set("messages", messages);
  napi_resolve_deferred(env, pending->deferred, result);
  pending->data.Reset();
  pending->out.Reset();
  pending->luts.Reset();
  pending->job.reset();  // breaks the job -> done -> pending cycle
  napi_release_threadsafe_function(pending->tsfn, napi_tsfn_release);
}

decode::DecodePool& poolOf(Napi::Env env, int threads) {
  AddonState& state = AddonState::of(env);
  if (!state.decodePool) {
    state.decodePool = std::make_unique<decode::DecodePool>(threads);
    // Joined before the env frees the buffers its threads may be writing.
    napi_add_env_cleanup_hook(
        env, [](void* s) { static_cast<AddonState*>(s)->decodePool.reset(); }, &state);
  } else {
    state.decodePool->grow(threads);
  }
  return *state.decodePool;
}

/** Reads the task table into tasks over `data`; an empty string when every task is well-formed. */
std::string readTasks(const Napi::Uint32Array& table, const Napi::Uint8Array& data, int rows,
                      std::vector<decode::SampleTask>& tasks) {
  const uint32_t* t = table.Data();
  const size_t n = table.ElementLength() / kTaskFields;
  tasks.resize(n);
  for (size_t i = 0; i < n; ++i, t += kTaskFields) {
    const uint64_t start = t[0];
    const uint64_t length = t[1];
    if (start + length > data.ElementLength()) return "task " + std::to_string(i) + " reads past the data";
    if (t[9] >= static_cast<uint32_t>(rows)) return "task " + std::to_string(i) + " writes past the batch";
    for (int f = 2; f < 8; ++f) {
      if (t[f] > 0xFFFFu) return "task " + std::to_string(i) + " has a size over 65535";
    }
    decode::SampleTask& task = tasks[i];
    task.bytes = data.Data() + start;
    task.size = length;
    task.imageWidth = static_cast<int>(t[2]);
    task.imageHeight = static_cast<int>(t[3]);
    task.window = {static_cast<int>(t[4]), static_cast<int>(t[5]), static_cast<int>(t[6]), static_cast<int>(t[7])};
    task.flipHorizontal = (t[8] & 1u) != 0;
    task.flipVertical = (t[8] & 2u) != 0;
    task.row = static_cast<int>(t[9]);
  }
  return "";
}

Napi::Value DecodeJpegBatch(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 5 || !isTyped(info[0], napi_uint8_array) || !isTyped(info[1], napi_uint32_array) ||
      !isTyped(info[4], napi_int32_array)) {
    return fail(env, "expected (data: Uint8Array, tasks: Uint32Array, out, luts, shape: Int32Array)");
  }
  auto data = info[0].As<Napi::Uint8Array>();
  auto table = info[1].As<Napi::Uint32Array>();
  auto shape = info[4].As<Napi::Int32Array>();
  const bool isFloat = isTyped(info[2], napi_float32_array) && isTyped(info[3], napi_float32_array);
  const bool isInt = isTyped(info[2], napi_int32_array) && isTyped(info[3], napi_int32_array);
  if (!isFloat && !isInt) return fail(env, "out and luts must both be Float32Array or both Int32Array");
  if (shape.ElementLength() != 6) return fail(env, "shape is [rows, height, width, channels, nchw, threads]");
  auto out = info[2].As<Napi::TypedArray>();
  auto luts = info[3].As<Napi::TypedArray>();
  decode::BatchOutput output;
  output.isFloat = isFloat;
  output.rows = shape[0];
  output.height = shape[1];
  output.width = shape[2];
  output.channels = shape[3];
  output.nchw = shape[4] != 0;
  const int threads = shape[5];
  if (output.rows < 0 || output.height < 1 || output.height > 0xFFFF || output.width < 1 || output.width > 0xFFFF ||
      output.channels < 3 || output.channels > 64 || threads < 1 || threads > kMaxThreads) {
    return fail(env, "shape out of range");
  }
  if (out.ElementLength() < output.sampleElements() * output.rows) return fail(env, "out is smaller than the batch");
  if (luts.ElementLength() != 3 * 256) return fail(env, "luts must hold 3 x 256 entries");
  if (table.ElementLength() % kTaskFields != 0) return fail(env, "tasks hold 10 numbers per image");
  output.data = elements(out);
  output.luts = elements(luts);
  if (output.data == nullptr || output.luts == nullptr) return fail(env, "cannot reach out or luts");

  auto job = std::make_shared<decode::BatchJob>();
  job->output = output;
  std::string problem = readTasks(table, data, output.rows, job->tasks);
  if (!problem.empty()) return fail(env, problem);

  auto* pending = new PendingBatch();
  napi_value promise = nullptr;
  napi_create_promise(env, &pending->deferred, &promise);
  napi_status status = napi_create_threadsafe_function(
      env, nullptr, nullptr, Napi::String::New(env, "cassdl-jpeg-decode"), 0, 1, nullptr,
      [](napi_env, void*, void* context) { delete static_cast<PendingBatch*>(context); }, pending,
      [](napi_env env, napi_value, void* context, void*) {
        if (env != nullptr) settle(env, static_cast<PendingBatch*>(context));
      },
      &pending->tsfn);
  if (status != napi_ok) {
    delete pending;
    return fail(env, "cannot create the thread-safe function");
  }
  pending->data = Napi::Persistent(info[0]);
  pending->out = Napi::Persistent(info[2]);
  pending->luts = Napi::Persistent(info[3]);
  pending->job = job;
  napi_threadsafe_function tsfn = pending->tsfn;
  job->done = [tsfn] { napi_call_threadsafe_function(tsfn, nullptr, napi_tsfn_blocking); };
  poolOf(env, threads).submit(std::move(job));
  return Napi::Value(env, promise);
}

}  // namespace

void defineJpegDecoder(Napi::Env env, Napi::Object exports) {
  exports.Set("decodeJpegBatch", Napi::Function::New<DecodeJpegBatch>(env, "decodeJpegBatch"));
  Napi::Object about = Napi::Object::New(env);
  about.Set("libjpegTurbo", Napi::String::New(env, CASSDL_JPEG_VERSION));
  about.Set("simd", Napi::Boolean::New(env, CASSDL_JPEG_SIMD != 0));
  exports.Set("jpegDecoder", about);
}

}  // namespace cassdl::binding
