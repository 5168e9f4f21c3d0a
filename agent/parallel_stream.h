#pragma once
// tcp_stream over N connections at once (iperf3 -P): each connection carries its share of the
// run's chunks, framed as the single stream's (run header, chunks, the sink's confirmation), and
// all start together. One sender thread per CPU the agent has (at most N) writes its
// connections as each has room, as iperf3 3.x does. One iteration is one chunk delivered on any
// connection: the samples are the gaps between consecutive chunk completions across all of them, so
// they add up to the run's wall time (first start to last confirmation; every run header is sent
// before the start) and bytes/time is the aggregate rate.

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace netbench::agent {

// Each connection's share of n chunks: n / streams, the first n % streams one more. Pure.
std::vector<uint64_t> StreamShares(uint64_t n, size_t streams);

// Merges each stream's chunk completion times (ns since the common start, ascending within a
// stream) into out: out[i] is the time from the (i-1)-th completion across all streams (the
// start, for i = 0) to the i-th. out.size() must be the completions' total. Pure.
void MergeCompletions(std::span<const std::vector<uint64_t>> completions, std::span<uint64_t> out);

// The slowest and the fastest stream's rate, bytes per second: each stream's bytes over its
// last completion. Streams that carried nothing are left out; {0, 0} when none did. Pure.
struct RateRange {
  uint64_t min_bps = 0;
  uint64_t max_bps = 0;
};
RateRange StreamRates(std::span<const std::vector<uint64_t>> completions, uint64_t chunk_size);

// How many sender threads drive `streams` connections with `cpus` CPUs: one per CPU, at most
// one per connection. Pure.
size_t SenderThreads(size_t streams, size_t cpus);

struct ParallelResult {
  uint64_t retrans = 0;  // summed over the connections
  RateRange rates;
};

// Runs out.size() chunks over the connections fds (connected, blocking, each served by a sink).
bool SendParallelChunks(std::span<const int> fds, std::span<const uint8_t> write_buf,
                        uint32_t chunk_size, std::span<uint64_t> out, ParallelResult* result,
                        std::string* error);

}  // namespace netbench::agent
