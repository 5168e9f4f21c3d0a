// stream_probe: N TCP streams at once with the sender and the receiver each either one thread
// multiplexing every connection with poll() ("mux": one write, or one read, of 128 KiB per
// ready socket per round, as iperf3 3.x runs -P) or one blocking thread per connection
// ("threads"). Not netbench's code: the smallest pair that shows which structure moves how
// much on a path (tools/stream_probe.sh runs the four combinations, interleaved).
// "mux-fill" writes each ready socket until it is full (EAGAIN) or 1 MiB has gone, as
// netbench's parallel sender first did.
//
//   stream_probe server PORT N mux|threads          (serves N connections until they close)
//   stream_probe client IPV4 PORT N mux|mux-fill|threads SECONDS   (prints "gbit_per_s=X")

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

namespace {

constexpr size_t kBlock = 128 * 1024;

int Die(const char* what) {
  std::fprintf(stderr, "stream_probe: %s: %s\n", what, std::strerror(errno));
  return 1;
}

int Serve(int port, int n, bool mux) {
  int l = ::socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  ::setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  if (::bind(l, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(l, 64) != 0)
    return Die("listen");
  std::vector<int> conns;
  for (int i = 0; i < n; ++i) {
    const int c = ::accept(l, nullptr, nullptr);
    if (c < 0) return Die("accept");
    conns.push_back(c);
  }
  if (mux) {
    std::vector<char> buf(kBlock);
    std::vector<pollfd> p;
    for (int c : conns) p.push_back({c, POLLIN, 0});
    for (size_t open = p.size(); open > 0;) {
      if (::poll(p.data(), p.size(), -1) < 0 && errno != EINTR) return Die("poll");
      for (auto& x : p)
        if (x.fd >= 0 && x.revents && ::recv(x.fd, buf.data(), buf.size(), 0) <= 0) {
          x.fd = -1;
          --open;
        }
    }
  } else {
    std::vector<std::thread> t;
    for (int c : conns)
      t.emplace_back([c] {
        std::vector<char> buf(kBlock);
        while (::recv(c, buf.data(), buf.size(), 0) > 0) {
        }
      });
    for (auto& x : t) x.join();
  }
  return 0;
}

int Send(const char* ip, int port, int n, const std::string& how, double secs) {
  std::vector<int> conns;
  for (int i = 0; i < n; ++i) {
    int s = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<uint16_t>(port));
    ::inet_pton(AF_INET, ip, &a.sin_addr);
    if (::connect(s, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) return Die("connect");
    conns.push_back(s);
  }
  static char buf[kBlock];
  std::atomic<uint64_t> total{0};
  const auto t0 = std::chrono::steady_clock::now();
  const auto end = t0 + std::chrono::duration<double>(secs);
  if (how == "threads") {
    std::vector<std::thread> t;
    for (int c : conns)
      t.emplace_back([c, end, &total] {
        while (std::chrono::steady_clock::now() < end) {
          const ssize_t r = ::send(c, buf, sizeof buf, MSG_NOSIGNAL);
          if (r <= 0) return;
          total += static_cast<uint64_t>(r);
        }
      });
    for (auto& x : t) x.join();
  } else {
    const bool fill = how == "mux-fill";
    std::vector<pollfd> p;
    for (int c : conns) p.push_back({c, POLLOUT, 0});
    while (std::chrono::steady_clock::now() < end) {
      if (::poll(p.data(), p.size(), 1000) < 0 && errno != EINTR) return Die("poll");
      for (auto& x : p) {
        if (!(x.revents & POLLOUT)) continue;
        size_t sent = 0;
        do {
          const ssize_t r = ::send(x.fd, buf, sizeof buf, MSG_DONTWAIT | MSG_NOSIGNAL);
          if (r <= 0) break;
          sent += static_cast<size_t>(r);
        } while (fill && sent < 8 * kBlock);
        total += sent;
      }
    }
  }
  const double el = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("gbit_per_s=%.2f\n", static_cast<double>(total) * 8 / el / 1e9);
  for (int c : conns) ::shutdown(c, SHUT_WR);
  for (int c : conns) {
    char b[64];
    while (::recv(c, b, sizeof b, 0) > 0) {
    }
    ::close(c);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "";
  if (mode == "server" && argc == 5)
    return Serve(std::atoi(argv[2]), std::atoi(argv[3]), std::string(argv[4]) == "mux");
  if (mode == "client" && argc == 7)
    return Send(argv[2], std::atoi(argv[3]), std::atoi(argv[4]), argv[5], std::atof(argv[6]));
  std::fprintf(stderr,
               "usage: stream_probe server PORT N mux|threads\n"
               "       stream_probe client IPV4 PORT N mux|mux-fill|threads SECONDS\n");
  return 2;
}
