#include "agent/rr.h"

#include <vector>

#include "agent/sockets.h"

namespace netbench::agent {

bool RunRoundTrips(int fd, std::span<uint8_t> msg, std::span<uint64_t> out, std::string* error) {
  for (uint64_t& sample : out) {
    const uint64_t t0 = NowNs();
    if (!SendAll(fd, msg.data(), msg.size(), error)) return false;
    if (!RecvAll(fd, msg.data(), msg.size(), error)) return false;
    sample = NowNs() - t0;
  }
  return true;
}

void EchoLoop(int fd, uint32_t msg_size) {
  std::vector<uint8_t> buf(msg_size);
  std::string error;
  while (RecvAll(fd, buf.data(), buf.size(), &error) &&
         SendAll(fd, buf.data(), buf.size(), &error)) {
  }
}

}  // namespace netbench::agent
