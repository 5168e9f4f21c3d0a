#include "bench/agent/stream.h"

#include <sys/socket.h>

#include <cerrno>
#include <vector>

#include "bench/agent/sockets.h"

namespace netbench::agent {
namespace {

uint64_t DecodeAck(const uint8_t* b) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v |= static_cast<uint64_t>(b[i]) << (8 * i);
  return v;
}

// Reads whatever acknowledgements have arrived; blocks only when `block` is set.
bool DrainAcks(int fd, bool block, StreamState* st, std::string* error) {
  uint8_t buf[8 * 64];
  ssize_t n = ::recv(fd, buf, sizeof buf, block ? 0 : MSG_DONTWAIT);
  if (n < 0) {
    if (!block && (errno == EAGAIN || errno == EWOULDBLOCK)) return true;
    if (errno == EINTR) return true;
    *error = "waiting for the receiver's confirmation: recv failed";
    return false;
  }
  if (n == 0) {
    *error = "receiver closed the connection";
    return false;
  }
  for (ssize_t i = 0; i < n; ++i) {
    st->partial[st->partial_len++] = buf[i];
    if (st->partial_len == 8) {
      st->acked_total = DecodeAck(st->partial);
      st->partial_len = 0;
    }
  }
  return true;
}

}  // namespace

bool SendChunks(int fd, std::span<const uint8_t> write_buf, uint32_t chunk_size,
                std::span<uint64_t> out, StreamState* st, std::string* error) {
  // Acknowledgements that arrive mid-run (the sink saw a pause) are read every kDrainEvery
  // chunks: often enough that they never fill the receive buffer, rarely enough to keep the
  // timed loop to the writes and the clock.
  constexpr size_t kDrainEvery = 64;
  const size_t writes_per_chunk = chunk_size / write_buf.size();
  uint64_t prev = NowNs();
  size_t chunk = 0;
  for (uint64_t& sample : out) {
    for (size_t w = 0; w < writes_per_chunk; ++w) {
      if (!SendAll(fd, write_buf.data(), write_buf.size(), error)) return false;
    }
    st->sent_total += chunk_size;
    const uint64_t now = NowNs();
    sample = now - prev;
    prev = now;
    if (++chunk % kDrainEvery == 0 && !DrainAcks(fd, false, st, error)) return false;
  }
  // The last chunk ends when the receiver has every byte.
  while (st->acked_total < st->sent_total) {
    if (!DrainAcks(fd, true, st, error)) return false;
  }
  if (!out.empty()) out.back() += NowNs() - prev;
  return true;
}

void SinkLoop(int fd, uint32_t chunk_size, uint32_t read_size) {
  std::vector<uint8_t> buf(read_size);
  uint64_t total = 0;
  uint64_t acked = 0;
  std::string error;
  for (;;) {
    ssize_t n = ::recv(fd, buf.data(), buf.size(), 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    total += static_cast<uint64_t>(n);
    const uint64_t boundary = total - total % chunk_size;
    if (boundary == acked) continue;
    // Acknowledge only when the stream pauses (nothing more queued): always true after a run's
    // last chunk, rarely while data flows, so the measured direction stays one-way, as a bulk
    // transfer is (return traffic would put the connection in delayed-ACK "pingpong" mode).
    uint8_t peek;
    if (::recv(fd, &peek, 1, MSG_PEEK | MSG_DONTWAIT) > 0) continue;
    uint8_t ack[8];
    for (int i = 0; i < 8; ++i) ack[i] = static_cast<uint8_t>(boundary >> (8 * i));
    if (!SendAll(fd, ack, sizeof ack, &error)) return;
    acked = boundary;
  }
}

}  // namespace netbench::agent
