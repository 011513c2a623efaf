#include "event_loop.h"

#include <algorithm>
#include <chrono>
#include <climits>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "../net/socket.h"

namespace cassdl::io {

namespace {

/** The wake fd's epoll tag: no socket has this address. */
char wakeTag;

}  // namespace

uint64_t nowMicros() {
  return static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now().time_since_epoch())
          .count());
}

EventLoop::~EventLoop() { join(); }

std::string EventLoop::open() {
  epollFd_ = epoll_create1(EPOLL_CLOEXEC);
  wakeFd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (epollFd_ < 0 || wakeFd_ < 0) return "epoll/eventfd: " + net::errnoText(errno);
  epoll_event event{};
  event.events = EPOLLIN;
  event.data.ptr = &wakeTag;
  epoll_ctl(epollFd_, EPOLL_CTL_ADD, wakeFd_, &event);
  return "";
}

void EventLoop::start(Handler& handler) {
  thread_ = std::thread([this, &handler] { run(handler); });
}

void EventLoop::post(Command command) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    commands_.push_back(std::move(command));
  }
  uint64_t one = 1;
  ssize_t ignored = ::write(wakeFd_, &one, sizeof one);
  (void)ignored;
}

void EventLoop::stop() {
  if (running()) post([this] { stopping_ = true; });
}

void EventLoop::join() {
  if (thread_.joinable()) thread_.join();
  if (epollFd_ >= 0) ::close(epollFd_);
  if (wakeFd_ >= 0) ::close(wakeFd_);
  epollFd_ = wakeFd_ = -1;
}

void EventLoop::run(Handler& handler) {
  nowUs_ = nowMicros();
  handler.onStart();
  epoll_event events[64];
  while (!stopping_) {
    int n = epoll_wait(epollFd_, events, 64, static_cast<int>(std::min<uint64_t>(handler.waitMs(), INT_MAX)));
    nowUs_ = nowMicros();
    for (int i = 0; i < n && !stopping_; ++i) {
      if (events[i].data.ptr == &wakeTag) {
        uint64_t value = 0;
        ssize_t ignored = ::read(wakeFd_, &value, sizeof value);
        (void)ignored;
        drainCommands();
      } else {
        handler.onEvents(events[i].data.ptr, events[i].events);
      }
    }
    if (!stopping_) handler.onTick();
  }
  handler.onStop();
}

void EventLoop::drainCommands() {
  std::vector<Command> commands;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    commands.swap(commands_);
  }
  for (Command& command : commands) {
    command();
    if (stopping_) return;  // what was posted after stop() is dropped
  }
}

}  // namespace cassdl::io
