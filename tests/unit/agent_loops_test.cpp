// The agent's code, dynamic and sanitized, over loopback: the measuring loops, the server, and
// the whole control protocol through the dispatcher and netbench's AgentChannel.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>

#include "agent/client.h"
#include "agent/dispatcher.h"
#include "agent/parallel_stream.h"
#include "agent/server.h"
#include "agent/sockets.h"
#include "agent/stream.h"
#include "agent/udp_rr.h"
#include "fixtures/agent_channel.h"

namespace netbench::agent {
namespace {

constexpr uint32_t kLoopback = 0x7f000001;

// A server on a free loopback port and a client connected to it with `c`'s mode and sizes.
struct LoopbackPair {
  Server server;
  Client client;
  std::string err;
  bool Connect(proto::ConnectCmd c) {
    if (!server.Serve(proto::ServeCmd{0, c.data}, &err)) return false;
    c.ipv4 = kLoopback;
    c.port = server.port();
    return client.Connect(c, &err);
  }
};

TEST(AgentLoops, RoundTripsProduceOneSamplePerIteration) {
  LoopbackPair p;
  proto::ConnectCmd c;
  c.data.mode = proto::Mode::kRR;
  c.data.msg_size = 64;
  ASSERT_TRUE(p.Connect(c)) << p.err;
  Client& client = p.client;
  std::string& err = p.err;
  std::vector<uint64_t> samples;
  RunStats stats;
  ASSERT_TRUE(client.Run(1000, &samples, &stats, &err)) << err;
  ASSERT_EQ(samples.size(), 1000u);
  for (uint64_t s : samples) EXPECT_GT(s, 0u);
  ASSERT_TRUE(client.Run(1, &samples, &stats, &err)) << err;  // the connection is reused
  EXPECT_EQ(samples.size(), 1u);
}

TEST(AgentLoops, UdpRoundTripsProduceOneAnsweredSamplePerIteration) {
  LoopbackPair p;
  proto::ConnectCmd c;
  c.data.mode = proto::Mode::kUdpRR;
  c.data.msg_size = 64;
  ASSERT_TRUE(p.Connect(c)) << p.err;
  std::vector<uint64_t> samples;
  RunStats stats;
  ASSERT_TRUE(p.client.Run(1000, &samples, &stats, &p.err)) << p.err;
  ASSERT_EQ(samples.size(), 1000u);
  for (uint64_t s : samples) EXPECT_GT(s, 0u);
  EXPECT_EQ(stats.lost, 0u) << "loopback drops nothing";
}

TEST(AgentLoops, BusyPollingRoundTripsSpinOnBothEndsAndAnswerEveryIteration) {
  for (proto::Mode mode : {proto::Mode::kRR, proto::Mode::kUdpRR}) {
    LoopbackPair p;
    proto::ConnectCmd c;
    c.data.mode = mode;
    c.data.poll = proto::Poll::kBusy;
    ASSERT_TRUE(p.Connect(c)) << p.err;
    std::vector<uint64_t> samples;
    RunStats stats;
    for (int run = 0; run < 2; ++run) {  // the second run asks SO_BUSY_POLL where it applies
      ASSERT_TRUE(p.client.Run(500, &samples, &stats, &p.err)) << p.err;
      ASSERT_EQ(samples.size(), 500u);
      for (uint64_t s : samples) EXPECT_GT(s, 0u);
    }
    EXPECT_EQ(stats.lost, 0u);
    // Loopback hands packets on without a NAPI instance: no id, so no SO_BUSY_POLL.
    EXPECT_EQ(stats.napi_id, 0u);
    EXPECT_EQ(stats.busy_poll_us, 0u);
  }
}

TEST(AgentLoops, AUdpPortToldToBusyPollIsServedSpinningAndBackAgain) {
  Server server;
  std::string err;
  proto::DataConfig d;
  d.mode = proto::Mode::kUdpRR;
  ASSERT_TRUE(server.Serve(proto::ServeCmd{0, d}, &err)) << err;
  const uint16_t port = server.port();
  for (proto::Poll poll : {proto::Poll::kBusy, proto::Poll::kBlocking, proto::Poll::kBusy}) {
    d.poll = poll;
    ASSERT_TRUE(server.Serve(proto::ServeCmd{port, d}, &err)) << err;
    EXPECT_EQ(server.port(), port) << "bound again on the same port";
    Client client;
    ASSERT_TRUE(client.Connect(proto::ConnectCmd{kLoopback, port, d}, &err)) << err;
    std::vector<uint64_t> samples;
    RunStats stats;
    ASSERT_TRUE(client.Run(100, &samples, &stats, &err)) << err;
    EXPECT_EQ(stats.lost, 0u);
  }
}

TEST(AgentLoops, ParallelStreamsSplitTheRunAndTheirSamplesAddUpToItsWallTime) {
  LoopbackPair p;
  proto::ConnectCmd c;
  c.data.mode = proto::Mode::kStream;
  c.data.write_size = 64 * 1024;
  c.data.chunk_size = 256 * 1024;
  c.data.streams = 4;
  ASSERT_TRUE(p.Connect(c)) << p.err;
  std::vector<uint64_t> samples;
  RunStats stats;
  for (uint64_t n : {uint64_t{2}, uint64_t{41}}) {  // fewer chunks than streams, then an odd split
    const uint64_t t0 = NowNs();
    ASSERT_TRUE(p.client.Run(n, &samples, &stats, &p.err)) << p.err;
    const uint64_t wall = NowNs() - t0;
    ASSERT_EQ(samples.size(), n);
    uint64_t sum = 0;
    for (uint64_t s : samples) sum += s;
    EXPECT_GT(sum, 0u);
    EXPECT_LE(sum, wall);
    EXPECT_GT(stats.stream_min_bps, 0u);
    EXPECT_LE(stats.stream_min_bps, stats.stream_max_bps);
  }
}

TEST(ParallelStream, SharesSplitTheChunksEvenlyWithTheRemainderFirst) {
  EXPECT_EQ(StreamShares(10, 4), (std::vector<uint64_t>{3, 3, 2, 2}));
  EXPECT_EQ(StreamShares(2, 4), (std::vector<uint64_t>{1, 1, 0, 0}));
  EXPECT_EQ(StreamShares(8, 1), (std::vector<uint64_t>{8}));
}

TEST(ParallelStream, OneSenderThreadPerCpuAndNeverMoreThanTheConnections) {
  EXPECT_EQ(SenderThreads(4, 1), 1u);  // a one-CPU container: one thread drives all four
  EXPECT_EQ(SenderThreads(4, 2), 2u);
  EXPECT_EQ(SenderThreads(2, 8), 2u);
  EXPECT_EQ(SenderThreads(1, 0), 1u);
}

TEST(ParallelStream, CompletionsMergeIntoGapsThatAddUpToTheLastOne) {
  const std::vector<std::vector<uint64_t>> c = {{10, 30}, {20, 25, 50}, {}};
  std::vector<uint64_t> out(5);
  MergeCompletions(c, out);
  EXPECT_EQ(out, (std::vector<uint64_t>{10, 10, 5, 5, 20}));
  // Rates: 2 chunks of 100 B in 30 ns, 3 in 50 ns; the empty stream is left out.
  const RateRange r = StreamRates(c, 100);
  EXPECT_EQ(r.min_bps, 6'000'000'000u);
  EXPECT_EQ(r.max_bps, 6'666'666'666u);
}

TEST(AgentLoops, AnUnansweredDatagramIsCountedLostAndTheRunGivesUpPastItsCap) {
  // A bound UDP socket nobody reads: every datagram goes unanswered.
  std::string err;
  Fd silent = BindUdp(0, &err);
  ASSERT_TRUE(silent.valid()) << err;
  sockaddr_in a{};
  socklen_t len = sizeof a;
  ASSERT_EQ(::getsockname(silent.get(), reinterpret_cast<sockaddr*>(&a), &len), 0);
  Fd fd = ConnectUdp(kLoopback, ntohs(a.sin_port), &err);
  ASSERT_TRUE(fd.valid()) << err;
  std::vector<uint8_t> msg(64);
  std::vector<uint64_t> out(5);
  uint64_t lost = 0;
  EXPECT_FALSE(RunUdpRoundTrips(fd.get(), msg, out, false, &lost, &err));
  EXPECT_EQ(lost, MaxUdpLosses(5) + 1);
  EXPECT_NE(err.find("unanswered"), std::string::npos) << err;
}

TEST(AgentLoops, ReverseStreamReceivesEveryChunkTheServerSends) {
  LoopbackPair p;
  proto::ConnectCmd c;
  c.data.mode = proto::Mode::kStreamReverse;
  c.data.write_size = 64 * 1024;
  c.data.chunk_size = 256 * 1024;
  ASSERT_TRUE(p.Connect(c)) << p.err;
  std::vector<uint64_t> samples;
  RunStats stats;
  for (int run = 0; run < 3; ++run) {  // runs follow one another on the connection
    ASSERT_TRUE(p.client.Run(40, &samples, &stats, &p.err)) << p.err;
    ASSERT_EQ(samples.size(), 40u);
    for (uint64_t s : samples) EXPECT_GT(s, 0u);
  }
  // Not 0: loopback loses nothing, but a tail-loss probe or an RTO fired while a loaded machine
  // keeps the receiver off the CPU counts in tcpi_total_retrans (seen once: 2). A run of 10 MiB is
  // about 160 loopback segments; a count anywhere near that would be garbage, not a probe.
  EXPECT_LE(stats.retrans, 16u) << "loopback retransmits at most a few probes";
}

TEST(AgentLoops, ConnectRequestResponseOpensAConnectionPerIteration) {
  LoopbackPair p;
  proto::ConnectCmd c;
  c.data.mode = proto::Mode::kCRR;
  c.data.msg_size = 64;
  ASSERT_TRUE(p.Connect(c)) << p.err;
  std::vector<uint64_t> samples;
  RunStats stats;
  ASSERT_TRUE(p.client.Run(300, &samples, &stats, &p.err)) << p.err;
  ASSERT_EQ(samples.size(), 300u);
  uint64_t total = 0;
  for (uint64_t s : samples) {
    EXPECT_GT(s, 0u);
    total += s;
  }
  EXPECT_GT(stats.connect_ns, 0u);
  EXPECT_LT(stats.connect_ns, total) << "a connect is part of its transaction";
  ASSERT_TRUE(p.client.Run(300, &samples, &stats, &p.err)) << p.err;  // and again
}

TEST(UdpRR, SequenceNumbersRoundTripAndTheLossCapIsOnePercentButAtLeastTen) {
  std::vector<uint8_t> msg(64, 0xff);
  PutSequence(msg, 0x0102030405060708ull);
  EXPECT_EQ(GetSequence(msg), 0x0102030405060708ull);
  EXPECT_EQ(msg[0], 0x08);
  EXPECT_EQ(msg[8], 0xff) << "only the first 8 bytes carry it";
  EXPECT_EQ(MaxUdpLosses(5), 10u);
  EXPECT_EQ(MaxUdpLosses(100'000), 1000u);
}

TEST(AgentLoops, StreamEndsOnlyWhenTheReceiverConfirmedEveryByte) {
  LoopbackPair p;
  proto::ConnectCmd c;
  c.data.mode = proto::Mode::kStream;
  c.data.write_size = 64 * 1024;
  c.data.chunk_size = 256 * 1024;
  ASSERT_TRUE(p.Connect(c)) << p.err;
  Client& client = p.client;
  std::string& err = p.err;
  std::vector<uint64_t> samples;
  RunStats stats{99};
  for (uint64_t n : {1u, 37u, 200u}) {
    ASSERT_TRUE(client.Run(n, &samples, &stats, &err)) << err;
    ASSERT_EQ(samples.size(), n);
    for (uint64_t s : samples) EXPECT_GT(s, 0u);
  }
  EXPECT_LT(stats.retrans, 99u);
}

// The sink confirms exactly the run it was announced, and hangs up on a run header it must not
// trust (not whole chunks, zero, or beyond its bound).
TEST(AgentLoops, SinkConfirmsAnnouncedRunsAndRefusesBadHeaders) {
  Server server;
  std::string err;
  constexpr uint32_t kChunk = 4096;
  ASSERT_TRUE(server.Serve(proto::ServeCmd{0, {proto::Mode::kStream, 64, kChunk, kChunk}}, &err))
      << err;
  auto open_stream = [&] {  // no hello: the port says what the connection runs
    Fd c = ConnectTcp(kLoopback, server.port(), 2000, &err);
    SetIoTimeout(c.get(), 5);
    return c;
  };
  auto header = [](uint64_t v) {
    std::vector<uint8_t> b(8);
    for (int i = 0; i < 8; ++i) b[i] = static_cast<uint8_t>(v >> (8 * i));
    return b;
  };
  {
    Fd c = open_stream();
    auto h = header(3 * kChunk);
    std::vector<uint8_t> data(3 * kChunk, 0x5a);
    ASSERT_TRUE(SendAll(c.get(), h.data(), h.size(), &err));
    ASSERT_TRUE(SendAll(c.get(), data.data(), data.size(), &err));
    uint8_t ack[8];
    ASSERT_TRUE(RecvAll(c.get(), ack, sizeof ack, &err)) << err;
    EXPECT_EQ(std::vector<uint8_t>(ack, ack + 8), h);
  }
  for (uint64_t bad : {uint64_t{0}, uint64_t{kChunk + 1}, kMaxRunBytes + kChunk}) {
    Fd c = open_stream();
    auto h = header(bad);
    ASSERT_TRUE(SendAll(c.get(), h.data(), h.size(), &err));
    uint8_t b;
    EXPECT_EQ(::recv(c.get(), &b, 1, 0), 0) << "the sink should close on run length " << bad;
  }
}

TEST(AgentLoops, RunWithoutConnectionIsAnError) {
  Client client;
  std::vector<uint64_t> samples;
  std::string err;
  RunStats stats;
  EXPECT_FALSE(client.Run(10, &samples, &stats, &err));
  proto::ConnectCmd c;
  c.ipv4 = kLoopback;
  c.port = 1;  // nothing listens there
  EXPECT_FALSE(client.Connect(c, &err));
}

// The dispatcher on one end of two pipes, netbench's AgentChannel on the other.
class DispatcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    int to_agent[2], from_agent[2];
    ASSERT_EQ(::pipe2(to_agent, O_CLOEXEC), 0);
    ASSERT_EQ(::pipe2(from_agent, O_CLOEXEC), 0);
    agent_in_ = to_agent[0];
    agent_out_ = from_agent[1];
    thread_ =
        std::thread([this] { exit_code_ = Dispatcher(FrameIo(agent_in_, agent_out_)).Run(); });
    channel_ = std::make_unique<AgentChannel>(to_agent[1], from_agent[0], "test");
  }
  void TearDown() override {
    channel_.reset();  // closes our ends: the dispatcher sees EOF and returns
    thread_.join();
    ::close(agent_in_);
    ::close(agent_out_);
  }
  int agent_in_ = -1, agent_out_ = -1;
  int exit_code_ = -1;
  std::thread thread_;
  std::unique_ptr<AgentChannel> channel_;
};

TEST_F(DispatcherTest, ServesAndMeasuresOverTheControlProtocol) {
  EXPECT_EQ(channel_->Hello(2000), proto::kAgentHello);
  uint16_t port2 = 0;
  {
    Server probe;  // find a free port, then give it back
    std::string err;
    ASSERT_TRUE(probe.Serve(proto::ServeCmd{}, &err)) << err;
    port2 = probe.port();
  }
  ASSERT_NE(port2, 0);
  proto::ConnectCmd c;
  c.ipv4 = kLoopback;
  c.port = port2;
  channel_->Serve(proto::ServeCmd{port2, c.data});
  channel_->Connect(c);
  int loop_done = 0;  // said once per run, before the samples
  RunReport r = channel_->Run(10'000, 30'000, [&] { ++loop_done; });  // more than one samples frame
  EXPECT_EQ(r.samples_ns.size(), 10'000u);
  EXPECT_EQ(loop_done, 1);
  // Telling the port again changes what its next connection runs.
  c.data.mode = proto::Mode::kStream;
  c.data.write_size = 128 * 1024;
  c.data.chunk_size = 1024 * 1024;
  channel_->Serve(proto::ServeCmd{port2, c.data});
  channel_->Connect(c);
  r = channel_->Run(20, 30'000, [&] { ++loop_done; });
  EXPECT_EQ(r.samples_ns.size(), 20u);
  EXPECT_EQ(loop_done, 2);
}

TEST_F(DispatcherTest, ErrorsComeBackAsAgentErrors) {
  EXPECT_THROW(channel_->Run(10, 5'000), AgentError);  // not connected
  proto::ConnectCmd c;
  c.ipv4 = kLoopback;
  c.port = 1;
  EXPECT_THROW(channel_->Connect(c), AgentError);
  EXPECT_THROW(channel_->StressStop(), AgentError);      // none running
  EXPECT_EQ(channel_->Hello(2000), proto::kAgentHello);  // still alive after errors
}

TEST_F(DispatcherTest, QuitEndsTheLoop) {
  channel_->Quit();
  thread_.join();
  EXPECT_EQ(exit_code_, 0);
  thread_ = std::thread([] {});
}

}  // namespace
}  // namespace netbench::agent
