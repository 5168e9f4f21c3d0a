#include "agent/sockets.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>

namespace netbench::agent {

uint64_t NowNs() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1'000'000'000ULL + static_cast<uint64_t>(ts.tv_nsec);
}

static std::string Errno(const char* what) {
  return std::string(what) + ": " + std::strerror(errno);
}

// ipv4 (host byte order; INADDR_ANY for every address) and port, as the socket calls take it.
static sockaddr_in Ipv4(uint32_t ipv4, uint16_t port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(ipv4);
  return a;
}

Fd ListenTcp(uint16_t port, std::string* error) {
  Fd s(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!s.valid()) {
    *error = Errno("socket");
    return {};
  }
  int one = 1;
  ::setsockopt(s.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  const sockaddr_in a = Ipv4(INADDR_ANY, port);
  if (::bind(s.get(), reinterpret_cast<const sockaddr*>(&a), sizeof a) != 0) {
    *error = Errno("bind");
    return {};
  }
  if (::listen(s.get(), 16) != 0) {
    *error = Errno("listen");
    return {};
  }
  return s;
}

// A UDP socket bound (to every address) or connected to ipv4:port.
static Fd UdpSocket(uint32_t ipv4, uint16_t port, bool connect, std::string* error) {
  Fd s(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  if (!s.valid()) {
    *error = Errno("socket");
    return {};
  }
  const sockaddr_in a = Ipv4(ipv4, port);
  const auto* sa = reinterpret_cast<const sockaddr*>(&a);
  if ((connect ? ::connect(s.get(), sa, sizeof a) : ::bind(s.get(), sa, sizeof a)) != 0) {
    *error = Errno(connect ? "connect" : "bind");
    return {};
  }
  return s;
}

Fd BindUdp(uint16_t port, std::string* error) { return UdpSocket(INADDR_ANY, port, false, error); }

Fd ConnectUdp(uint32_t ipv4, uint16_t port, std::string* error) {
  return UdpSocket(ipv4, port, true, error);
}

Fd ConnectTcp(uint32_t ipv4, uint16_t port, int timeout_ms, std::string* error) {
  Fd s(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
  if (!s.valid()) {
    *error = Errno("socket");
    return {};
  }
  const sockaddr_in a = Ipv4(ipv4, port);
  int rc = ::connect(s.get(), reinterpret_cast<const sockaddr*>(&a), sizeof a);
  if (rc != 0 && errno != EINPROGRESS) {
    *error = Errno("connect");
    return {};
  }
  if (rc != 0) {
    pollfd p{s.get(), POLLOUT, 0};
    int pr;
    do pr = ::poll(&p, 1, timeout_ms);
    while (pr < 0 && errno == EINTR);
    if (pr <= 0) {
      *error = "connect: timed out";
      return {};
    }
    int err = 0;
    socklen_t len = sizeof err;
    ::getsockopt(s.get(), SOL_SOCKET, SO_ERROR, &err, &len);
    if (err != 0) {
      *error = std::string("connect: ") + std::strerror(err);
      return {};
    }
  }
  int flags = ::fcntl(s.get(), F_GETFL);
  ::fcntl(s.get(), F_SETFL, flags & ~O_NONBLOCK);  // the data path is blocking
  return s;
}

void SetIoTimeout(int fd, int seconds) {
  timeval tv{seconds, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

void SetNoDelay(int fd) {
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

void EndPingPong(int fd) {
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_QUICKACK, &one, sizeof one);
}

bool SendAll(int fd, const void* buf, size_t len, std::string* error) {
  const char* p = static_cast<const char*>(buf);
  while (len > 0) {
    ssize_t n = ::send(fd, p, len, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      *error = Errno("send");
      return false;
    }
    p += n;
    len -= static_cast<size_t>(n);
  }
  return true;
}

bool RecvAll(int fd, void* buf, size_t len, std::string* error) {
  char* p = static_cast<char*>(buf);
  while (len > 0) {
    ssize_t n = ::recv(fd, p, len, MSG_WAITALL);
    if (n < 0) {
      if (errno == EINTR) continue;
      *error = Errno("recv");
      return false;
    }
    if (n == 0) {
      *error = "peer closed the connection";
      return false;
    }
    p += n;
    len -= static_cast<size_t>(n);
  }
  return true;
}

uint64_t TcpTotalRetrans(int fd) {
  tcp_info info{};
  socklen_t len = sizeof info;
  if (::getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &len) != 0) return 0;
  return info.tcpi_total_retrans;
}

}  // namespace netbench::agent
