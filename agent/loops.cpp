#include "agent/loops.h"

#include "agent/rr.h"
#include "agent/sockets.h"
#include "agent/stream.h"
#include "agent/udp_rr.h"

namespace netbench::agent {
namespace {

bool RunRR(int fd, const proto::DataConfig&, std::span<uint8_t> msg, std::span<uint64_t> out,
           RunStats*, std::string* error) {
  return RunRoundTrips(fd, msg, out, error);
}

void ServeRR(int fd, const proto::DataConfig& c) { EchoLoop(fd, c.msg_size); }

bool RunStream(int fd, const proto::DataConfig& c, std::span<uint8_t> buf, std::span<uint64_t> out,
               RunStats* stats, std::string* error) {
  const uint64_t before = TcpTotalRetrans(fd);
  const bool ok = SendChunks(fd, buf, c.chunk_size, out, error);
  stats->retrans = TcpTotalRetrans(fd) - before;
  return ok;
}

void ServeStream(int fd, const proto::DataConfig& c) { SinkLoop(fd, c.chunk_size, c.write_size); }

bool RunUdpRR(int fd, const proto::DataConfig&, std::span<uint8_t> msg, std::span<uint64_t> out,
              RunStats* stats, std::string* error) {
  return RunUdpRoundTrips(fd, msg, out, &stats->lost, error);
}

void ServeUdpRR(int fd, const proto::DataConfig&) { UdpEchoLoop(fd); }

uint32_t MessageSize(const proto::DataConfig& c) { return c.msg_size; }
uint32_t WriteSize(const proto::DataConfig& c) { return c.write_size; }

bool RunReverse(int fd, const proto::DataConfig& c, std::span<uint8_t> buf, std::span<uint64_t> out,
                RunStats* stats, std::string* error) {
  return RecvChunks(fd, buf, c.chunk_size, out, &stats->retrans, error);
}

void ServeReverse(int fd, const proto::DataConfig& c) {
  SourceLoop(fd, c.chunk_size, c.write_size);
}

constexpr Loop kLoops[] = {
    {proto::Mode::kRR, false, true, MessageSize, RunRR, ServeRR},
    {proto::Mode::kStream, false, false, WriteSize, RunStream, ServeStream},
    {proto::Mode::kUdpRR, true, false, MessageSize, RunUdpRR, ServeUdpRR},
    {proto::Mode::kStreamReverse, false, false, WriteSize, RunReverse, ServeReverse},
};

}  // namespace

const Loop& LoopFor(proto::Mode mode) {
  for (const Loop& l : kLoops)
    if (l.mode == mode) return l;
  return kLoops[0];  // unreachable: decoding admits known modes only (tested)
}

}  // namespace netbench::agent
