#include "agent/busy_poll.h"

#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

#include "agent/sockets.h"

namespace netbench::agent {
namespace {

// The clock is read every kSpinsPerClockRead empty receives (each a syscall of a few hundred
// ns), so the spin notices data as soon as a bare loop would, and its bound is late by a few us.
constexpr unsigned kSpinsPerClockRead = 16;

template <class Recv>
ssize_t Spin(Recv recv, uint64_t spin_ns) {
  uint64_t start = 0;
  for (unsigned spins = 0;; ++spins) {
    const ssize_t n = recv();
    if (n >= 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) return n;
    if (spins % kSpinsPerClockRead != 0) continue;
    const uint64_t now = NowNs();
    if (start == 0) start = now;
    if (now - start >= spin_ns) {
      errno = EAGAIN;
      return -1;
    }
  }
}

}  // namespace

ssize_t SpinRecv(int fd, void* buf, size_t len, uint64_t spin_ns) {
  return Spin([&] { return ::recv(fd, buf, len, MSG_DONTWAIT); }, spin_ns);
}

ssize_t SpinRecvFrom(int fd, void* buf, size_t len, sockaddr* from, socklen_t* from_len,
                     uint64_t spin_ns) {
  // recvfrom sets *from_len on success only, so one length serves every try.
  return Spin([&] { return ::recvfrom(fd, buf, len, MSG_DONTWAIT, from, from_len); }, spin_ns);
}

bool SpinRecvAll(int fd, void* buf, size_t len, uint64_t timeout_ns, std::string* error) {
  char* p = static_cast<char*>(buf);
  // The clock is read only when a message came in parts: a whole one (the usual case) costs
  // the receive calls alone, as a spinning peer's does.
  uint64_t deadline = 0;
  for (uint64_t budget = timeout_ns; len > 0;) {
    const ssize_t n = SpinRecv(fd, p, len, budget);
    if (n > 0 && static_cast<size_t>(n) < len) {
      const uint64_t now = NowNs();
      if (deadline == 0) deadline = now + timeout_ns;
      budget = now < deadline ? deadline - now : 0;
    }
    if (n > 0) {
      p += n;
      len -= static_cast<size_t>(n);
      continue;
    }
    *error = n == 0            ? std::string("peer closed the connection")
             : errno == EAGAIN ? std::string("recv: no answer in time")
                               : std::string("recv: ") + std::strerror(errno);
    return false;
  }
  return true;
}

bool WaitReadable(int fd) {
  for (;;) {
    pollfd p{fd, POLLIN | POLLRDHUP, 0};
    const int r = ::poll(&p, 1, -1);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) return false;
    // A shut-down socket reports RDHUP (a UDP socket's recv would go on saying EAGAIN).
    return (p.revents & (POLLRDHUP | POLLHUP | POLLERR | POLLNVAL)) == 0;
  }
}

uint32_t IncomingNapiId(int fd) {
  unsigned id = 0;
  socklen_t len = sizeof id;
  if (::getsockopt(fd, SOL_SOCKET, SO_INCOMING_NAPI_ID, &id, &len) != 0) return 0;
  return id;
}

uint32_t EnableKernelBusyPoll(int fd) {
  // Without a NAPI id the kernel has nothing to poll, whatever the socket's SO_BUSY_POLL (its
  // default is net.core.busy_read, which a tuned host may have raised).
  if (IncomingNapiId(fd) == 0) return 0;
  int us = 0;
  socklen_t len = sizeof us;
  if (::getsockopt(fd, SOL_SOCKET, SO_BUSY_POLL, &us, &len) == 0 && us > 0)
    return static_cast<uint32_t>(us);
  // Raising it above net.core.busy_read needs CAP_NET_ADMIN: refused, the loop spins alone.
  us = static_cast<int>(kBusyPollUs);
  return ::setsockopt(fd, SOL_SOCKET, SO_BUSY_POLL, &us, sizeof us) == 0 ? kBusyPollUs : 0;
}

}  // namespace netbench::agent
