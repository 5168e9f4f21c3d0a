#include "common/protocol.h"

#include <gtest/gtest.h>

namespace netbench::proto {
namespace {

TEST(Protocol, HeaderRoundTrip) {
  auto b = EncodeHeader(Type::kRun, 8);
  ASSERT_EQ(b.size(), kHeaderSize);
  std::string err;
  auto h = DecodeHeader(b, &err);
  ASSERT_TRUE(h) << err;
  EXPECT_EQ(h->type, Type::kRun);
  EXPECT_EQ(h->length, 8u);
}

TEST(Protocol, RejectsBadHeaders) {
  std::string err;
  auto b = EncodeHeader(Type::kOk, 0);
  b[0] ^= 1;
  EXPECT_FALSE(DecodeHeader(b, &err));
  EXPECT_NE(err.find("magic"), std::string::npos);
  b = EncodeHeader(Type::kOk, kMaxPayload + 1);
  EXPECT_FALSE(DecodeHeader(b, &err));
  EXPECT_NE(err.find("exceeds"), std::string::npos);
  b = EncodeHeader(Type::kOk, 0);
  b[4] = 200;  // unknown type
  EXPECT_FALSE(DecodeHeader(b, &err));
  b = EncodeHeader(Type::kOk, 0);
  b.pop_back();
  EXPECT_FALSE(DecodeHeader(b, &err));
}

TEST(Protocol, ConnectRoundTripAndValidation) {
  ConnectCmd c;
  c.ipv4 = 0xc6120002;
  c.port = 7000;
  c.data.mode = Mode::kStream;
  c.data.write_size = 128 * 1024;
  c.data.chunk_size = 1024 * 1024;
  ConnectCmd d;
  ASSERT_TRUE(Decode(Encode(c), &d));
  EXPECT_EQ(d.ipv4, c.ipv4);
  EXPECT_EQ(d.port, 7000);
  EXPECT_EQ(d.data.mode, Mode::kStream);
  EXPECT_EQ(d.data.chunk_size, c.data.chunk_size);

  c.data.chunk_size = 1000;  // smaller than a write
  EXPECT_TRUE(Validate(c.data).has_value());
  EXPECT_FALSE(Decode(Encode(c), &d));
  c.data.chunk_size = 3 * 100'000;
  c.data.write_size = 200'000;  // not a multiple
  EXPECT_TRUE(Validate(c.data).has_value());
  c.data.mode = Mode::kRR;
  c.data.msg_size = 0;
  EXPECT_TRUE(Validate(c.data).has_value());
  c.data.msg_size = kMaxMsgSize + 1;
  EXPECT_TRUE(Validate(c.data).has_value());
}

TEST(Protocol, ServeCarriesTheTestAPortServes) {
  ServeCmd s{7001, DataConfig{Mode::kStream, 64, 64 * 1024, 256 * 1024}};
  ServeCmd d;
  ASSERT_TRUE(Decode(Encode(s), &d));
  EXPECT_EQ(d.port, 7001);
  EXPECT_EQ(d.data.mode, Mode::kStream);
  EXPECT_EQ(d.data.write_size, 64u * 1024);
  s.port = 0;
  EXPECT_FALSE(Decode(Encode(s), &d));
  auto bytes = Encode(ServeCmd{7000, DataConfig{}});
  bytes[2] = 9;  // no such mode
  EXPECT_FALSE(Decode(bytes, &d));
}

TEST(Protocol, ParallelStreamsAndBusyPollingTravelWithTheirTestsOnly) {
  ConnectCmd c{0xc6120002, 7000, DataConfig{}};
  c.data.mode = Mode::kStream;
  c.data.streams = 8;
  ConnectCmd d;
  ASSERT_TRUE(Decode(Encode(c), &d));
  EXPECT_EQ(d.data.streams, 8);
  c.data.streams = 0;
  EXPECT_FALSE(Decode(Encode(c), &d));
  c.data.streams = kMaxStreams + 1;
  EXPECT_FALSE(Decode(Encode(c), &d));
  c.data.streams = 2;
  c.data.mode = Mode::kStreamReverse;
  EXPECT_TRUE(Validate(c.data).has_value()) << "parallel streams are tcp_stream's";
  c.data = DataConfig{};
  c.data.poll = Poll::kBusy;
  ASSERT_TRUE(Decode(Encode(c), &d));
  EXPECT_EQ(d.data.poll, Poll::kBusy);
  c.data.mode = Mode::kCRR;
  EXPECT_TRUE(Validate(c.data).has_value()) << "busy polling is the round trips'";
  c.data.mode = Mode::kRR;
  auto bytes = Encode(c);
  bytes.back() = 2;  // no such poll mode
  EXPECT_FALSE(Decode(bytes, &d));
}

TEST(Protocol, EveryModeHasItsOwnPortOffset) {
  EXPECT_EQ(PortOffset(Mode::kRR), 0);
  EXPECT_EQ(PortOffset(Mode::kStream), 1);
}

TEST(Protocol, PayloadsMustBeConsumedExactly) {
  auto p = Encode(RunCmd{100});
  RunCmd r;
  ASSERT_TRUE(Decode(p, &r));
  EXPECT_EQ(r.iterations, 100u);
  p.push_back(0);
  EXPECT_FALSE(Decode(p, &r));
  EXPECT_FALSE(Decode(Encode(RunCmd{0}), &r));
  EXPECT_FALSE(Decode(Encode(RunCmd{kMaxIterations + 1}), &r));
}

TEST(Protocol, SamplesBounded) {
  SamplesMsg m;
  m.ns = {1, 2, 3, 1ULL << 40};
  SamplesMsg d;
  ASSERT_TRUE(Decode(Encode(m), &d));
  EXPECT_EQ(d.ns, m.ns);
  m.ns.assign(kMaxSamplesPerFrame + 1, 7);
  EXPECT_FALSE(Decode(Encode(m), &d));
  auto p = Encode(SamplesMsg{{1, 2}});
  p[0] = 3;  // claims three samples, carries two
  EXPECT_FALSE(Decode(p, &d));
}

TEST(Protocol, TextBounded) {
  TextMsg t{std::string(kMaxText + 100, 'x')};
  TextMsg d;
  ASSERT_TRUE(Decode(Encode(t), &d));
  EXPECT_EQ(d.text.size(), kMaxText);  // truncated on encode
  auto p = Encode(TextMsg{"hello"});
  p[0] = 0xff;  // length beyond payload
  EXPECT_FALSE(Decode(p, &d));
}

TEST(Protocol, StressAndDone) {
  StressCmd s{2, 80};
  StressCmd sd;
  ASSERT_TRUE(Decode(Encode(s), &sd));
  EXPECT_EQ(sd.cpus, 2u);
  EXPECT_EQ(sd.load_percent, 80u);
  EXPECT_FALSE(Decode(Encode(StressCmd{0, 50}), &sd));
  EXPECT_FALSE(Decode(Encode(StressCmd{1, 101}), &sd));
  DoneMsg m{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
  DoneMsg md;
  ASSERT_TRUE(Decode(Encode(m), &md));
  EXPECT_EQ(md.extra, 4u);
  EXPECT_EQ(md.extra_ns, 5u);
  EXPECT_EQ(md.stream_min_bps, 8u);
  EXPECT_EQ(md.busy_poll_us, 11u);
}

}  // namespace
}  // namespace netbench::proto
