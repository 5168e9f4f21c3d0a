#include "agent/client.h"

namespace netbench::agent {

namespace {
constexpr int kConnectTimeoutMs = 5000;
constexpr int kIoTimeoutS = 30;
}  // namespace

bool Client::Connect(const proto::ConnectCmd& cmd, std::string* error) {
  if (auto bad = proto::Validate(cmd.data)) {
    *error = *bad;
    return false;
  }
  conn_ = Fd();
  connected_ = false;
  const Loop& loop = LoopFor(cmd.data.mode);
  Fd c = loop.udp ? ConnectUdp(cmd.ipv4, cmd.port, error)
                  : ConnectTcp(cmd.ipv4, cmd.port, kConnectTimeoutMs, error);
  if (!c.valid()) return false;
  peer_ = Peer{-1, cmd.ipv4, cmd.port};
  if (loop.per_iteration) {
    // The connect above checked the server is there; the loop opens its own.
    data_ = cmd.data;
    buf_.assign(loop.buffer_size(cmd.data), static_cast<uint8_t>(0x5a));
    connected_ = true;
    return true;
  }
  SetIoTimeout(c.get(), kIoTimeoutS);
  if (loop.no_delay) SetNoDelay(c.get());
  data_ = cmd.data;
  buf_.assign(loop.buffer_size(cmd.data), static_cast<uint8_t>(0x5a));
  conn_ = std::move(c);
  peer_.fd = conn_.get();
  connected_ = true;
  return true;
}

bool Client::Run(uint64_t n, std::vector<uint64_t>* samples, RunStats* stats, std::string* error) {
  if (!connected_) {
    *error = "no data connection (send connect first)";
    return false;
  }
  samples->resize(n);
  return LoopFor(data_.mode).run(peer_, data_, buf_, *samples, stats, error);
}

}  // namespace netbench::agent
