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
inline constexpr size_t kHeaderSize = 12;
inline constexpr uint32_t kMaxPayload = 64 * 1024;
inline constexpr size_t kMaxSamplesPerFrame = 4096;  // 32 KiB of u64
inline constexpr size_t kMaxText = 4096;
inline constexpr uint64_t kMaxIterations = 20'000'000;  // bounds the sample buffer (160 MB)
inline constexpr uint32_t kMaxMsgSize = 64 * 1024;
inline constexpr uint32_t kMaxWriteSize = 4 * 1024 * 1024;
inline constexpr uint32_t kMaxChunkSize = 64 * 1024 * 1024;

enum class Type : uint16_t {
  kHello = 1,
  kServe = 2,
  kConnect = 3,
  kRunRR = 4,
  kRunStream = 5,
  kQuit = 6,
  kStressStart = 7,
  kStressStop = 8,
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

// What a data connection carries.
enum class Mode : uint8_t { kRR = 1, kStream = 2 };

struct ServeCmd {
  uint16_t port = 0;
};
struct ConnectCmd {
  uint32_t ipv4 = 0;  // host byte order
  uint16_t port = 0;
  Mode mode = Mode::kRR;
  uint32_t msg_size = 64;             // RR message size
  uint32_t write_size = 128 * 1024;   // stream: bytes per send()
  uint32_t chunk_size = 1024 * 1024;  // stream: bytes per iteration
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
  uint64_t extra = 0;     // command specific (stress: bogo ops)
  uint64_t extra_ns = 0;  // command specific (stress: wall time of the stressor)
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

// Range checks shared by the controller (to reject bad input early) and the agent.
std::optional<std::string> Validate(const ConnectCmd& m);

// The first bytes of every data connection: tells the server what to do with it.
struct DataHello {
  Mode mode = Mode::kRR;
  uint32_t msg_size = 0;
  uint32_t chunk_size = 0;
  uint32_t read_size = 0;
};
inline constexpr size_t kDataHelloSize = 20;
inline constexpr uint32_t kDataMagic = 0x3144424e;  // "NBD1"
std::vector<uint8_t> EncodeDataHello(const DataHello& h);
bool DecodeDataHello(std::span<const uint8_t> bytes, DataHello* h);

}  // namespace netbench::proto
