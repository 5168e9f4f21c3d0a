#include "agent/client.h"

#include "agent/busy_poll.h"

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
  conns_.clear();
  fds_.clear();
  connected_ = false;
  const Loop& loop = LoopFor(cmd.data.mode);
  std::vector<Fd> conns;
  for (uint8_t i = 0; i < cmd.data.streams; ++i) {
    Fd c = loop.udp ? ConnectUdp(cmd.ipv4, cmd.port, error)
                    : ConnectTcp(cmd.ipv4, cmd.port, kConnectTimeoutMs, error);
    if (!c.valid()) {
      if (cmd.data.streams > 1)
        *error = "stream " + std::to_string(i + 1) + " of " + std::to_string(cmd.data.streams) +
                 ": " + *error;
      return false;
    }
    conns.push_back(std::move(c));
  }
  data_ = cmd.data;
  buf_.assign(loop.buffer_size(cmd.data), static_cast<uint8_t>(0x5a));
  peer_ = Peer{-1, {}, cmd.ipv4, cmd.port};
  connected_ = true;
  // A loop that connects per iteration: the connect above checked the server is there; the
  // loop opens its own.
  if (loop.per_iteration) return true;
  for (Fd& c : conns) {
    SetIoTimeout(c.get(), kIoTimeoutS);
    if (loop.no_delay) SetNoDelay(c.get());
    fds_.push_back(c.get());
  }
  conns_ = std::move(conns);
  peer_.fd = fds_.front();
  peer_.fds = fds_;
  return true;
}

bool Client::Run(uint64_t n, std::vector<uint64_t>* samples, RunStats* stats, std::string* error) {
  if (!connected_) {
    *error = "no data connection (send connect first)";
    return false;
  }
  const bool busy = data_.poll == proto::Poll::kBusy;
  // SO_BUSY_POLL once the socket knows its NAPI id (after the warm-up run), never in the loop.
  if (busy) stats->busy_poll_us = EnableKernelBusyPoll(peer_.fd);
  samples->resize(n);
  if (!LoopFor(data_.mode).run(peer_, data_, buf_, *samples, stats, error)) return false;
  if (busy) stats->napi_id = IncomingNapiId(peer_.fd);
  return true;
}

}  // namespace netbench::agent
