#include "common/protocol.h"

#include <type_traits>

namespace netbench::proto {
namespace {

class Writer {
 public:
  void U8(uint8_t v) { buf_.push_back(v); }
  void U16(uint16_t v) { Put(v, 2); }
  void U32(uint32_t v) { Put(v, 4); }
  void U64(uint64_t v) { Put(v, 8); }
  void Field(uint8_t v) { U8(v); }
  void Field(uint16_t v) { U16(v); }
  void Field(uint32_t v) { U32(v); }
  void Field(uint64_t v) { U64(v); }
  void Field(Mode v) { U8(static_cast<uint8_t>(v)); }
  void Field(Poll v) { U8(static_cast<uint8_t>(v)); }
  void Str(const std::string& s) {
    U32(static_cast<uint32_t>(s.size()));
    buf_.insert(buf_.end(), s.begin(), s.end());
  }
  std::vector<uint8_t> Take() { return std::move(buf_); }

 private:
  void Put(uint64_t v, int n) {
    for (int i = 0; i < n; ++i) buf_.push_back(static_cast<uint8_t>(v >> (8 * i)));
  }
  std::vector<uint8_t> buf_;
};

class Reader {
 public:
  explicit Reader(std::span<const uint8_t> p) : p_(p) {}
  uint8_t U8() { return static_cast<uint8_t>(Get(1)); }
  uint16_t U16() { return static_cast<uint16_t>(Get(2)); }
  uint32_t U32() { return static_cast<uint32_t>(Get(4)); }
  uint64_t U64() { return Get(8); }
  void Field(uint8_t& v) { v = U8(); }
  void Field(uint16_t& v) { v = U16(); }
  void Field(uint32_t& v) { v = U32(); }
  void Field(uint64_t& v) { v = U64(); }
  void Field(Mode& v) {
    const uint8_t m = U8();
    if (m < 1 || m > kMaxMode) ok_ = false;  // only modes the agent has a loop for
    v = static_cast<Mode>(m);
  }
  void Field(Poll& v) {
    const uint8_t m = U8();
    if (m > kMaxPoll) ok_ = false;
    v = static_cast<Poll>(m);
  }
  std::string Str(size_t max) {
    uint32_t n = U32();
    if (!ok_ || n > max || p_.size() - pos_ < n) {
      ok_ = false;
      return {};
    }
    std::string s(reinterpret_cast<const char*>(p_.data() + pos_), n);
    pos_ += n;
    return s;
  }
  size_t Remaining() const { return p_.size() - pos_; }
  // True when every read succeeded and the payload was consumed exactly.
  bool Finished() const { return ok_ && pos_ == p_.size(); }
  bool ok() const { return ok_; }

