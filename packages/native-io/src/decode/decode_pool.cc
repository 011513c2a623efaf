#include "decode_pool.h"

#include <utility>

namespace cassdl::decode {

DecodePool::DecodePool(int threads) { grow(threads); }

DecodePool::~DecodePool() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
    queue_.clear();
  }
  ready_.notify_all();
  for (auto& t : threads_) t.join();
}

void DecodePool::grow(int threads) {
  std::lock_guard<std::mutex> lock(mutex_);
  while (static_cast<int>(threads_.size()) < threads) threads_.emplace_back([this] { work(); });
}

int DecodePool::threads() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return static_cast<int>(threads_.size());
}

void DecodePool::submit(std::shared_ptr<BatchJob> job) {
  job->results.assign(job->tasks.size(), SampleResult());
  job->remaining.store(job->tasks.size());
  if (job->tasks.empty()) {
    job->done();
    return;
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    queue_.push_back(std::move(job));
  }
  ready_.notify_all();
}

void DecodePool::work() {
  SampleDecoder decoder;
  for (;;) {
    std::shared_ptr<BatchJob> job;
    size_t index = 0;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      ready_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      job = queue_.front();
      index = next_++;
      if (next_ == job->tasks.size()) {
        queue_.pop_front();
        next_ = 0;
      }
    }
    job->results[index] = decoder.run(job->tasks[index], job->output);
    if (job->remaining.fetch_sub(1) == 1) job->done();
  }
}

}  // namespace cassdl::decode
