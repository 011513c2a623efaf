// The JS-visible class over io::DataPlane. Results travel from the I/O
// thread to JS through one ThreadSafeFunction, one call per finished fetch
// (never per row); promises are settled on the JS thread with plain error
// objects that src/errors.ts turns into NativeIoError.
#pragma once

#include <napi.h>

#include <memory>

#include "../io/data_plane.h"

namespace cassdl::binding {

struct Bridge;

class JsDataPlane final : public Napi::ObjectWrap<JsDataPlane>, private io::PlaneSink {
 public:
  static Napi::Function Define(Napi::Env env);

  explicit JsDataPlane(const Napi::CallbackInfo& info);
  ~JsDataPlane() override;

  /** Stops the I/O thread without calling back into JS (env teardown). */
  void stopSilently();

  /** Joins the I/O thread after it reported closed, releasing its descriptors (JS thread). */
  void joinIoThread();

  /** Gives a lent ring slot back (JS thread); false when it is not lent at that generation. */
  bool recycleSlot(Napi::Env env, uint32_t slot, uint32_t generation);
  /** After the I/O thread joined: frees the ring's free arenas and spare chunks, with their JS buffers (JS thread). */
  void releaseMemory(napi_env env);
  /** Drops the JS buffers over a slot whose memory the ring dropped (JS thread). */
  void releaseSlotBuffers(napi_env env, uint32_t slot);

 private:
  static void onEnvTeardown(void* self);
  Napi::Value Open(const Napi::CallbackInfo& info);
  Napi::Value Fetch(const Napi::CallbackInfo& info);
  Napi::Value SetLimits(const Napi::CallbackInfo& info);
  Napi::Value Stats(const Napi::CallbackInfo& info);
  Napi::Value Recycle(const Napi::CallbackInfo& info);
  Napi::Value SetBatchSlots(const Napi::CallbackInfo& info);
  Napi::Value Close(const Napi::CallbackInfo& info);

  void opened(std::optional<io::ErrorInfo> error) override;
  void fetched(uint64_t ticket, std::unique_ptr<io::FetchOutput> output, std::optional<io::ErrorInfo> error) override;
  void closed() override;

  std::unique_ptr<io::DataPlane> plane_;
  napi_threadsafe_function tsfn_ = nullptr;
  Bridge* bridge_ = nullptr;  // owned by tsfn_ (deleted by its finalizer)
  uint64_t nextTicket_ = 1;
  bool started_ = false;
  bool closing_ = false;
};

}  // namespace cassdl::binding
