#include "bench/agent/server.h"

#include <netinet/in.h>
#include <sys/socket.h>

#include <cerrno>

#include "bench/agent/rr.h"
#include "bench/agent/stream.h"
#include "common/protocol.h"

namespace netbench::agent {

Server::~Server() {
  if (listener_.valid()) ::shutdown(listener_.get(), SHUT_RDWR);
  if (accept_thread_.joinable()) accept_thread_.join();
}

bool Server::Start(uint16_t port, std::string* error) {
  if (listener_.valid()) return true;
  listener_ = ListenTcp(port, error);
  if (!listener_.valid()) return false;
  const int lfd = listener_.get();
  accept_thread_ = std::thread([lfd] {
    for (;;) {
      int c = ::accept4(lfd, nullptr, nullptr, SOCK_CLOEXEC);
      if (c < 0) {
        if (errno == EINTR || errno == ECONNABORTED) continue;
        return;  // listener shut down
      }
      std::thread(ServeConnection, Fd(c)).detach();
    }
  });
  return true;
}

uint16_t Server::port() const {
  sockaddr_in a{};
  socklen_t len = sizeof a;
  if (!listener_.valid() || ::getsockname(listener_.get(), reinterpret_cast<sockaddr*>(&a), &len))
    return 0;
  return ntohs(a.sin_port);
}

void ServeConnection(Fd conn) {
  uint8_t hello_bytes[proto::kDataHelloSize];
  std::string error;
  if (!RecvAll(conn.get(), hello_bytes, sizeof hello_bytes, &error)) return;
  proto::DataHello hello;
  if (!proto::DecodeDataHello(hello_bytes, &hello)) return;
  if (hello.mode == proto::Mode::kRR) {
    SetNoDelay(conn.get());
    EchoLoop(conn.get(), hello.msg_size);
  } else {
    SinkLoop(conn.get(), hello.chunk_size, hello.read_size);
  }
}

}  // namespace netbench::agent
