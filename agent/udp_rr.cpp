#include "agent/udp_rr.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>
#include <vector>

#include "agent/busy_poll.h"
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

bool RunUdpRoundTrips(int fd, std::span<uint8_t> msg, std::span<uint64_t> out, bool spin,
                      uint64_t* lost, std::string* error) {
  // Blocking: a recv bounded by SO_RCVTIMEO, one send and one recv per round trip, as a
  // blocking peer does (a non-blocking recv then poll would add a syscall to every one).
  // Spinning: non-blocking receives until the answer or the timeout.
  timeval tv{kUdpAnswerTimeoutMs / 1000, (kUdpAnswerTimeoutMs % 1000) * 1000};
  if (!spin && ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) != 0) {
    *error = std::string("SO_RCVTIMEO: ") + std::strerror(errno);
    return false;
  }
  const uint64_t timeout_ns = uint64_t{kUdpAnswerTimeoutMs} * 1'000'000;
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
      bool answered = false;
      for (uint64_t budget = timeout_ns;;) {
        // Spinning, the budget is what is left of the timeout (the clock is read again only
        // after a datagram that was not this one's answer).
        const ssize_t n = spin ? SpinRecv(fd, answer.data(), answer.size(), budget)
                               : ::recv(fd, answer.data(), answer.size(), 0);
        if (n >= 0) {
          if (static_cast<size_t>(n) == answer.size() && GetSequence(answer) == seq) {
            answered = true;
            break;
          }
          // A late answer to a datagram counted lost (or a short one): not this one's.
          const uint64_t waited = NowNs() - t0;
          if (waited >= timeout_ns) break;
          budget = timeout_ns - waited;
          continue;
        }
        // ECONNREFUSED: an ICMP port unreachable for an earlier datagram (the server was not
        // there yet); EINTR: a signal. Neither is this datagram's answer.
        if (errno == EINTR || errno == ECONNREFUSED) {
          const uint64_t waited = NowNs() - t0;
          if (waited >= timeout_ns) break;
          budget = timeout_ns - waited;
          continue;
        }
        // SO_RCVTIMEO, or the spin's budget: no answer in time.
        if (errno == EAGAIN || errno == EWOULDBLOCK) break;
        *error = std::string("recv: ") + std::strerror(errno);
        return false;
      }
      if (answered) {
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

void UdpEchoLoop(int fd, bool spin) {
  std::vector<uint8_t> buf(64 * 1024);  // the largest datagram
  bool first = true;
  for (;;) {
    sockaddr_in from{};
    socklen_t len = sizeof from;
    auto* addr = reinterpret_cast<sockaddr*>(&from);
    const ssize_t n = spin ? SpinRecvFrom(fd, buf.data(), buf.size(), addr, &len, kIdleSpinNs)
                           : ::recvfrom(fd, buf.data(), buf.size(), 0, addr, &len);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (spin && errno == EAGAIN && WaitReadable(fd)) continue;  // idle: sleep until one comes
      return;
    }
    // Once a datagram came, the socket knows its NAPI id: SO_BUSY_POLL if it has one.
    if (spin && std::exchange(first, false)) EnableKernelBusyPoll(fd);
    if (n == 0 && len == 0) return;  // shut down
    ::sendto(fd, buf.data(), static_cast<size_t>(n), 0, addr, len);
  }
}

}  // namespace netbench::agent
