#include "agent/stream.h"

#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

#include "agent/sockets.h"

namespace netbench::agent {
namespace {

void EncodeU64(uint64_t v, uint8_t* b) {
  for (int i = 0; i < 8; ++i) b[i] = static_cast<uint8_t>(v >> (8 * i));
}

uint64_t DecodeU64(const uint8_t* b) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v |= static_cast<uint64_t>(b[i]) << (8 * i);
  return v;
}

}  // namespace

bool SendRunHeader(int fd, uint64_t run_bytes, std::string* error) {
  if (run_bytes > kMaxRunBytes) {
    *error = "run too long for one stream run";
    return false;
  }
  uint8_t header[8];
  EncodeU64(run_bytes, header);
  return SendAll(fd, header, sizeof header, error);
}

uint64_t DecodeRunBytes(const uint8_t* b) { return DecodeU64(b); }

bool ValidRunLength(uint64_t run_bytes, uint32_t chunk_size) {
  return run_bytes != 0 && run_bytes <= kMaxRunBytes && run_bytes % chunk_size == 0;
}

bool ConfirmRun(int fd, const uint8_t* header) {
  std::string error;
  if (!SendAll(fd, header, 8, &error)) return false;
  EndPingPong(fd);
  return true;
}

bool CheckConfirmation(const uint8_t* ack, uint64_t run_bytes, std::string* error) {
  if (DecodeU64(ack) == run_bytes) return true;
  *error = "the receiver confirmed " + std::to_string(DecodeU64(ack)) + " bytes of " +
           std::to_string(run_bytes);
  return false;
}

bool SendChunks(int fd, std::span<const uint8_t> write_buf, uint32_t chunk_size,
                std::span<uint64_t> out, std::string* error) {
  if (out.empty()) return true;
  const uint64_t run_bytes = uint64_t{chunk_size} * out.size();
  if (!SendRunHeader(fd, run_bytes, error)) return false;
  // Timed: the writes and the clock, nothing else.
  const size_t writes_per_chunk = chunk_size / write_buf.size();
  uint64_t prev = NowNs();
  for (uint64_t& sample : out) {
    for (size_t w = 0; w < writes_per_chunk; ++w) {
      if (!SendAll(fd, write_buf.data(), write_buf.size(), error)) return false;
    }
    const uint64_t now = NowNs();
    sample = now - prev;
    prev = now;
  }
  // The last chunk ends when the receiver has every byte.
  uint8_t ack[8];
  if (!RecvAll(fd, ack, sizeof ack, error)) {
    *error = "waiting for the receiver's confirmation: " + *error;
    return false;
  }
  out.back() += NowNs() - prev;
  return CheckConfirmation(ack, run_bytes, error);
}

void SinkLoop(int fd, uint32_t chunk_size, uint32_t read_size) {
  std::vector<uint8_t> buf(read_size);
  std::string error;
  for (;;) {
    uint8_t header[8];
    if (!RecvAll(fd, header, sizeof header, &error)) return;
    const uint64_t run_bytes = DecodeU64(header);
    if (!ValidRunLength(run_bytes, chunk_size)) return;
    for (uint64_t left = run_bytes; left > 0;) {
      // Never past the run's end: the next run's header belongs to the next iteration.
      ssize_t n = ::recv(fd, buf.data(), std::min<uint64_t>(buf.size(), left), 0);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return;
      left -= static_cast<uint64_t>(n);
    }
    if (!ConfirmRun(fd, header)) return;
  }
}

bool RecvChunks(int fd, std::span<uint8_t> read_buf, uint32_t chunk_size, std::span<uint64_t> out,
                uint64_t* retrans, std::string* error) {
  if (out.empty()) return true;
  const uint64_t run_bytes = uint64_t{chunk_size} * out.size();
  if (!SendRunHeader(fd, run_bytes, error)) return false;
  EndPingPong(fd);
  // Timed: the reads and the clock, nothing else. Never past a chunk's end.
  uint64_t prev = NowNs();
  for (uint64_t& sample : out) {
    for (uint64_t left = chunk_size; left > 0;) {
      const ssize_t n = ::recv(fd, read_buf.data(), std::min<uint64_t>(read_buf.size(), left), 0);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        *error = n == 0 ? std::string("the sender closed the connection mid-run")
                        : std::string("recv: ") + std::strerror(errno);
        return false;
      }
      left -= static_cast<uint64_t>(n);
    }
    const uint64_t now = NowNs();
    sample = now - prev;
    prev = now;
  }
  uint8_t trailer[8];
  if (!RecvAll(fd, trailer, sizeof trailer, error)) {
    *error = "waiting for the sender's retransmissions: " + *error;
    return false;
  }
  *retrans = DecodeU64(trailer);
  return true;
}

void SourceLoop(int fd, uint32_t chunk_size, uint32_t write_size) {
  std::vector<uint8_t> buf(write_size, static_cast<uint8_t>(0x5a));
  std::string error;
  for (;;) {
    uint8_t header[8];
    if (!RecvAll(fd, header, sizeof header, &error)) return;
    const uint64_t run_bytes = DecodeU64(header);
    if (!ValidRunLength(run_bytes, chunk_size)) return;
    const uint64_t before = TcpTotalRetrans(fd);
    for (uint64_t left = run_bytes; left > 0;) {
      const size_t n = static_cast<size_t>(std::min<uint64_t>(buf.size(), left));
      if (!SendAll(fd, buf.data(), n, &error)) return;
      left -= n;
    }
    uint8_t trailer[8];
    EncodeU64(TcpTotalRetrans(fd) - before, trailer);
    if (!SendAll(fd, trailer, sizeof trailer, &error)) return;
  }
}

}  // namespace netbench::agent
