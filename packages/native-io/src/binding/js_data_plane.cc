#include "js_data_plane.h"

#include <algorithm>
#include <cstring>
#include <optional>
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
  if (!info.reason.empty()) error.Set("reason", info.reason);
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

/**
 * An ArrayBuffer over a whole block, without copying; it holds a reference
 * to the block, dropped by its finalizer, so the memory outlives every view
 * of it. Falls back to a copy where external buffers are refused.
 */
Napi::ArrayBuffer blockBuffer(Napi::Env env, const std::shared_ptr<io::Block>& block,
                              std::shared_ptr<io::Block>** holdOut = nullptr) {
  napi_value result = nullptr;
  auto* hold = new std::shared_ptr<io::Block>(block);
  napi_status status = napi_create_external_arraybuffer(
      env, block->data(), block->capacity(),
      [](napi_env, void*, void* hint) { delete static_cast<std::shared_ptr<io::Block>*>(hint); }, hold, &result);
  if (status == napi_ok) {
    if (holdOut != nullptr) *holdOut = hold;
    return Napi::ArrayBuffer(env, result);
  }
  if (status == napi_no_external_buffers_allowed) {  // a V8 sandbox: refused before taking the finalizer
    delete hold;
    Napi::ArrayBuffer copy = Napi::ArrayBuffer::New(env, block->capacity());
    std::memcpy(copy.Data(), block->data(), block->capacity());
    return copy;
  }
  // Any other refusal: a block over buffer.constants.MAX_LENGTH fails inside node::Buffer::New
  // (napi_generic_failure) after Node took the finalizer and ran or queued it, which deletes
  // `hold`; deleting it here too was a double free (a segfault). napi_pending_exception may come
  // before or after Node took it, so `hold` is left alone: a leak on a path the arena's size cap
  // keeps us off, never a double free.
  if (!env.IsExceptionPending()) {
    Napi::Error::New(env, "cassdl native-io: cannot expose a " + std::to_string(block->capacity()) +
                              "-byte block to JavaScript (napi status " + std::to_string(status) + ")")
        .ThrowAsJavaScriptException();
  }
  return Napi::ArrayBuffer();
}

}  // namespace

/** JS-thread state shared with queued events; outlives the JsDataPlane until the TSFN finalizes. */
struct Bridge {
  JsDataPlane* owner = nullptr;
  std::optional<Napi::Promise::Deferred> open;
  std::optional<Napi::Promise::Deferred> close;
  std::unordered_map<uint64_t, Napi::Promise::Deferred> fetches;
  /**
   * Per ring slot, the ArrayBuffer made over each of its blocks (data,
   * meta, labels): made once per block, so a recycled slot costs V8 no new
   * external memory. With `checkRecycled`, each lending gets buffers of its
   * own instead (`lent`), detached when the slot is recycled, so a view
   * kept past recycling reads as empty rather than as another batch's rows.
   */
  struct SlotBuffers {
    io::Block* blocks[3] = {nullptr, nullptr, nullptr};
    Napi::Reference<Napi::ArrayBuffer> buffers[3];
    /** The block reference each external buffer holds (its finalizer deletes it; valid while `buffers` holds the buffer). */
    std::shared_ptr<io::Block>* holds[3] = {nullptr, nullptr, nullptr};
    std::vector<Napi::Reference<Napi::ArrayBuffer>> lent;

    /**
     * Lets go of block `which` now, not at the next garbage collection: the
     * buffer is detached (a view kept past recycling reads as empty) and its
     * reference to the block dropped, so a block the ring replaced or
     * dropped is unmapped at once. Without it the memory of dropped slots
     * stayed mapped until V8 collected their buffers, which it has no reason
     * to do soon (they are small objects), and RSS grew past the budget.
     */
    void release(napi_env env, int which) {
      if (holds[which] != nullptr && !buffers[which].IsEmpty()) {
        napi_detach_arraybuffer(env, buffers[which].Value());
        holds[which]->reset();
      }
      buffers[which].Reset();
      blocks[which] = nullptr;
      holds[which] = nullptr;
    }
  };
  std::vector<SlotBuffers> slots;
  /** The one ArrayBuffer over the ring's arena, which every ring slot's data lies in (made again only with the arena). */
  const io::Block* arena = nullptr;
  Napi::Reference<Napi::ArrayBuffer> arenaBuffer;
  std::shared_ptr<io::Block>* arenaHold = nullptr;

