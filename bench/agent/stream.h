#pragma once
// TCP bulk transfer: the sender's measuring loop (client) and the sink (server).
//
// When the stream pauses at a chunk boundary, the sink acknowledges the cumulative byte count
// it has received (8 bytes, little endian) on the same connection. The sender times each chunk back to back;
// the last chunk's time ends only when the sink has confirmed every byte, so a run never
// counts data still sitting in the send buffer.

#include <cstdint>
#include <span>
#include <string>

namespace netbench::agent {

struct StreamState {
  uint64_t sent_total = 0;   // bytes written on this connection so far
  uint64_t acked_total = 0;  // highest cumulative count the sink confirmed
  uint8_t partial[8] = {};   // an acknowledgement split across two reads
  size_t partial_len = 0;
};

bool SendChunks(int fd, std::span<const uint8_t> write_buf, uint32_t chunk_size,
                std::span<uint64_t> out, StreamState* state, std::string* error);

void SinkLoop(int fd, uint32_t chunk_size, uint32_t read_size);

}  // namespace netbench::agent
