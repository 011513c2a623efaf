#include "js_data_plane.h"

#include <algorithm>
#include <unordered_map>

#include "addon_state.h"
#include "plan_config.h"

namespace cassdl::binding {

namespace {

Napi::Value throwType(Napi::Env env, const std::string& message) {
  Napi::Error error = Napi::TypeError::New(env, message);
  error.Set("code", Napi::String::New(env, "ERR_CASSDL_INTERNAL"));
  error.ThrowAsJavaScriptException();
  return env.Undefined();
}

Napi::Object errorObject(Napi::Env env, const io::ErrorInfo& info) {
  Napi::Object error = Napi::Object::New(env);
  error.Set("code", info.code);
  error.Set("message", info.message);
  if (!info.id.empty()) error.Set("id", info.id);
  if (info.serverCode >= 0) error.Set("serverCode", Napi::Number::New(env, info.serverCode));
  if (!info.attempts.empty()) {
    Napi::Array attempts = Napi::Array::New(env, info.attempts.size());
    for (size_t i = 0; i < info.attempts.size(); ++i) {
      Napi::Object attempt = Napi::Object::New(env);
      attempt.Set("host", info.attempts[i].first);
      attempt.Set("error", info.attempts[i].second);
      attempts.Set(static_cast<uint32_t>(i), attempt);
    }
    error.Set("attempts", attempts);
  }
  return error;
}

template <typename T>
Napi::ArrayBuffer copyBuffer(Napi::Env env, const std::vector<T>& values) {
  Napi::ArrayBuffer buffer = Napi::ArrayBuffer::New(env, values.size() * sizeof(T));
  if (!values.empty()) std::memcpy(buffer.Data(), values.data(), values.size() * sizeof(T));
  return buffer;
}

/**
 * Hands a pooled buffer to JS without copying; its finalizer returns it to
 * the pool. Falls back to a copy where external buffers are refused.
 */
Napi::Value adoptBuffer(Napi::Env env, io::OwnedBytes& bytes) {
  napi_value result = nullptr;
  // The hint carries the capacity: the finalizer returns the buffer to the pool.
  // V8 itself counts an ArrayBuffer's bytes as external memory, which paces its
  // collections (and so these returns) with the load; napi_adjust_external_memory
  // on top would count every batch twice and collect twice as often.
  napi_status status = napi_create_external_arraybuffer(
      env, bytes.data, bytes.size,
      [](napi_env, void* data, void* hint) {
        auto capacity = static_cast<size_t>(reinterpret_cast<uintptr_t>(hint));
        io::BufferPool::shared().give(static_cast<uint8_t*>(data), capacity);
      },
      reinterpret_cast<void*>(static_cast<uintptr_t>(bytes.capacity)), &result);
  if (status == napi_ok) {
    bytes.release();
    return Napi::Value(env, result);
  }
  Napi::ArrayBuffer copy = Napi::ArrayBuffer::New(env, bytes.size);
  if (bytes.size) std::memcpy(copy.Data(), bytes.data, bytes.size);
  return copy;
}

Napi::Object outputObject(Napi::Env env, io::FetchOutput& out) {
  Napi::Object rows = Napi::Object::New(env);
  rows.Set("size", Napi::Number::New(env, out.size));
  rows.Set("ids", copyBuffer(env, out.ids));
  rows.Set("data", adoptBuffer(env, out.data));
  rows.Set("dataOffsets", copyBuffer(env, out.dataOffsets));
  rows.Set("labelKind", Napi::Number::New(env, static_cast<int>(out.labelKind)));
  if (out.labelKind == io::LabelKind::kInt) rows.Set("labelValues", copyBuffer(env, out.intLabels));
  if (out.labelKind == io::LabelKind::kBlob) {
    rows.Set("labelData", adoptBuffer(env, out.labelData));
    rows.Set("labelOffsets", copyBuffer(env, out.labelOffsets));
  }
  rows.Set("missing", copyBuffer(env, out.missing));
  return rows;
}

}  // namespace

/** JS-thread state shared with queued events; outlives the JsDataPlane until the TSFN finalizes. */
struct Bridge {
  JsDataPlane* owner = nullptr;
  std::optional<Napi::Promise::Deferred> open;
  std::optional<Napi::Promise::Deferred> close;
  std::unordered_map<uint64_t, Napi::Promise::Deferred> fetches;
  Napi::FunctionReference onReprepare;
  /** Pending operations; the TSFN keeps the event loop alive only while > 0. */
  int pending = 0;
  napi_threadsafe_function tsfn = nullptr;

