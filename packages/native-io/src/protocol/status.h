// Outcome of decoding untrusted bytes: either fine or a sentence saying what
// was malformed. The parsers never throw (the addon builds without C++
// exceptions) and never read past the buffer they were given.
#pragma once

#include <string>
#include <utility>

namespace cassdl::protocol {

class Status {
 public:
  static Status Ok() { return Status(); }
  static Status Malformed(std::string what) { return Status(std::move(what)); }

  bool ok() const { return ok_; }
  const std::string& message() const { return message_; }

 private:
  Status() = default;
  explicit Status(std::string message) : ok_(false), message_(std::move(message)) {}

  bool ok_ = true;
  std::string message_;
};

}  // namespace cassdl::protocol
