#pragma once
// TCP bulk transfer: the sender's measuring loop (client) and the sink (server).
//
// Each run on the connection is framed so that data flows one way while it is measured:
//   sender: run length in bytes (8, little endian; untimed), then the run's chunks, timed back
//           to back;
//   sink:   reads exactly that many bytes, then echoes the run length (8 bytes): its only
//           write of the run.
// The last chunk's time ends when that confirmation arrives, so a run never counts data still
// sitting in a send buffer, and no acknowledgement of the sink's travels mid-run (return
// traffic would change how TCP acknowledges a bulk flow).

#include <cstdint>
#include <span>
#include <string>

namespace netbench::agent {

// Largest run the sink accepts (a bound on untrusted input): 1 TiB.
inline constexpr uint64_t kMaxRunBytes = uint64_t{1} << 40;

// A run's header (or the sink's confirmation): its length in bytes, 8 bytes little endian.
// The header is bounded by kMaxRunBytes and sent untimed, before the run's first chunk.
bool SendRunHeader(int fd, uint64_t run_bytes, std::string* error);
uint64_t DecodeRunBytes(const uint8_t* b);
// Whether a received header is one a receiver serves: not empty, bounded, whole chunks.
bool ValidRunLength(uint64_t run_bytes, uint32_t chunk_size);
// The sink's end of a run: echoes its header, then leaves pingpong mode (EndPingPong).
bool ConfirmRun(int fd, const uint8_t* header);
// The sender's check of the sink's confirmation of a run of run_bytes.
bool CheckConfirmation(const uint8_t* ack, uint64_t run_bytes, std::string* error);

bool SendChunks(int fd, std::span<const uint8_t> write_buf, uint32_t chunk_size,
                std::span<uint64_t> out, std::string* error);

// Serves runs until the connection closes or a run header is invalid.
void SinkLoop(int fd, uint32_t chunk_size, uint32_t read_size);

// The reverse stream: the server sends, the client receives and times.
//   receiver (client): run length in bytes (8; untimed), then reads the run's chunks, timed
//                      back to back: a chunk ends when its last byte has arrived;
//   source (server):   writes exactly that many bytes, then its TCP retransmissions during
//                      them (8 bytes, read by the client after its clock stopped).
bool RecvChunks(int fd, std::span<uint8_t> read_buf, uint32_t chunk_size, std::span<uint64_t> out,
                uint64_t* retrans, std::string* error);
void SourceLoop(int fd, uint32_t chunk_size, uint32_t write_size);

}  // namespace netbench::agent