  void hold(napi_env env) {
    if (pending++ == 0) napi_ref_threadsafe_function(env, tsfn);
  }
  void drop(napi_env env) {
    if (--pending == 0) napi_unref_threadsafe_function(env, tsfn);
  }
};

namespace {

struct Event {
  enum class Kind { kOpened, kFetched, kReprepare, kClosed } kind;
  uint64_t ticket = 0;
  std::unique_ptr<io::FetchOutput> output;
  std::optional<io::ErrorInfo> error;
};

void settle(Napi::Env env, Napi::Promise::Deferred& deferred, const Event& event, Napi::Value value) {
  if (event.error) {
    deferred.Reject(errorObject(env, *event.error));
  } else {
    deferred.Resolve(value);
  }
}

void deliver(Napi::Env env, Napi::Function, Bridge* bridge, Event* raw) {
  std::unique_ptr<Event> event(raw);
  if (env == nullptr) return;  // the TSFN is being torn down: only free the event
  Napi::HandleScope scope(env);
  switch (event->kind) {
    case Event::Kind::kOpened:
      if (bridge->open) {
        settle(env, *bridge->open, *event, env.Undefined());
        bridge->open.reset();
        bridge->drop(env);
      }
      break;
    case Event::Kind::kFetched: {
      auto it = bridge->fetches.find(event->ticket);
      if (it == bridge->fetches.end()) break;
      settle(env, it->second, *event, event->output ? Napi::Value(outputObject(env, *event->output)) : env.Undefined());
      bridge->fetches.erase(it);
      bridge->drop(env);
      break;
    }
    case Event::Kind::kReprepare:
      if (!bridge->onReprepare.IsEmpty()) bridge->onReprepare.Call({});
      break;
    case Event::Kind::kClosed:
      // The I/O thread posts this as its last act: join it now, which also
      // closes its epoll and wake descriptors, rather than when GC gets to us.
      if (bridge->owner != nullptr) bridge->owner->joinIoThread();
      if (bridge->close) {
        bridge->close->Resolve(env.Undefined());
        bridge->close.reset();
        bridge->drop(env);
      }
      break;
  }
}

}  // namespace

Napi::Function JsDataPlane::Define(Napi::Env env) {
  return DefineClass(env, "NativeDataPlaneBinding",
                     {
                         InstanceMethod<&JsDataPlane::Open>("open"),
                         InstanceMethod<&JsDataPlane::Fetch>("fetch"),
                         InstanceMethod<&JsDataPlane::SetPreparedId>("setPreparedId"),
                         InstanceMethod<&JsDataPlane::ReprepareFailed>("reprepareFailed"),
                         InstanceMethod<&JsDataPlane::SetLimits>("setLimits"),
                         InstanceMethod<&JsDataPlane::Stats>("stats"),
                         InstanceMethod<&JsDataPlane::Close>("close"),
                     });
}

JsDataPlane::JsDataPlane(const Napi::CallbackInfo& info) : Napi::ObjectWrap<JsDataPlane>(info) {
  Napi::Env env = info.Env();
  if (info.Length() < 2 || !info[0].IsObject() || !info[1].IsFunction()) {
    throwType(env, "NativeDataPlaneBinding(config, onReprepare): expected an object and a function");
    return;
  }
  io::PlaneConfig config;
  if (auto error = readPlaneConfig(info[0].As<Napi::Object>(), config)) {
    throwType(env, *error);
    return;
  }
  bridge_ = new Bridge();
  bridge_->owner = this;
  bridge_->onReprepare = Napi::Persistent(info[1].As<Napi::Function>());
  // The raw TSFN: TypedThreadSafeFunction's wrapper needs exceptions for errors.
  napi_threadsafe_function raw = nullptr;
  napi_status status = napi_create_threadsafe_function(
      env, nullptr, nullptr, Napi::String::New(env, "cassdl-native-io"), 0, 1, nullptr,
      [](napi_env, void*, void* context) { delete static_cast<Bridge*>(context); }, bridge_,
      [](napi_env env, napi_value js, void* context, void* data) {
        deliver(Napi::Env(env), Napi::Function(env, js), static_cast<Bridge*>(context), static_cast<Event*>(data));
      },
      &raw);
  if (status != napi_ok) {
    delete bridge_;
    bridge_ = nullptr;
    throwType(env, "cannot create the thread-safe function of the native data plane");
    return;
  }
  tsfn_ = raw;
  bridge_->tsfn = raw;
  napi_unref_threadsafe_function(env, raw);  // idle planes do not keep the process alive
  plane_ = std::make_unique<io::DataPlane>(std::move(config), static_cast<io::PlaneSink&>(*this));
  // Registered after the TSFN, so it runs before the TSFN's own teardown
  // (cleanup hooks run in reverse order): the I/O thread is joined while the
  // TSFN it posts to still exists.
  napi_add_env_cleanup_hook(env, &JsDataPlane::onEnvTeardown, this);
  AddonState::of(env).planes.insert(this);
}

JsDataPlane::~JsDataPlane() {
  if (tsfn_ == nullptr) return;  // constructor failed, or env teardown already stopped us
  napi_remove_env_cleanup_hook(Env(), &JsDataPlane::onEnvTeardown, this);
  stopSilently();
  bridge_->owner = nullptr;
  napi_release_threadsafe_function(tsfn_, napi_tsfn_release);
  tsfn_ = nullptr;
}

void JsDataPlane::onEnvTeardown(void* self) {
  auto* plane = static_cast<JsDataPlane*>(self);
  plane->stopSilently();
  plane->tsfn_ = nullptr;  // Node closes it right after this hook
}

void JsDataPlane::stopSilently() {
  if (plane_) plane_->stopSilently();
  if (AddonState* state = AddonState::find(Env())) state->planes.erase(this);
}

Napi::Value JsDataPlane::Open(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (started_) return throwType(env, "open() was already called");
  started_ = true;
  auto deferred = Napi::Promise::Deferred::New(env);
  bridge_->open.emplace(deferred);
  bridge_->hold(env);
  std::string error = plane_->start();
  if (!error.empty()) {
    bool tls = error.rfind("TLS: ", 0) == 0;
    io::ErrorInfo info = tls ? io::makeError("ERR_CASSDL_TLS", error)
                             : io::makeError("ERR_CASSDL_INTERNAL", "cannot start the I/O thread: " + error);
    deferred.Reject(errorObject(env, info));
    bridge_->open.reset();
    bridge_->drop(env);
  }
  return deferred.Promise();
}

Napi::Value JsDataPlane::Fetch(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsTypedArray() ||
      info[0].As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array) {
    return throwType(env, "fetch(keys): expected a Uint8Array");
  }
  auto keys = info[0].As<Napi::Uint8Array>();
  if (keys.ElementLength() % 16 != 0) return throwType(env, "fetch(keys): length must be a multiple of 16");
  auto deferred = Napi::Promise::Deferred::New(env);
  if (closing_ || !started_) {
    deferred.Reject(errorObject(env, io::makeError("ERR_CASSDL_CLOSED", "the native data plane is closed")));
    return deferred.Promise();
  }
  uint64_t ticket = nextTicket_++;
  bridge_->fetches.emplace(ticket, deferred);
  bridge_->hold(env);
  plane_->submit(ticket, std::vector<uint8_t>(keys.Data(), keys.Data() + keys.ElementLength()));
  return deferred.Promise();
}

