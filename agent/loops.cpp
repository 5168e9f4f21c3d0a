#include "agent/loops.h"

#include "agent/crr.h"
#include "agent/parallel_stream.h"
#include "agent/rr.h"
#include "agent/sockets.h"
#include "agent/stream.h"
#include "agent/udp_rr.h"

namespace netbench::agent {
namespace {

bool RunRR(const Peer& p, const proto::DataConfig& c, std::span<uint8_t> msg,
           std::span<uint64_t> out, RunStats*, std::string* error) {
  return c.poll == proto::Poll::kBusy ? RunRoundTripsSpinning(p.fd, msg, out, error)
                                      : RunRoundTrips(p.fd, msg, out, error);
}

void ServeRR(int fd, const proto::DataConfig& c) {
  if (c.poll == proto::Poll::kBusy)
    SpinningEchoLoop(fd, c.msg_size);
  else
    EchoLoop(fd, c.msg_size);
}

bool RunStream(const Peer& p, const proto::DataConfig& c, std::span<uint8_t> buf,
               std::span<uint64_t> out, RunStats* stats, std::string* error) {
  if (p.fds.size() > 1) {
    ParallelResult r;
    if (!SendParallelChunks(p.fds, buf, c.chunk_size, out, &r, error)) return false;
    stats->retrans = r.retrans;
    stats->stream_min_bps = r.rates.min_bps;
    stats->stream_max_bps = r.rates.max_bps;
    return true;
  }
  const uint64_t before = TcpTotalRetrans(p.fd);
  const bool ok = SendChunks(p.fd, buf, c.chunk_size, out, error);
  stats->retrans = TcpTotalRetrans(p.fd) - before;
  return ok;
}

void ServeStream(int fd, const proto::DataConfig& c) { SinkLoop(fd, c.chunk_size, c.write_size); }

bool RunUdpRR(const Peer& p, const proto::DataConfig& c, std::span<uint8_t> msg,
              std::span<uint64_t> out, RunStats* stats, std::string* error) {
  return RunUdpRoundTrips(p.fd, msg, out, c.poll == proto::Poll::kBusy, &stats->lost, error);
}

void ServeUdpRR(int fd, const proto::DataConfig& c) {
  UdpEchoLoop(fd, c.poll == proto::Poll::kBusy);
}

uint32_t MessageSize(const proto::DataConfig& c) { return c.msg_size; }
uint32_t WriteSize(const proto::DataConfig& c) { return c.write_size; }

bool RunReverse(const Peer& p, const proto::DataConfig& c, std::span<uint8_t> buf,
                std::span<uint64_t> out, RunStats* stats, std::string* error) {
  return RecvChunks(p.fd, buf, c.chunk_size, out, &stats->retrans, error);
}

bool RunCRR(const Peer& p, const proto::DataConfig&, std::span<uint8_t> msg,
            std::span<uint64_t> out, RunStats* stats, std::string* error) {
  return RunConnectTransactions(p.ipv4, p.port, msg, out, &stats->connect_ns, error);
}

void ServeCRR(int fd, const proto::DataConfig& c) { AnswerOnce(fd, c.msg_size); }

void ServeReverse(int fd, const proto::DataConfig& c) {
  SourceLoop(fd, c.chunk_size, c.write_size);
}

constexpr Loop kLoops[] = {
    {proto::Mode::kRR, false, true, false, MessageSize, RunRR, ServeRR},
    {proto::Mode::kStream, false, false, false, WriteSize, RunStream, ServeStream},
    {proto::Mode::kUdpRR, true, false, false, MessageSize, RunUdpRR, ServeUdpRR},
    {proto::Mode::kStreamReverse, false, false, false, WriteSize, RunReverse, ServeReverse},
    // No TCP_NODELAY: one write each way (Nagle holds nothing back), and no option the
    // server would set on every connection.
    {proto::Mode::kCRR, false, false, true, MessageSize, RunCRR, ServeCRR},
};

}  // namespace

const Loop& LoopFor(proto::Mode mode) {
  for (const Loop& l : kLoops)
    if (l.mode == mode) return l;
  return kLoops[0];  // unreachable: decoding admits known modes only (tested)
}

}  // namespace netbench::agent
