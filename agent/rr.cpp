#include "agent/rr.h"

#include <cerrno>
#include <utility>
#include <vector>

#include "agent/busy_poll.h"
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

bool RunRoundTripsSpinning(int fd, std::span<uint8_t> msg, std::span<uint64_t> out,
                           std::string* error) {
  constexpr uint64_t kAnswerTimeoutNs = 30'000'000'000;  // as the blocking loop's SO_RCVTIMEO
  for (uint64_t& sample : out) {
    const uint64_t t0 = NowNs();
    if (!SendAll(fd, msg.data(), msg.size(), error)) return false;
    if (!SpinRecvAll(fd, msg.data(), msg.size(), kAnswerTimeoutNs, error)) return false;
    sample = NowNs() - t0;
  }
  return true;
}

void SpinningEchoLoop(int fd, uint32_t msg_size) {
  std::vector<uint8_t> buf(msg_size);
  std::string error;
  bool first = true;
  for (;;) {
    for (size_t got = 0; got < buf.size();) {
      const ssize_t n = SpinRecv(fd, buf.data() + got, buf.size() - got, kIdleSpinNs);
      if (n > 0) {
        got += static_cast<size_t>(n);
        // Once, when the socket has seen a packet and so knows its NAPI id (never per message:
        // a syscall the blocking echo does not make).
        if (std::exchange(first, false)) EnableKernelBusyPoll(fd);
      } else if (n == 0 || errno != EAGAIN || !WaitReadable(fd)) {
        return;  // closed, an error, or shut down
      }
    }
    if (!SendAll(fd, buf.data(), buf.size(), &error)) return;
  }
}

void EchoLoop(int fd, uint32_t msg_size) {
  std::vector<uint8_t> buf(msg_size);
  std::string error;
  while (RecvAll(fd, buf.data(), buf.size(), &error) &&
         SendAll(fd, buf.data(), buf.size(), &error)) {
  }
}

}  // namespace netbench::agent