Napi::Value JsDataPlane::SetPreparedId(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsTypedArray() ||
      info[0].As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array) {
    return throwType(env, "setPreparedId(id): expected a Uint8Array");
  }
  auto id = info[0].As<Napi::Uint8Array>();
  plane_->setPreparedId(std::vector<uint8_t>(id.Data(), id.Data() + id.ElementLength()));
  return env.Undefined();
}

Napi::Value JsDataPlane::ReprepareFailed(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string message = info.Length() > 0 && info[0].IsString() ? info[0].As<Napi::String>().Utf8Value() : "unknown";
  plane_->reprepareFailed(std::move(message));
  return env.Undefined();
}

Napi::Value JsDataPlane::SetLimits(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsNumber()) return throwType(env, "setLimits(inflight): expected a number");
  double inflight = info[0].As<Napi::Number>().DoubleValue();
  if (!(inflight >= 1)) return throwType(env, "setLimits(inflight): expected a number >= 1");
  if (started_ && !closing_) plane_->setInflightLimit(static_cast<int>(std::min(inflight, 1e9)));
  return env.Undefined();
}

Napi::Value JsDataPlane::Stats(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const io::PlaneStats& s = plane_->stats();
  auto number = [&](double v) { return Napi::Number::New(env, v); };
  Napi::Object out = Napi::Object::New(env);
  out.Set("requests", number(static_cast<double>(s.requests.load())));
  out.Set("retries", number(static_cast<double>(s.retries.load())));
  out.Set("failures", number(static_cast<double>(s.failures.load())));
  out.Set("rows", number(static_cast<double>(s.rows.load())));
  out.Set("bytes", number(static_cast<double>(s.bytes.load())));
  out.Set("inflight", number(static_cast<double>(s.inflight.load())));
  out.Set("peakInflight", number(static_cast<double>(s.peakInflight.load())));
  out.Set("missing", number(static_cast<double>(s.missing.load())));
  Napi::Object latency = Napi::Object::New(env);
  latency.Set("p50", number(s.latency.quantileMs(0.5)));
  latency.Set("p90", number(s.latency.quantileMs(0.9)));
  latency.Set("p99", number(s.latency.quantileMs(0.99)));
  latency.Set("max", number(s.latency.maxMs()));
  out.Set("latencyMs", latency);
  Napi::Array hosts = Napi::Array::New(env, s.hostLatency.size());
  for (size_t h = 0; h < s.hostLatency.size(); ++h) {
    Napi::Object host = Napi::Object::New(env);
    host.Set("p50", number(s.hostLatency[h]->quantileMs(0.5)));
    host.Set("p99", number(s.hostLatency[h]->quantileMs(0.99)));
    hosts.Set(static_cast<uint32_t>(h), host);
  }
  out.Set("hostLatencyMs", hosts);
  return out;
}

