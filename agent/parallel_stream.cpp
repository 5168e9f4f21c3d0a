#include "agent/parallel_stream.h"

#include <poll.h>
#include <sched.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <system_error>
#include <thread>

#include "agent/sockets.h"
#include "agent/stream.h"

namespace netbench::agent {

std::vector<uint64_t> StreamShares(uint64_t n, size_t streams) {
  std::vector<uint64_t> shares(streams, streams ? n / streams : 0);
  for (size_t i = 0; streams && i < n % streams; ++i) ++shares[i];
  return shares;
}

void MergeCompletions(std::span<const std::vector<uint64_t>> completions, std::span<uint64_t> out) {
  std::vector<uint64_t> all;
  all.reserve(out.size());
  for (const auto& c : completions) all.insert(all.end(), c.begin(), c.end());
  std::sort(all.begin(), all.end());
  uint64_t prev = 0;
  for (size_t i = 0; i < out.size() && i < all.size(); ++i) {
    out[i] = all[i] - prev;
    prev = all[i];
  }
}

RateRange StreamRates(std::span<const std::vector<uint64_t>> completions, uint64_t chunk_size) {
  RateRange r;
  bool any = false;
  for (const auto& c : completions) {
    if (c.empty() || c.back() == 0) continue;
    const double bps =
        static_cast<double>(c.size() * chunk_size) * 1e9 / static_cast<double>(c.back());
    const auto v = static_cast<uint64_t>(bps);
    r.min_bps = any ? std::min(r.min_bps, v) : v;
    r.max_bps = any ? std::max(r.max_bps, v) : v;
    any = true;
  }
  return r;
}

size_t SenderThreads(size_t streams, size_t cpus) {
  return std::max<size_t>(1, std::min(streams, cpus));
}

namespace {

constexpr int kNoProgressMs = 30'000;
constexpr int kWritePasses = 10;

// The CPUs this process may run on (its cpuset, or a VM's vCPUs).
size_t AvailableCpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (::sched_getaffinity(0, sizeof set, &set) != 0) return 1;
  return static_cast<size_t>(std::max(1, CPU_COUNT(&set)));
}

// One sender's connections, each written as soon as it has room (send with MSG_DONTWAIT, poll
// for the rest), as iperf3 3.x drives -P's streams. A connection's chunk completes when its
// last byte is handed to the kernel, the last one when the sink confirms the run. Completions
// are ns since t0.
struct Conn {
  size_t index;  // in the run's connections, from 0
  int fd;
  uint64_t chunks;        // this connection's share
  uint64_t done = 0;      // chunks handed to the kernel
  uint64_t in_chunk = 0;  // bytes of the current chunk sent
  uint8_t ack[8] = {};    // the sink's confirmation, as it arrives
  size_t ack_got = 0;
  bool confirmed = false;
  std::vector<uint64_t>* completions;
};

enum class Sent { kSome, kFull, kError };

// One write of up to a write size (never past the current chunk's end) on a connection that
// has room: a turn each, as iperf3 3.x writes one block per ready socket per pass. Writing
// each connection until it is full was measured at half the rate for four streams on macvlan
// (tools/stream_probe.sh: medians 19.6-21.3 against 34.7-42.3 Gbit/s).
Sent SendSome(Conn& c, std::span<const uint8_t> buf, uint32_t chunk_size, uint64_t t0,
              std::string* error) {
  const size_t want = std::min<uint64_t>(buf.size(), chunk_size - c.in_chunk);
  ssize_t n;
  do n = ::send(c.fd, buf.data(), want, MSG_DONTWAIT | MSG_NOSIGNAL);
  while (n < 0 && errno == EINTR);
  if (n < 0) {
    if (errno == EAGAIN || errno == EWOULDBLOCK) return Sent::kFull;
    *error = std::string("send: ") + std::strerror(errno);
    return Sent::kError;
  }
  c.in_chunk += static_cast<uint64_t>(n);
  if (c.in_chunk == chunk_size) {
    (*c.completions)[c.done++] = NowNs() - t0;
    c.in_chunk = 0;
  }
  return static_cast<size_t>(n) < want ? Sent::kFull : Sent::kSome;
}

// Reads what has arrived of the sink's confirmation. False on an error.
bool ReadConfirmation(Conn& c, uint64_t run_bytes, uint64_t t0, std::string* error) {
  const ssize_t n = ::recv(c.fd, c.ack + c.ack_got, sizeof c.ack - c.ack_got, MSG_DONTWAIT);
  if (n < 0) {
    if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK) return true;
    *error = std::string("waiting for the receiver's confirmation: recv: ") + std::strerror(errno);
    return false;
  }
  if (n == 0) {
    *error = "waiting for the receiver's confirmation: peer closed the connection";
    return false;
  }
  c.ack_got += static_cast<size_t>(n);
  if (c.ack_got < sizeof c.ack) return true;
  if (!CheckConfirmation(c.ack, run_bytes, error)) return false;
  c.completions->back() = NowNs() - t0;
  c.confirmed = true;
  return true;
}

