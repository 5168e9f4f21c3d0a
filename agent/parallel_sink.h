#pragma once
// The receiving end of tcp_stream/streams:N: every connection of the port served from one
// thread (poll), as iperf3 3.x's server serves -P's streams, instead of a thread each. Each
// connection is framed as the single stream's sink (run header, exactly the run's bytes, the
// 8-byte confirmation, then TCP_QUICKACK); a connection that breaks the framing is closed.
// tools/stream_probe.sh measured this receiver at 42 Gbit/s for four streams on macvlan against
// 35 for a thread per connection, with the same sender.

#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

#include "common/fd.h"

namespace netbench::agent {

class ParallelSink {
 public:
  ParallelSink();
  ~ParallelSink();  // stops the thread and closes every connection
  ParallelSink(const ParallelSink&) = delete;
  ParallelSink& operator=(const ParallelSink&) = delete;

  // Hands an accepted connection to the thread (from any thread), with its chunk size (a run's
  // length must be a multiple of it) and its read size.
  void Add(Fd conn, uint32_t chunk_size, uint32_t read_size);

 private:
  struct Conn {
    Fd fd;
    uint32_t chunk_size = 0;
    uint32_t read_size = 0;
    uint8_t header[8] = {};
    size_t header_got = 0;
    uint64_t left = 0;  // of the run; 0: reading a header
  };
  void Loop();
  // Reads what conn has, up to a read size; false when it is to be closed.
  bool Serve(Conn& c, std::vector<uint8_t>& buf);

  Fd wake_;  // eventfd: a connection was added, or the thread is to stop
  std::mutex mu_;
  std::vector<Conn> added_;  // guarded by mu_
  bool stop_ = false;        // guarded by mu_
  std::thread thread_;
};

}  // namespace netbench::agent
