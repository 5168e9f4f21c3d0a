#pragma once
// The measuring loops, one row per test mode. A row says how each end of a data connection
// behaves: the client's timed loop and the server's side of it. Adding a test is adding a
// row (and its loop file, like rr.cpp and stream.cpp), as iperf3's protocol structs and
// neper's per-test function tables do; the client, server and dispatcher stay as they are.

#include <cstdint>
#include <span>
#include <string>

#include "common/protocol.h"

namespace netbench::agent {

// What a run measured besides its samples.
struct RunStats {
  uint64_t retrans = 0;         // TCP retransmissions during the run
  uint64_t lost = 0;            // datagrams sent again after no answer came (udp_rr)
  uint64_t connect_ns = 0;      // the run's connects, summed (tcp_crr)
  uint64_t stream_min_bps = 0;  // parallel streams: the slowest and the fastest stream's rate
  uint64_t stream_max_bps = 0;
  uint64_t napi_id = 0;       // busy poll: the client socket's SO_INCOMING_NAPI_ID
  uint64_t busy_poll_us = 0;  // busy poll: SO_BUSY_POLL in force on it (0: none)
};

// Where the client's loop runs: its connected socket (every connection's, for parallel
// streams; fds[0] == fd), or (a loop that connects per iteration) no socket and the server's
// address.
struct Peer {
  int fd = -1;
  std::span<const int> fds;
  uint32_t ipv4 = 0;
  uint16_t port = 0;
};

struct Loop {
  proto::Mode mode;
  bool udp;       // datagrams on a UDP socket (else a TCP connection)
  bool no_delay;  // TCP_NODELAY on both ends (request/response: no Nagle delay)
  // A connection per iteration (tcp_crr): the client keeps none open, and the server answers
  // each on its accepting thread.
  bool per_iteration;
  // Bytes of the client's send buffer (the message, or one write).
  uint32_t (*buffer_size)(const proto::DataConfig& c);
  // Client: exactly out.size() iterations on a connected socket; out[i] is the i-th one's
  // time in nanoseconds. Nothing but the socket calls and the clock between two timestamps.
  bool (*run)(const Peer& peer, const proto::DataConfig& c, std::span<uint8_t> buf,
              std::span<uint64_t> out, RunStats* stats, std::string* error);
  // Server: serves one accepted connection to its end (UDP: its bound socket, until shut down).
  void (*serve)(int fd, const proto::DataConfig& c);
};

// The row for a mode (every proto::Mode has one).
const Loop& LoopFor(proto::Mode mode);

}  // namespace netbench::agent
