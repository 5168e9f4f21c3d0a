#include "agent/parallel_stream.h"

#include <algorithm>
#include <latch>
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

bool SendParallelChunks(std::span<const int> fds, std::span<const uint8_t> write_buf,
                        uint32_t chunk_size, std::span<uint64_t> out, ParallelResult* result,
                        std::string* error) {
  const std::vector<uint64_t> shares = StreamShares(out.size(), fds.size());
  // Allocated before the clock starts: the threads only write into their own.
  std::vector<std::vector<uint64_t>> completions(fds.size());
  for (size_t i = 0; i < fds.size(); ++i) completions[i].resize(shares[i]);
  std::vector<std::string> errors(fds.size());
  std::vector<uint64_t> retrans(fds.size(), 0);
  std::vector<char> ok(fds.size(), 1);
  uint64_t t0 = 0;
  bool cancelled = false;  // written before the latch opens, as t0
  std::latch go(1);
  std::vector<std::thread> threads;
  threads.reserve(fds.size());
  auto sender = [&](size_t i) {
    const uint64_t before = TcpTotalRetrans(fds[i]);
    go.wait();
    if (cancelled) return;
    const uint64_t start = NowNs();
    std::vector<uint64_t>& c = completions[i];
    ok[i] = SendChunks(fds[i], write_buf, chunk_size, c, &errors[i]);
    // SendChunks gives each chunk's time: completions since the common start (early by the
    // run header's send, which its first chunk's time leaves out: microseconds).
    uint64_t at = start - t0;
    for (uint64_t& x : c) x = at += x;
    retrans[i] = TcpTotalRetrans(fds[i]) - before;
  };
  try {
    for (size_t i = 0; i < fds.size(); ++i) threads.emplace_back(sender, i);
  } catch (const std::system_error& e) {
    // No thread for every stream (a container's pids limit): the ones started stop unrun.
    cancelled = true;
    go.count_down();
    for (auto& t : threads) t.join();
    *error = "starting a sender thread for each of " + std::to_string(fds.size()) +
             " streams: " + e.what();
    return false;
  }
  t0 = NowNs();  // written before the latch opens: the threads read it after go.wait()
  go.count_down();
  for (auto& t : threads) t.join();
  for (size_t i = 0; i < fds.size(); ++i)
    if (!ok[i]) {
      *error = "stream " + std::to_string(i + 1) + " of " + std::to_string(fds.size()) + ": " +
               errors[i];
      return false;
    }
  MergeCompletions(completions, out);
  result->rates = StreamRates(completions, chunk_size);
  result->retrans = 0;
  for (uint64_t r : retrans) result->retrans += r;
  return true;
}

}  // namespace netbench::agent
