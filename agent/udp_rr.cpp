#include "agent/udp_rr.h"

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

#include "agent/sockets.h"

namespace netbench::agent {

uint64_t MaxUdpLosses(uint64_t n) { return std::max<uint64_t>(10, n / 100); }

void PutSequence(std::span<uint8_t> msg, uint64_t seq) {
  for (size_t i = 0; i < 8 && i < msg.size(); ++i) msg[i] = static_cast<uint8_t>(seq >> (8 * i));
}

uint64_t GetSequence(std::span<const uint8_t> msg) {
  uint64_t seq = 0;
  for (size_t i = 0; i < 8 && i < msg.size(); ++i) seq |= uint64_t{msg[i]} << (8 * i);
  return seq;
}

namespace {

// Waits for the answer numbered `seq` until `deadline_ns`; older answers are dropped.
// 1: answered, 0: timed out, -1: error.
int AwaitAnswer(int fd, std::span<uint8_t> buf, uint64_t seq, uint64_t deadline_ns,
                std::string* error) {
  for (;;) {
    const ssize_t n = ::recv(fd, buf.data(), buf.size(), MSG_DONTWAIT);
    if (n >= 0) {
      if (static_cast<size_t>(n) == buf.size() && GetSequence(buf) == seq) return 1;
      continue;  // a late answer to a datagram counted lost, or a short one: not ours
    }
    if (errno == EINTR) continue;
    if (errno == ECONNREFUSED) {
      // An ICMP port unreachable from an earlier datagram: the server was not there yet.
      continue;
    }
    if (errno != EAGAIN && errno != EWOULDBLOCK) {
      *error = std::string("recv: ") + std::strerror(errno);
      return -1;
    }
    const uint64_t now = NowNs();
    if (now >= deadline_ns) return 0;
    pollfd p{fd, POLLIN, 0};
    const int ms = static_cast<int>((deadline_ns - now + 999'999) / 1'000'000);
    if (::poll(&p, 1, ms) < 0 && errno != EINTR) {
      *error = std::string("poll: ") + std::strerror(errno);
      return -1;
    }
  }
}

}  // namespace

bool RunUdpRoundTrips(int fd, std::span<uint8_t> msg, std::span<uint64_t> out, uint64_t* lost,
                      std::string* error) {
  std::vector<uint8_t> answer(msg.size());
  const uint64_t max_lost = MaxUdpLosses(out.size());
  uint64_t seq = 0;
  *lost = 0;
  for (uint64_t& sample : out) {
    for (;;) {
      PutSequence(msg, ++seq);
      const uint64_t t0 = NowNs();
      if (::send(fd, msg.data(), msg.size(), 0) != static_cast<ssize_t>(msg.size()) &&
          errno != ECONNREFUSED) {
        *error = std::string("send: ") + std::strerror(errno);
        return false;
      }
      const int r =
          AwaitAnswer(fd, answer, seq, t0 + uint64_t{kUdpAnswerTimeoutMs} * 1'000'000, error);
      if (r < 0) return false;
      if (r == 1) {
        sample = NowNs() - t0;
        break;
      }
      if (++*lost > max_lost) {
        *error = "udp_rr: " + std::to_string(*lost) + " datagrams unanswered within " +
                 std::to_string(kUdpAnswerTimeoutMs) + " ms (the run allows " +
                 std::to_string(max_lost) + "): the path drops them";
        return false;
      }
    }
  }
  return true;
}

void UdpEchoLoop(int fd) {
  std::vector<uint8_t> buf(64 * 1024);  // the largest datagram
  for (;;) {
    sockaddr_in from{};
    socklen_t len = sizeof from;
    const ssize_t n =
        ::recvfrom(fd, buf.data(), buf.size(), 0, reinterpret_cast<sockaddr*>(&from), &len);
    if (n < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if (n == 0 && len == 0) return;  // shut down
    ::sendto(fd, buf.data(), static_cast<size_t>(n), 0, reinterpret_cast<sockaddr*>(&from), len);
  }
}

}  // namespace netbench::agent
