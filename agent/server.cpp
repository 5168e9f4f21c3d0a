#include "agent/server.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <cerrno>

#include "agent/loops.h"

namespace netbench::agent {
namespace {

uint16_t BoundPort(int fd) {
  sockaddr_in a{};
  socklen_t len = sizeof a;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0) return 0;
  return ntohs(a.sin_port);
}

}  // namespace

Server::~Server() {
  for (auto& [port, l] : listeners_) ::shutdown(l->fd.get(), SHUT_RDWR);
  for (auto& [port, l] : listeners_)
    if (l->accept_thread.joinable()) l->accept_thread.join();
}

bool Server::Serve(const proto::ServeCmd& cmd, std::string* error) {
  const Loop& loop = LoopFor(cmd.data.mode);
  if (auto it = listeners_.find(cmd.port); cmd.port != 0 && it != listeners_.end()) {
    Listener& l = *it->second;
    // A UDP port's one thread serves as it was told when it started: told another way to
    // wait (busy polling or not), the socket is bound again, with a thread that does.
    if (loop.udp && l.data.poll != cmd.data.poll) {
      ::shutdown(l.fd.get(), SHUT_RDWR);
      if (l.accept_thread.joinable()) l.accept_thread.join();
      listeners_.erase(it);
    } else {
      std::lock_guard lock(l.mu);
      l.data = cmd.data;
      last_port_ = cmd.port;
      return true;
    }
  }
  auto l = std::make_unique<Listener>();
  l->fd = loop.udp ? BindUdp(cmd.port, error) : ListenTcp(cmd.port, error);
  if (!l->fd.valid()) return false;
  l->data = cmd.data;
  Listener* raw = l.get();
  if (loop.udp) {
    // No connections: one thread serves the bound socket until the server shuts it down (it
    // echoes datagrams of any size, so a new serve command needs nothing of it).
    raw->accept_thread =
        std::thread([fd = raw->fd.get(), data = cmd.data, &loop] { loop.serve(fd, data); });
    last_port_ = BoundPort(raw->fd.get());
    listeners_[last_port_] = std::move(l);
    return true;
  }
  if (loop.per_iteration) {
    // Inherited by every accepted connection (the kernel copies them from the listener): a
    // client that never closes cannot hold the accepting thread, at no cost per connection.
    const timeval tv{10, 0};
    ::setsockopt(raw->fd.get(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(raw->fd.get(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  }
  raw->accept_thread = std::thread([raw] {
    for (;;) {
      int c = ::accept4(raw->fd.get(), nullptr, nullptr, SOCK_CLOEXEC);
      if (c < 0) {
        if (errno == EINTR || errno == ECONNABORTED) continue;
        return;  // listener shut down
      }
      proto::DataConfig data;
      {
        std::lock_guard lock(raw->mu);
        data = raw->data;
      }
      if (LoopFor(data.mode).per_iteration) {
        ServeConnection(Fd(c), data);  // on this thread: a server starts none per connection
      } else if (data.mode == proto::Mode::kStream && data.streams > 1) {
        if (!raw->parallel_sink) raw->parallel_sink = std::make_unique<ParallelSink>();
        raw->parallel_sink->Add(Fd(c), data.chunk_size, data.write_size);
      } else
        std::thread(ServeConnection, Fd(c), data).detach();
    }
  });
  last_port_ = BoundPort(raw->fd.get());
  listeners_[last_port_] = std::move(l);
  return true;
}

void ServeConnection(Fd conn, proto::DataConfig data) {
  const Loop& loop = LoopFor(data.mode);
  if (loop.no_delay) SetNoDelay(conn.get());
  loop.serve(conn.get(), data);
}

}  // namespace netbench::agent