 private:
  uint64_t Get(int n) {
    if (!ok_ || p_.size() - pos_ < static_cast<size_t>(n)) {
      ok_ = false;
      return 0;
    }
    uint64_t v = 0;
    for (int i = 0; i < n; ++i) v |= static_cast<uint64_t>(p_[pos_ + i]) << (8 * i);
    pos_ += n;
    return v;
  }
  std::span<const uint8_t> p_;
  size_t pos_ = 0;
  bool ok_ = true;
};

}  // namespace

bool IsKnownType(uint16_t t) {
  return (t >= static_cast<uint16_t>(Type::kHello) && t <= static_cast<uint16_t>(Type::kCpu) &&
          t != 5) ||
         (t >= static_cast<uint16_t>(Type::kOk) && t <= static_cast<uint16_t>(Type::kLoopDone));
}

const char* TypeName(Type t) {
  switch (t) {
    case Type::kHello:
      return "hello";
    case Type::kServe:
      return "serve";
    case Type::kConnect:
      return "connect";
    case Type::kRun:
      return "run";
    case Type::kQuit:
      return "quit";
    case Type::kStressStart:
      return "stress_start";
    case Type::kStressStop:
      return "stress_stop";
    case Type::kCpu:
      return "cpu";
    case Type::kOk:
      return "ok";
    case Type::kError:
      return "error";
    case Type::kSamples:
      return "samples";
    case Type::kDone:
      return "done";
    case Type::kLoopDone:
      return "loop_done";
  }
  return "?";
}

std::vector<uint8_t> EncodeHeader(Type type, uint32_t length) {
  Writer w;
  w.U32(kMagic);
  w.U16(static_cast<uint16_t>(type));
  w.U16(0);
  w.U32(length);
  return w.Take();
}

std::optional<Header> DecodeHeader(std::span<const uint8_t> bytes, std::string* error) {
  Reader r(bytes);
  uint32_t magic = r.U32();
  uint16_t type = r.U16();
  uint16_t reserved = r.U16();
  uint32_t length = r.U32();
  if (!r.ok() || bytes.size() != kHeaderSize) {
    *error = "short frame header";
    return std::nullopt;
  }
  if (magic != kMagic) {
    *error = "bad frame magic (not a netbench agent stream)";
    return std::nullopt;
  }
  if (!IsKnownType(type) || reserved != 0) {
    *error = "unknown frame type " + std::to_string(type);
    return std::nullopt;
  }
  if (length > kMaxPayload) {
    *error = "frame payload of " + std::to_string(length) + " bytes exceeds the limit";
    return std::nullopt;
  }
  return Header{static_cast<Type>(type), length};
}

namespace {

// The fixed-layout messages' fields, listed once for both directions: Encode writes them and
// Decode reads them in this order, so the two cannot drift apart.
template <class D, class F>
void DataFields(D& d, F&& f) {
  f(d.mode);
  f(d.msg_size);
  f(d.write_size);
  f(d.chunk_size);
  f(d.streams);
  f(d.poll);
}

template <class M, class F>
void Fields(M& m, F&& f) {
  using T = std::remove_const_t<M>;
  if constexpr (std::is_same_v<T, ServeCmd>) {
    f(m.port);
    DataFields(m.data, f);
  } else if constexpr (std::is_same_v<T, ConnectCmd>) {
    f(m.ipv4);
    f(m.port);
    DataFields(m.data, f);
  } else if constexpr (std::is_same_v<T, RunCmd>) {
    f(m.iterations);
  } else if constexpr (std::is_same_v<T, StressCmd>) {
    f(m.cpus);
    f(m.load_percent);
  } else {
    static_assert(std::is_same_v<T, DoneMsg>);
    f(m.count);
    f(m.bytes);
    f(m.retrans);
    f(m.extra);
    f(m.extra_ns);
    f(m.lost);
    f(m.connect_ns);
    f(m.stream_min_bps);
    f(m.stream_max_bps);
    f(m.napi_id);
    f(m.busy_poll_us);
  }
}

template <class M>
std::vector<uint8_t> EncodeFields(const M& m) {
  Writer w;
  Fields(m, [&](auto v) { w.Field(v); });
  return w.Take();
}

// True when the payload is exactly the message's fields.
template <class M>
bool DecodeFields(std::span<const uint8_t> p, M* m) {
  Reader r(p);
  Fields(*m, [&](auto& v) { r.Field(v); });
  return r.Finished();
}

}  // namespace

std::vector<uint8_t> Encode(const ServeCmd& m) { return EncodeFields(m); }
bool Decode(std::span<const uint8_t> p, ServeCmd* m) {
  return DecodeFields(p, m) && m->port != 0 && !Validate(m->data);
}

std::vector<uint8_t> Encode(const ConnectCmd& m) { return EncodeFields(m); }
bool Decode(std::span<const uint8_t> p, ConnectCmd* m) {
  return DecodeFields(p, m) && m->port != 0 && !Validate(m->data);
}

std::optional<std::string> Validate(const DataConfig& m) {
  if ((m.mode == Mode::kRR || m.mode == Mode::kCRR) &&
      (m.msg_size == 0 || m.msg_size > kMaxMsgSize))
    return "message size must be 1.." + std::to_string(kMaxMsgSize) + " bytes";
  // A datagram carries its 8-byte sequence number, and fits one UDP payload.
  if (m.mode == Mode::kUdpRR && (m.msg_size < 8 || m.msg_size > kMaxUdpMsgSize))
    return "udp_rr message size must be 8.." + std::to_string(kMaxUdpMsgSize) + " bytes";
  if (m.mode == Mode::kStream || m.mode == Mode::kStreamReverse) {
    if (m.write_size == 0 || m.write_size > kMaxWriteSize)
      return "write size must be 1.." + std::to_string(kMaxWriteSize) + " bytes";
    if (m.chunk_size < m.write_size || m.chunk_size > kMaxChunkSize)
      return "chunk size must be at least the write size and at most " +
             std::to_string(kMaxChunkSize) + " bytes";
    if (m.chunk_size % m.write_size != 0) return "chunk size must be a multiple of the write size";
  }
  if (m.streams < 1 || m.streams > kMaxStreams)
    return "streams must be 1.." + std::to_string(kMaxStreams);
  if (m.streams > 1 && m.mode != Mode::kStream)
    return "parallel streams are a tcp_stream variant only";
  if (m.poll == Poll::kBusy && m.mode != Mode::kRR && m.mode != Mode::kUdpRR)
    return "busy polling is a tcp_rr and udp_rr variant only";
  return std::nullopt;
}

std::vector<uint8_t> Encode(const RunCmd& m) { return EncodeFields(m); }
bool Decode(std::span<const uint8_t> p, RunCmd* m) {
  return DecodeFields(p, m) && m->iterations > 0 && m->iterations <= kMaxIterations;
}

std::vector<uint8_t> Encode(const StressCmd& m) { return EncodeFields(m); }
bool Decode(std::span<const uint8_t> p, StressCmd* m) {
  return DecodeFields(p, m) && m->cpus >= 1 && m->cpus <= 256 && m->load_percent >= 1 &&
         m->load_percent <= 100;
}

std::vector<uint8_t> Encode(const SamplesMsg& m) {
  Writer w;
  w.U32(static_cast<uint32_t>(m.ns.size()));
  for (uint64_t v : m.ns) w.U64(v);
  return w.Take();
}
bool Decode(std::span<const uint8_t> p, SamplesMsg* m) {
  Reader r(p);
  uint32_t n = r.U32();
  if (!r.ok() || n > kMaxSamplesPerFrame || r.Remaining() != static_cast<size_t>(n) * 8)
    return false;
  m->ns.resize(n);
  for (uint32_t i = 0; i < n; ++i) m->ns[i] = r.U64();
  return r.Finished();
}

std::vector<uint8_t> Encode(const DoneMsg& m) { return EncodeFields(m); }
bool Decode(std::span<const uint8_t> p, DoneMsg* m) { return DecodeFields(p, m); }

std::vector<uint8_t> Encode(const TextMsg& m) {
  Writer w;
  w.Str(m.text.size() > kMaxText ? m.text.substr(0, kMaxText) : m.text);
  return w.Take();
}
bool Decode(std::span<const uint8_t> p, TextMsg* m) {
  Reader r(p);
  m->text = r.Str(kMaxText);
  return r.Finished();
}

std::vector<ServeCmd> ServeEveryMode(uint16_t base) {
  std::vector<ServeCmd> out;
  for (uint8_t m = 1; m <= kMaxMode; ++m) {
    ServeCmd cmd;
    cmd.data.mode = static_cast<Mode>(m);
    cmd.port = static_cast<uint16_t>(base + PortOffset(cmd.data.mode));
    out.push_back(cmd);
  }
  return out;
}

bool SentByController(Type t) {
  return static_cast<uint16_t>(t) < static_cast<uint16_t>(Type::kOk);
}

std::vector<Type> AllTypes() {
  std::vector<Type> out;
  for (uint16_t t = 0; t <= static_cast<uint16_t>(Type::kLoopDone); ++t)
    if (IsKnownType(t)) out.push_back(static_cast<Type>(t));
  return out;
}

namespace {

template <class M>
std::optional<std::vector<uint8_t>> Again(std::span<const uint8_t> payload) {
  M m;
  if (!Decode(payload, &m)) return std::nullopt;
  return Encode(m);
}

}  // namespace

std::optional<std::vector<uint8_t>> Reencode(Type t, std::span<const uint8_t> payload) {
  switch (t) {
    case Type::kServe:
      return Again<ServeCmd>(payload);
    case Type::kConnect:
      return Again<ConnectCmd>(payload);
    case Type::kRun:
      return Again<RunCmd>(payload);
    case Type::kStressStart:
      return Again<StressCmd>(payload);
    case Type::kOk:
    case Type::kError:
      return Again<TextMsg>(payload);
    case Type::kSamples:
      return Again<SamplesMsg>(payload);
    case Type::kDone:
      return Again<DoneMsg>(payload);
    case Type::kHello:
    case Type::kQuit:
    case Type::kStressStop:
    case Type::kCpu:
    case Type::kLoopDone:  // no payload
      if (!payload.empty()) return std::nullopt;
      return std::vector<uint8_t>{};
  }
  return std::nullopt;
}

}  // namespace netbench::proto
