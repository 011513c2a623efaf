// A few threads that decode batches of images, each with its own
// SampleDecoder. A batch is split per image: threads take the next image of
// the oldest batch, so two batches in flight finish in order and a slow
// image never holds back the others. Whichever thread finishes a batch's
// last image calls its `done`.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "sample_decoder.h"

namespace cassdl::decode {

/** One batch: its images, where they go, and each image's result. */
struct BatchJob {
  std::vector<SampleTask> tasks;
  BatchOutput output;
  std::vector<SampleResult> results;  // one per task, filled by the pool
  /** Called once, on a pool thread, after every task ran. */
  std::function<void()> done;

  std::atomic<size_t> remaining{0};
};

class DecodePool {
 public:
  explicit DecodePool(int threads);
  /** Drops batches not started, finishes the images being decoded, joins the threads. */
  ~DecodePool();
  DecodePool(const DecodePool&) = delete;
  DecodePool& operator=(const DecodePool&) = delete;

  /** Adds threads up to `threads` (never fewer). */
  void grow(int threads);
  int threads() const;

  /** Queues a batch; `done` runs when its last image is written (at once, on this thread, if it has none). */
  void submit(std::shared_ptr<BatchJob> job);

 private:
  void work();

  mutable std::mutex mutex_;
  std::condition_variable ready_;
  /** Batches with images not yet taken, oldest first, and the next image of the front one. */
  std::deque<std::shared_ptr<BatchJob>> queue_;
  size_t next_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace cassdl::decode
