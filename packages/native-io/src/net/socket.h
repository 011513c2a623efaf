// Non-blocking TCP sockets to numeric addresses (the plan's hosts are IPs).
#pragma once

#include <cstdint>
#include <string>

namespace cassdl::net {

struct SocketResult {
  int fd = -1;
  /** Empty on success (connect may still be in progress). */
  std::string error;
};

/** Opens a non-blocking socket and starts connecting; completion is signalled by writability. */
SocketResult startConnect(const std::string& address, uint16_t port);

/** The pending error of a socket whose non-blocking connect finished; empty when connected. */
std::string connectError(int fd);

std::string errnoText(int error);

}  // namespace cassdl::net
