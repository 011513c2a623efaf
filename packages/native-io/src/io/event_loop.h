// The data plane's thread: one epoll set for its sockets, an eventfd that
// wakes it, and a queue of commands other threads post to it. Everything the
// handler does runs on this thread, so the plane's state needs no locks;
// only the command queue is shared.
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace cassdl::io {

class EventLoop {
 public:
  /** What the loop drives; every call on the loop's thread. */
  class Handler {
   public:
    virtual ~Handler() = default;
    virtual void onStart() = 0;
    /** epoll reported `events` for an fd registered with `tag` as its data.ptr. */
    virtual void onEvents(void* tag, uint32_t events) = 0;
    /** After each wake (events, commands or the wait running out): deadlines and deferred work. */
    virtual void onTick() = 0;
    /** The longest the loop may sleep before the next onTick, in ms. */
    virtual uint64_t waitMs() const = 0;
    /** The loop stopped (stop()); the last call. */
    virtual void onStop() = 0;
  };
  using Command = std::function<void()>;

  EventLoop() = default;
  ~EventLoop();
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  /** Creates the epoll set and the wake fd; empty string on success. */
  std::string open();
  /** Where the handler's sockets register (EPOLL_CTL_ADD with their tag). */
  int epollFd() const { return epollFd_; }
  /** Starts the thread. */
  void start(Handler& handler);
  /** Runs `command` on the loop's thread, in posting order; any thread. */
  void post(Command command);
  /** Any thread: the loop stops once the commands posted before this one ran; later ones never run. */
  void stop();
  /** Joins the thread after stop(); idempotent. Closes the fds. */
  void join();
  bool running() const { return thread_.joinable(); }
  /** When the loop last woke (µs, monotonic): one time for everything handled in that wake. Loop thread. */
  uint64_t nowUs() const { return nowUs_; }

 private:
  void run(Handler& handler);
  void drainCommands();

  int epollFd_ = -1;
  int wakeFd_ = -1;
  std::thread thread_;
  std::mutex mutex_;
  std::vector<Command> commands_;
  uint64_t nowUs_ = 0;
  /** Set on the loop's thread by the stop command. */
  bool stopping_ = false;
};

/** Microseconds of the monotonic clock. */
uint64_t nowMicros();

}  // namespace cassdl::io
