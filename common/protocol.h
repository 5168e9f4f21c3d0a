#pragma once
// The agent's control protocol: a fixed set of commands in bounded binary frames.
// Frame = header {magic u32, type u16, reserved u16, length u32} (little endian) + payload.
// The same definitions are used by netbench (controller) and by the agent.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace netbench::proto {

inline constexpr uint32_t kMagic = 0x3141424e;  // "NBA1" on the wire
// The agent's answer to hello: its protocol's version, raised whenever a message's fields
// change (2: streams and poll in DataConfig; the spread and busy-poll facts in DoneMsg), so an
// agent of another build is refused by name instead of failing on a malformed frame.
inline constexpr const char* kAgentHello = "nb-agent 2";
inline constexpr size_t kHeaderSize = 12;
inline constexpr uint32_t kMaxPayload = 64 * 1024;
inline constexpr size_t kMaxSamplesPerFrame = 4096;  // 32 KiB of u64
inline constexpr size_t kMaxText = 4096;
inline constexpr uint64_t kMaxIterations = 20'000'000;  // bounds the sample buffer (160 MB)
inline constexpr uint32_t kMaxMsgSize = 64 * 1024;
inline constexpr uint32_t kMaxUdpMsgSize = 65507;  // the largest IPv4 UDP payload
inline constexpr uint32_t kMaxWriteSize = 4 * 1024 * 1024;
inline constexpr uint32_t kMaxChunkSize = 64 * 1024 * 1024;
inline constexpr uint8_t kMaxStreams = 64;  // parallel connections of one stream test

enum class Type : uint16_t {
  kHello = 1,
  kServe = 2,
  kConnect = 3,
  kRun = 4,  // runs the connected test's loop (5 was run_stream: the mode is fixed at connect)
  kQuit = 6,
  kStressStart = 7,
  kStressStop = 8,
  kCpu = 9,  // the agent's own CPU time and everything else's in its sandbox (no payload)
  kOk = 64,
  kError = 65,
  kSamples = 66,
  kDone = 67,
  kLoopDone = 68,  // the measuring loop just ended; its samples follow (no payload)
};

bool IsKnownType(uint16_t t);
const char* TypeName(Type t);

struct Header {
  Type type;
  uint32_t length;
};

std::vector<uint8_t> EncodeHeader(Type type, uint32_t length);
// Returns nullopt and sets *error when the header is malformed (bad magic, unknown type, too big).
std::optional<Header> DecodeHeader(std::span<const uint8_t> bytes, std::string* error);

// Which measuring loop a data connection runs (agent/loops.h has one row per mode).
enum class Mode : uint8_t { kRR = 1, kStream = 2, kUdpRR = 3, kStreamReverse = 4, kCRR = 5 };
inline constexpr uint8_t kMaxMode = 5;
// A mode's data port is a base port plus this offset: one listener per mode, so the server
// knows what a connection runs from the port it arrives on.
inline constexpr uint16_t PortOffset(Mode m) {
  return static_cast<uint16_t>(static_cast<uint8_t>(m) - 1);
}

// How each end waits for data: blocked in the kernel (woken by the scheduler), or spinning on
// non-blocking calls (the path's floor, without wakeups: sockperf's --nonblocked).
enum class Poll : uint8_t { kBlocking = 0, kBusy = 1 };
inline constexpr uint8_t kMaxPoll = 1;

// What a data connection carries, known to both ends before it is opened: the server is told
// with serve (per port), the client with connect. Nothing is negotiated on the connection
// itself, so a test that opens a connection per iteration times only its own traffic.
struct DataConfig {
  Mode mode = Mode::kRR;
  uint32_t msg_size = 64;             // RR message size
  uint32_t write_size = 128 * 1024;   // stream: bytes per send() (and the sink's recv())
  uint32_t chunk_size = 1024 * 1024;  // stream: bytes per iteration
  uint8_t streams = 1;                // stream: parallel connections (1..kMaxStreams)
  Poll poll = Poll::kBlocking;        // rr and udp_rr: how both ends wait
};

struct ServeCmd {
  uint16_t port = 0;
  DataConfig data;
};
// Every mode served at its default sizes, each on base + its offset: what an agent without a
// control channel, or a VM left up, serves (netbench up).
std::vector<ServeCmd> ServeEveryMode(uint16_t base);

struct ConnectCmd {
  uint32_t ipv4 = 0;  // host byte order
  uint16_t port = 0;
  DataConfig data;
};
struct RunCmd {
  uint64_t iterations = 0;
};
struct StressCmd {
  uint32_t cpus = 1;
  uint32_t load_percent = 100;
};
struct SamplesMsg {
  std::vector<uint64_t> ns;
};
struct DoneMsg {
  uint64_t count = 0;
  uint64_t bytes = 0;
  uint64_t retrans = 0;
  // Command specific. stress_stop: bogo ops, and the stressor's wall time. run: the agent's
  // own CPU time and the rest of its sandbox's, read as its loop ended (agent/cpu_usage.h;
  // both 0 when they could not be read), for meters that read through the agent.
  uint64_t extra = 0;
  uint64_t extra_ns = 0;
  uint64_t lost = 0;        // run: datagrams sent again after no answer came (udp_rr)
  uint64_t connect_ns = 0;  // run: its connects, summed (tcp_crr)
  // run, parallel streams: the slowest and the fastest stream's bytes per second.
  uint64_t stream_min_bps = 0;
  uint64_t stream_max_bps = 0;
  // run: the client socket's SO_INCOMING_NAPI_ID (0: the path has none), and the SO_BUSY_POLL
  // microseconds the busy-poll loops set on it (0: not set).
  uint64_t napi_id = 0;
  uint64_t busy_poll_us = 0;
};
struct TextMsg {
  std::string text;
};

std::vector<uint8_t> Encode(const ServeCmd& m);
std::vector<uint8_t> Encode(const ConnectCmd& m);
std::vector<uint8_t> Encode(const RunCmd& m);
std::vector<uint8_t> Encode(const StressCmd& m);
std::vector<uint8_t> Encode(const SamplesMsg& m);
std::vector<uint8_t> Encode(const DoneMsg& m);
std::vector<uint8_t> Encode(const TextMsg& m);

// Each Decode validates bounds and consumes the whole payload; false on any violation.
bool Decode(std::span<const uint8_t> p, ServeCmd* m);
bool Decode(std::span<const uint8_t> p, ConnectCmd* m);
bool Decode(std::span<const uint8_t> p, RunCmd* m);
bool Decode(std::span<const uint8_t> p, StressCmd* m);
bool Decode(std::span<const uint8_t> p, SamplesMsg* m);
bool Decode(std::span<const uint8_t> p, DoneMsg* m);
bool Decode(std::span<const uint8_t> p, TextMsg* m);

// Which end sends a type: the controller (netbench) sends commands, the agent replies.
bool SentByController(Type t);
// Every known type, in order.
std::vector<Type> AllTypes();
// A payload decoded as type t's message and encoded again: the same bytes for every payload a
// decoder accepts (the encoding is canonical); nullopt when t's decoder refuses it. What the
// fuzz targets (fuzz/) and the tests drive, on both ends' decoders.
std::optional<std::vector<uint8_t>> Reencode(Type t, std::span<const uint8_t> payload);

// Range checks shared by the controller (to reject bad input early) and the agent.
std::optional<std::string> Validate(const DataConfig& m);

}  // namespace netbench::proto
