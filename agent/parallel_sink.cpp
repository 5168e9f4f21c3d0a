#include "agent/parallel_sink.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "agent/stream.h"

namespace netbench::agent {

ParallelSink::ParallelSink() : wake_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {
  thread_ = std::thread([this] { Loop(); });
}

ParallelSink::~ParallelSink() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  const uint64_t one = 1;
  [[maybe_unused]] ssize_t n = ::write(wake_.get(), &one, sizeof one);
  thread_.join();
}

void ParallelSink::Add(Fd conn, uint32_t chunk_size, uint32_t read_size) {
  {
    std::lock_guard lock(mu_);
    added_.push_back(Conn{std::move(conn), chunk_size, read_size});
  }
  const uint64_t one = 1;
  [[maybe_unused]] ssize_t n = ::write(wake_.get(), &one, sizeof one);
}

bool ParallelSink::Serve(Conn& c, std::vector<uint8_t>& buf) {
  if (c.left == 0) {  // the run header
    const ssize_t n =
        ::recv(c.fd.get(), c.header + c.header_got, sizeof c.header - c.header_got, MSG_DONTWAIT);
    if (n < 0) return errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK;
    if (n == 0) return false;
    c.header_got += static_cast<size_t>(n);
    if (c.header_got < sizeof c.header) return true;
    c.header_got = 0;
    c.left = DecodeRunBytes(c.header);
    return ValidRunLength(c.left, c.chunk_size);
  }
  // A block a turn: reads until a read size is in, the socket is empty or the run ends (never
  // past it: the next header belongs to the next run), as iperf3 3.12's server fills a block
  // per ready stream per select() (Nread). One read a turn polled once per read: 10.9k polls
  // and 12.1k reads per GB on the server against iperf3's 7.4k and 15.6k; a block a turn 6.9k
  // and 15.0k against 6.4k and 14.3k (four streams on macvlan, tools/stream_cpu_split.sh,
  // results/stream_cpu_split-macvlan-syscalls.txt).
  size_t want = std::min<uint64_t>(std::min<size_t>(buf.size(), c.read_size), c.left);
  while (want > 0) {
    const ssize_t n = ::recv(c.fd.get(), buf.data(), want, MSG_DONTWAIT);
    if (n < 0) return errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK;
    if (n == 0) return false;
    c.left -= static_cast<uint64_t>(n);
    want -= static_cast<size_t>(n);
  }
  return c.left > 0 || ConfirmRun(c.fd.get(), c.header);
}

void ParallelSink::Loop() {
  std::vector<Conn> conns;
  std::vector<pollfd> fds;
  std::vector<uint8_t> buf;
  for (;;) {
    {
      std::lock_guard lock(mu_);
      if (stop_) return;
      for (Conn& c : added_) {
        buf.resize(std::max<size_t>(buf.size(), c.read_size));
        conns.push_back(std::move(c));
      }
      added_.clear();
    }
    fds.assign(1, pollfd{wake_.get(), POLLIN, 0});
    for (const Conn& c : conns) fds.push_back({c.fd.get(), POLLIN, 0});
    if (::poll(fds.data(), fds.size(), -1) < 0 && errno != EINTR) return;
    if (fds[0].revents) {
      uint64_t v;
      [[maybe_unused]] ssize_t n = ::read(wake_.get(), &v, sizeof v);
    }
    for (size_t i = fds.size() - 1; i >= 1; --i) {
      if (fds[i].revents == 0) continue;
      Conn& c = conns[i - 1];
      if (!Serve(c, buf)) conns.erase(conns.begin() + static_cast<std::ptrdiff_t>(i - 1));
    }
  }
}

}  // namespace netbench::agent