  /** Lets go of the arena's buffer now (detached: views read as empty), so a closed plane's arena is unmapped at once. */
  void releaseArena(napi_env env) {
    if (arenaHold != nullptr && !arenaBuffer.IsEmpty()) {
      napi_detach_arraybuffer(env, arenaBuffer.Value());
      arenaHold->reset();
    }
    arenaBuffer.Reset();
    arena = nullptr;
    arenaHold = nullptr;
  }
  bool checkRecycled = false;
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

/** The buffer JS reads block `which` of a finished fetch through; `at`: where the block starts in it. */
Napi::ArrayBuffer bufferOf(Napi::Env env, Bridge& bridge, const io::FetchOutput& out, int which,
                           const std::shared_ptr<io::Block>& block, size_t& at) {
  at = 0;
  if (!out.leased) return blockBuffer(env, block);  // handed over for good: the GC frees it
  if (bridge.slots.size() <= out.slot) bridge.slots.resize(out.slot + 1);
  Bridge::SlotBuffers& slot = bridge.slots[out.slot];
  if (bridge.checkRecycled) {
    Napi::ArrayBuffer buffer = blockBuffer(env, block);
    slot.lent.push_back(Napi::Persistent(buffer));
    return buffer;
  }
  if (block->parent()) {
    // A stretch of the ring's arena: one buffer serves every slot, so V8 sees
    // the arena's external memory once, not a new buffer per slot warming up.
    if (bridge.arena != block->root() || bridge.arenaBuffer.IsEmpty()) {
      // The old arena's buffer is left to the GC: batches lent from it may still be read.
      bridge.arenaHold = nullptr;
      bridge.arenaBuffer = Napi::Persistent(blockBuffer(env, block->parent(), &bridge.arenaHold));
      bridge.arena = block->root();
    }
    at = block->offsetInRoot();
    return bridge.arenaBuffer.Value();
  }
  if (slot.blocks[which] != block.get() || slot.buffers[which].IsEmpty()) {
    // The slot's previous batch was recycled before it was lent again: nothing reads the old block.
    slot.release(env, which);
    slot.buffers[which] = Napi::Persistent(blockBuffer(env, block, &slot.holds[which]));
    slot.blocks[which] = block.get();
  }
  return slot.buffers[which].Value();
}

/** The raw fetched rows: the slot's buffers and where each array lies in them (src/load.ts RawFetchedRows). */
Napi::Object outputObject(Napi::Env env, Bridge& bridge, io::FetchOutput& out) {
  Napi::Object rows = Napi::Object::New(env);
  auto number = [&](double v) { return Napi::Number::New(env, v); };
  rows.Set("size", number(out.size));
  rows.Set("leased", Napi::Boolean::New(env, out.leased));
  rows.Set("slot", number(out.slot));
  rows.Set("generation", number(out.generation));
  size_t at = 0;
  rows.Set("data", bufferOf(env, bridge, out, 0, out.data, at));
  rows.Set("dataAt", number(static_cast<double>(at)));
  rows.Set("dataBytes", number(static_cast<double>(out.dataBytes)));
  // Meta and label blocks are mappings of their own (small, or rare): at 0.
  rows.Set("meta", bufferOf(env, bridge, out, 1, out.meta, at));
  rows.Set("idsAt", number(static_cast<double>(out.idsAt)));
  rows.Set("offsetsAt", number(static_cast<double>(out.offsetsAt)));
  rows.Set("labelKind", number(static_cast<int>(out.labelKind)));
  rows.Set("labelsAt", number(static_cast<double>(out.labelsAt)));
  if (out.labelKind == io::LabelKind::kBlob) {
    rows.Set("labelData", bufferOf(env, bridge, out, 2, out.labels, at));
    rows.Set("labelBytes", number(static_cast<double>(out.labelBytes)));
  }
  rows.Set("missingAt", number(static_cast<double>(out.missingAt)));
  rows.Set("missingCount", number(out.missingCount));
  return rows;
}

struct Event {
  enum class Kind { kOpened, kFetched, kClosed } kind;
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

/** A fetched batch no JS code will read (its fetch was dropped, or could not be shown): its slot goes home. */
void recycleUndelivered(Napi::Env env, Bridge& bridge, const Event& event) {
  if (event.output && event.output->leased && bridge.owner != nullptr) {
    bridge.owner->recycleSlot(env, event.output->slot, event.output->generation);
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
      if (it == bridge->fetches.end()) {
        recycleUndelivered(env, *bridge, *event);
        break;
      }
      Napi::Value rows = event->output ? Napi::Value(outputObject(env, *bridge, *event->output)) : env.Undefined();
      if (env.IsExceptionPending()) {
        // The batch could not be shown to JS: its fetch fails with why, and the slot goes home.
        it->second.Reject(env.GetAndClearPendingException().Value());
        recycleUndelivered(env, *bridge, *event);
      } else {
        settle(env, it->second, *event, rows);
      }
      bridge->fetches.erase(it);
      bridge->drop(env);
      break;
    }
    case Event::Kind::kClosed:
      // The I/O thread posts this as its last act: join it now, which also
      // closes its epoll and wake descriptors, rather than when GC gets to us.
      if (bridge->owner != nullptr) {
        bridge->owner->joinIoThread();
        bridge->owner->releaseMemory(env);
      }
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
                         InstanceMethod<&JsDataPlane::SetLimits>("setLimits"),
                         InstanceMethod<&JsDataPlane::Stats>("stats"),
                         InstanceMethod<&JsDataPlane::Recycle>("recycle"),
                         InstanceMethod<&JsDataPlane::SetBatchSlots>("setBatchSlots"),
                         InstanceMethod<&JsDataPlane::Close>("close"),
                     });
}