bool SendInterleaved(std::span<Conn> conns, std::span<const uint8_t> buf, uint32_t chunk_size,
                     uint64_t t0, std::string* error) {
  std::vector<pollfd> fds;
  std::vector<Conn*> waiting;
  std::vector<Conn*> ready;
  for (;;) {
    fds.clear();
    waiting.clear();
    for (Conn& c : conns) {
      if (c.confirmed) continue;
      fds.push_back({c.fd, static_cast<short>(c.done < c.chunks ? POLLOUT : POLLIN), 0});
      waiting.push_back(&c);
    }
    if (fds.empty()) return true;
    const int r = ::poll(fds.data(), fds.size(), kNoProgressMs);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) {
      *error =
          r == 0 ? "no connection moved for 30 s" : std::string("poll: ") + std::strerror(errno);
      return false;
    }
    ready.clear();
    for (size_t i = 0; i < fds.size(); ++i) {
      if (fds[i].revents == 0) continue;
      Conn& c = *waiting[i];
      if (c.done < c.chunks) {
        ready.push_back(&c);
      } else if (!ReadConfirmation(c, c.chunks * uint64_t{chunk_size}, t0, error)) {
        *error = "stream " + std::to_string(c.index + 1) + ": " + *error;
        return false;
      }
    }
    // Up to kWritePasses turns over the ready connections per poll, each dropping out once the
    // kernel takes less than a write (its buffer is full) or its share is sent: iperf3 3.12's
    // multisend (10 passes a select()), so a poll is paid once for many writes, not each.
    for (int pass = 0; pass < kWritePasses && !ready.empty(); ++pass) {
      size_t kept = 0;
      for (Conn* c : ready) {
        const Sent sent = SendSome(*c, buf, chunk_size, t0, error);
        if (sent == Sent::kError) {
          *error = "stream " + std::to_string(c->index + 1) + ": " + *error;
          return false;
        }
        if (sent == Sent::kSome && c->done < c->chunks) ready[kept++] = c;
      }
      ready.resize(kept);
    }
  }
}

}  // namespace

bool SendParallelChunks(std::span<const int> fds, std::span<const uint8_t> write_buf,
                        uint32_t chunk_size, std::span<uint64_t> out, ParallelResult* result,
                        std::string* error) {
  const std::vector<uint64_t> shares = StreamShares(out.size(), fds.size());
  // Allocated before the clock starts.
  std::vector<std::vector<uint64_t>> completions(fds.size());
  std::vector<Conn> conns;
  std::vector<uint64_t> before(fds.size());
  for (size_t i = 0; i < fds.size(); ++i) {
    completions[i].resize(shares[i]);
    conns.push_back(Conn{i, fds[i], shares[i], 0, 0, {}, 0, shares[i] == 0, &completions[i]});
    before[i] = TcpTotalRetrans(fds[i]);
    // Untimed, as the single stream's: every run header is out before the clock starts.
    if (shares[i] > 0 && !SendRunHeader(fds[i], shares[i] * uint64_t{chunk_size}, error)) {
      *error = "stream " + std::to_string(i + 1) + ": " + *error;
      return false;
    }
  }
  // One sender per CPU the agent may use, never more than the connections: more threads than
  // CPUs would only take turns. Sender g drives connections g, g + G, ...
  const size_t g_count = SenderThreads(fds.size(), AvailableCpus());
  std::vector<std::vector<Conn>> groups(g_count);
  for (size_t i = 0; i < conns.size(); ++i) groups[i % g_count].push_back(conns[i]);
  std::vector<std::string> errors(g_count);
  std::vector<char> ok(g_count, 1);
  const uint64_t t0 = NowNs();
  if (g_count == 1) {
    ok[0] = SendInterleaved(groups[0], write_buf, chunk_size, t0, &errors[0]);
  } else {
    std::vector<std::thread> threads;
    threads.reserve(g_count);
    try {
      for (size_t g = 0; g < g_count; ++g)
        threads.emplace_back(
            [&, g] { ok[g] = SendInterleaved(groups[g], write_buf, chunk_size, t0, &errors[g]); });
    } catch (const std::system_error& e) {
      // No thread for every sender (a container's pids limit): the started ones run to their
      // end (they are bounded as any run) and the run fails.
      for (auto& t : threads) t.join();
      *error = "starting " + std::to_string(g_count) + " sender threads: " + e.what();
      return false;
    }
    for (auto& t : threads) t.join();
  }
  for (size_t g = 0; g < g_count; ++g)
    if (!ok[g]) {
      *error = errors[g];
      return false;
    }
  MergeCompletions(completions, out);
  result->rates = StreamRates(completions, chunk_size);
  result->retrans = 0;
  for (size_t i = 0; i < fds.size(); ++i) result->retrans += TcpTotalRetrans(fds[i]) - before[i];
  return true;
}

}  // namespace netbench::agent
