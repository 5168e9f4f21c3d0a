#include "bench/agent/client.h"

#include <algorithm>

#include "bench/agent/rr.h"

namespace netbench::agent {

namespace {
constexpr int kConnectTimeoutMs = 5000;
constexpr int kIoTimeoutS = 30;
}  // namespace

bool Client::Connect(const proto::ConnectCmd& cmd, std::string* error) {
  if (auto bad = proto::Validate(cmd)) {
    *error = *bad;
    return false;
  }
  conn_ = Fd();
  Fd c = ConnectTcp(cmd.ipv4, cmd.port, kConnectTimeoutMs, error);
  if (!c.valid()) return false;
  SetIoTimeout(c.get(), kIoTimeoutS);
  proto::DataHello hello{cmd.mode, cmd.msg_size, cmd.chunk_size, cmd.write_size};
  if (cmd.mode == proto::Mode::kRR) SetNoDelay(c.get());
  auto bytes = proto::EncodeDataHello(hello);
  if (!SendAll(c.get(), bytes.data(), bytes.size(), error)) return false;
  cfg_ = cmd;
  buf_.assign(cmd.mode == proto::Mode::kRR ? cmd.msg_size : cmd.write_size, 0);
  std::fill(buf_.begin(), buf_.end(), static_cast<uint8_t>(0x5a));
  conn_ = std::move(c);
  return true;
}

bool Client::RunRR(uint64_t n, std::vector<uint64_t>* samples, std::string* error) {
  if (!conn_.valid() || cfg_.mode != proto::Mode::kRR) {
    *error = "no request/response connection (send connect first)";
    return false;
  }
  samples->resize(n);
  return RunRoundTrips(conn_.get(), buf_, *samples, error);
}

bool Client::RunStream(uint64_t n, std::vector<uint64_t>* samples, uint64_t* retrans,
                       std::string* error) {
  if (!conn_.valid() || cfg_.mode != proto::Mode::kStream) {
    *error = "no stream connection (send connect first)";
    return false;
  }
  samples->resize(n);
  const uint64_t before = TcpTotalRetrans(conn_.get());
  bool ok = SendChunks(conn_.get(), buf_, cfg_.chunk_size, *samples, error);
  *retrans = TcpTotalRetrans(conn_.get()) - before;
  return ok;
}

}  // namespace netbench::agent