JsDataPlane::JsDataPlane(const Napi::CallbackInfo& info) : Napi::ObjectWrap<JsDataPlane>(info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsObject()) {
    throwType(env, "NativeDataPlaneBinding(config): expected an object");
    return;
  }
  io::PlaneConfig config;
  if (auto error = readPlaneConfig(info[0].As<Napi::Object>(), config)) {
    throwType(env, *error);
    return;
  }
  bridge_ = new Bridge();
  bridge_->owner = this;
  Napi::Value check = info[0].As<Napi::Object>().Get("checkRecycled");
  bridge_->checkRecycled = check.IsBoolean() && check.As<Napi::Boolean>().Value();
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
  bool leased = info.Length() > 1 && info[1].IsBoolean() && info[1].As<Napi::Boolean>().Value();
  // The oooGroup, an integer (a double in JS; within the int64 range it names one group exactly).
  std::optional<int64_t> group;
  if (info.Length() > 2 && info[2].IsNumber()) {
    double value = info[2].As<Napi::Number>().DoubleValue();
    if (!(value >= -9.0e15 && value <= 9.0e15) || value != static_cast<double>(static_cast<int64_t>(value))) {
      return throwType(env, "fetch(keys, leased, group): group must be a safe integer");
    }
    group = static_cast<int64_t>(value);
  }
  auto deferred = Napi::Promise::Deferred::New(env);
  if (closing_ || !started_) {
    deferred.Reject(errorObject(env, io::makeError("ERR_CASSDL_CLOSED", "the native data plane is closed")));
    return deferred.Promise();
  }
  uint64_t ticket = nextTicket_++;
  bridge_->fetches.emplace(ticket, deferred);
  bridge_->hold(env);
  plane_->submit(ticket, std::vector<uint8_t>(keys.Data(), keys.Data() + keys.ElementLength()), leased, group);
  return deferred.Promise();
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
  out.Set("placedBytes", number(static_cast<double>(s.placedBytes.load())));
  out.Set("receivedBytes", number(static_cast<double>(s.receivedBytes.load())));
  io::RingStats ring = plane_->ring().stats();
  Napi::Object batches = Napi::Object::New(env);
  batches.Set("slots", number(static_cast<double>(ring.slots)));
  batches.Set("ringSize", number(static_cast<double>(plane_->ring().size())));
  batches.Set("lent", number(static_cast<double>(ring.busy)));
  batches.Set("overflows", number(static_cast<double>(ring.overflows)));
  batches.Set("mappedBytes", number(static_cast<double>(ring.bytes)));
  batches.Set("arenaBytes", number(static_cast<double>(plane_->arenaBytes())));
  out.Set("batchRing", batches);
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
    host.Set("count", number(static_cast<double>(s.hostLatency[h]->count())));
    host.Set("sumMs", number(s.hostLatency[h]->sumMs()));
    hosts.Set(static_cast<uint32_t>(h), host);
  }
  out.Set("hostLatencyMs", hosts);
  return out;
}

