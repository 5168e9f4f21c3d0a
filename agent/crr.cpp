#include "agent/crr.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "agent/sockets.h"

namespace netbench::agent {
namespace {

constexpr int kConnectTimeoutS = 5;  // SO_SNDTIMEO bounds a blocking connect
constexpr int kAnswerTimeoutS = 30;

}  // namespace

bool RunConnectTransactions(uint32_t ipv4, uint16_t port, std::span<uint8_t> msg,
                            std::span<uint64_t> out, uint64_t* connect_ns, std::string* error) {
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(port);
  to.sin_addr.s_addr = htonl(ipv4);
  *connect_ns = 0;
  for (uint64_t& sample : out) {
    Fd s(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!s.valid()) {
      *error = std::string("socket: ") + std::strerror(errno);
      return false;
    }
    const timeval snd{kConnectTimeoutS, 0}, rcv{kAnswerTimeoutS, 0};
    ::setsockopt(s.get(), SOL_SOCKET, SO_SNDTIMEO, &snd, sizeof snd);
    ::setsockopt(s.get(), SOL_SOCKET, SO_RCVTIMEO, &rcv, sizeof rcv);
    const uint64_t t0 = NowNs();
    if (::connect(s.get(), reinterpret_cast<const sockaddr*>(&to), sizeof to) != 0) {
      *error = std::string("connect: ") + std::strerror(errno) +
               (errno == EADDRNOTAVAIL ? " (no local port free: see the README on tcp_crr)" : "");
      return false;
    }
    const uint64_t t1 = NowNs();
    if (!SendAll(s.get(), msg.data(), msg.size(), error)) return false;
    if (!RecvAll(s.get(), msg.data(), msg.size(), error)) return false;
    s = Fd();  // close(): the client closes first, as an HTTP/1.0 client does
    sample = NowNs() - t0;
    *connect_ns += t1 - t0;
  }
  return true;
}

void AnswerOnce(int fd, uint32_t msg_size) {
  std::vector<uint8_t> buf(msg_size);
  std::string error;
  if (!RecvAll(fd, buf.data(), buf.size(), &error)) return;
  if (!SendAll(fd, buf.data(), buf.size(), &error)) return;
  char c;
  while (::recv(fd, &c, 1, 0) > 0) {  // until the client's FIN
  }
}

}  // namespace netbench::agent