Napi::Value JsDataPlane::Close(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto deferred = Napi::Promise::Deferred::New(env);
  if (closing_ || !started_ || !plane_->running()) {
    closing_ = true;
    deferred.Resolve(env.Undefined());
    return deferred.Promise();
  }
  closing_ = true;
  bridge_->close.emplace(deferred);
  bridge_->hold(env);
  plane_->close();
  return deferred.Promise();
}

// --- sink: I/O thread ----------------------------------------------------------

namespace {

void post(napi_threadsafe_function tsfn, Event* event) {
  if (tsfn == nullptr || napi_call_threadsafe_function(tsfn, event, napi_tsfn_nonblocking) != napi_ok) {
    delete event;  // env shutting down
  }
}

}  // namespace

void JsDataPlane::opened(std::optional<io::ErrorInfo> error) {
  post(tsfn_, new Event{Event::Kind::kOpened, 0, nullptr, std::move(error)});
}

void JsDataPlane::fetched(uint64_t ticket, std::unique_ptr<io::FetchOutput> output, std::optional<io::ErrorInfo> error) {
  post(tsfn_, new Event{Event::Kind::kFetched, ticket, std::move(output), std::move(error)});
}

void JsDataPlane::reprepareNeeded() { post(tsfn_, new Event{Event::Kind::kReprepare, 0, nullptr, std::nullopt}); }

void JsDataPlane::joinIoThread() {
  if (plane_) plane_->join();
}

void JsDataPlane::closed() { post(tsfn_, new Event{Event::Kind::kClosed, 0, nullptr, std::nullopt}); }

}  // namespace cassdl::binding