bool JsDataPlane::recycleSlot(Napi::Env env, uint32_t slot, uint32_t generation) {
  if (bridge_ != nullptr && slot < bridge_->slots.size()) {
    for (auto& lent : bridge_->slots[slot].lent) napi_detach_arraybuffer(env, lent.Value());
    bridge_->slots[slot].lent.clear();
  }
  if (!plane_ || !plane_->ring().recycle(slot, generation)) return false;
  // An overflow slot (beyond the ring's size) dropped its memory: let go of ours too.
  if (slot >= plane_->ring().size()) releaseSlotBuffers(env, slot);
  // Closed, and the last lent batch is back: the arena can go.
  if (closing_ && plane_->ring().size() == 0 && plane_->ring().stats().busy == 0 && bridge_ != nullptr)
    bridge_->releaseArena(env);
  return true;
}

void JsDataPlane::releaseSlotBuffers(napi_env env, uint32_t slot) {
  if (bridge_ == nullptr || slot >= bridge_->slots.size()) return;
  for (int which = 0; which < 3; ++which) bridge_->slots[slot].release(env, which);
}

Napi::Value JsDataPlane::Recycle(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 2 || !info[0].IsNumber() || !info[1].IsNumber()) {
    return throwType(env, "recycle(slot, generation): expected two numbers");
  }
  uint32_t slot = info[0].As<Napi::Number>().Uint32Value();
  uint32_t generation = info[1].As<Napi::Number>().Uint32Value();
  return Napi::Boolean::New(env, recycleSlot(env, slot, generation));
}

Napi::Value JsDataPlane::SetBatchSlots(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsNumber() || info[0].As<Napi::Number>().DoubleValue() < 1) {
    return throwType(env, "setBatchSlots(n): expected a number >= 1");
  }
  std::vector<uint32_t> dropped = plane_->ring().setSize(static_cast<size_t>(info[0].As<Napi::Number>().DoubleValue()));
  for (uint32_t slot : dropped) releaseSlotBuffers(env, slot);
  return env.Undefined();
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


void JsDataPlane::joinIoThread() {
  if (plane_) plane_->join();
}

void JsDataPlane::releaseMemory(napi_env env) {
  if (!plane_) return;
  for (uint32_t slot : plane_->releaseMemory()) releaseSlotBuffers(env, slot);
  // Every ring slot's data lies in the arena: its buffer goes once no batch is lent.
  if (bridge_ != nullptr && plane_->ring().stats().busy == 0) bridge_->releaseArena(env);
}

void JsDataPlane::closed() { post(tsfn_, new Event{Event::Kind::kClosed, 0, nullptr, std::nullopt}); }

}  // namespace cassdl::binding
