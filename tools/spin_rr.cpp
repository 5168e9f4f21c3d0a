// spin_rr: the smallest spinning request/response peer, for tools/bench_vs_peers.sh's
// busy-poll comparison (sockperf 3.7's client cannot connect a non-blocking TCP socket: it
// takes connect's EINPROGRESS for an error). Deliberately not netbench's code: plain
// syscalls, both ends spinning on recv(MSG_DONTWAIT); TCP (TCP_NODELAY, one connection) or,
// with "udp", one datagram each way on a connected client socket (no loss handling: a peer
// for a loss-free path).
//
//   spin_rr server PORT [MSG] [udp]                 (TCP: serves one connection, then exits;
//                                                    UDP: echoes until killed)
//   spin_rr client IPV4 PORT SECONDS [MSG] [udp]    (prints "transactions=N rtt_us=MEAN")

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace {

int Die(const char* what) {
  std::fprintf(stderr, "spin_rr: %s: %s\n", what, std::strerror(errno));
  return 1;
}

// Exactly len bytes, spinning; false when the peer closed or on an error.
bool SpinRecv(int fd, char* p, size_t len) {
  while (len > 0) {
    const ssize_t n = ::recv(fd, p, len, MSG_DONTWAIT);
    if (n > 0) {
      p += n;
      len -= static_cast<size_t>(n);
    } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
      return false;
    }
  }
  return true;
}

bool SendAll(int fd, const char* p, size_t len) {
  while (len > 0) {
    const ssize_t n = ::send(fd, p, len, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return false;
    p += n;
    len -= static_cast<size_t>(n);
  }
  return true;
}

void NoDelay(int fd) {
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

// Echoes datagrams to their senders, spinning, until killed.
int UdpServer(int s, size_t msg) {
  std::vector<char> buf(msg);
  for (;;) {
    sockaddr_in from{};
    socklen_t len = sizeof from;
    const ssize_t n = ::recvfrom(s, buf.data(), buf.size(), MSG_DONTWAIT,
                                 reinterpret_cast<sockaddr*>(&from), &len);
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
    if (n < 0) return Die("recvfrom");
    ::sendto(s, buf.data(), static_cast<size_t>(n), 0, reinterpret_cast<sockaddr*>(&from), len);
  }
}

int Server(uint16_t port, size_t msg, bool udp) {
  const int l = ::socket(AF_INET, udp ? SOCK_DGRAM : SOCK_STREAM, 0);
  int one = 1;
  ::setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  if (::bind(l, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) return Die("bind");
  if (udp) return UdpServer(l, msg);
  if (::listen(l, 1) != 0) return Die("listen");
  const int c = ::accept(l, nullptr, nullptr);
  if (c < 0) return Die("accept");
  NoDelay(c);
  std::vector<char> buf(msg);
  while (SpinRecv(c, buf.data(), buf.size()) && SendAll(c, buf.data(), buf.size())) {
  }
  return 0;
}

int Client(const char* ip, uint16_t port, double seconds, size_t msg, bool udp) {
  const int c = ::socket(AF_INET, udp ? SOCK_DGRAM : SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  if (::inet_pton(AF_INET, ip, &a.sin_addr) != 1) {
    std::fprintf(stderr, "spin_rr: %s is not an IPv4 address\n", ip);
    return 2;
  }
  if (::connect(c, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) return Die("connect");
  if (!udp) NoDelay(c);
  std::vector<char> buf(msg, 'x');
  using Clock = std::chrono::steady_clock;
  // A warm-up second first (as sockperf's and netbench's warm-ups), then the measured part.
  for (auto end = Clock::now() + std::chrono::seconds(1); Clock::now() < end;)
    if (!SendAll(c, buf.data(), buf.size()) || !SpinRecv(c, buf.data(), buf.size()))
      return Die("warm-up round trip");
  const auto start = Clock::now();
  const auto end = start + std::chrono::duration<double>(seconds);
  long n = 0;
  for (; Clock::now() < end; ++n)
    if (!SendAll(c, buf.data(), buf.size()) || !SpinRecv(c, buf.data(), buf.size()))
      return Die("round trip");
  const double us = std::chrono::duration<double, std::micro>(Clock::now() - start).count();
  std::printf("transactions=%ld rtt_us=%.3f\n", n, us / static_cast<double>(n));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const bool udp = std::strcmp(argv[argc - 1], "udp") == 0;
  if (udp) --argc;
  if (argc >= 3 && std::strcmp(argv[1], "server") == 0)
    return Server(static_cast<uint16_t>(std::atoi(argv[2])),
                  argc > 3 ? static_cast<size_t>(std::atoi(argv[3])) : 64, udp);
  if (argc >= 5 && std::strcmp(argv[1], "client") == 0)
    return Client(argv[2], static_cast<uint16_t>(std::atoi(argv[3])), std::atof(argv[4]),
                  argc > 5 ? static_cast<size_t>(std::atoi(argv[5])) : 64, udp);
  std::fprintf(stderr,
               "usage: spin_rr server PORT [MSG] [udp] | spin_rr client IPV4 PORT SECONDS [MSG] "
               "[udp]\n");
  return 2;
}
