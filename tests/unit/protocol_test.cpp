#include "common/protocol.h"

#include <gtest/gtest.h>

namespace netbench::proto {
namespace {

TEST(Protocol, HeaderRoundTrip) {
  auto b = EncodeHeader(Type::kRunRR, 8);
  ASSERT_EQ(b.size(), kHeaderSize);
  std::string err;
  auto h = DecodeHeader(b, &err);
  ASSERT_TRUE(h) << err;
  EXPECT_EQ(h->type, Type::kRunRR);
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
  c.mode = Mode::kStream;
  c.write_size = 128 * 1024;
  c.chunk_size = 1024 * 1024;
  ConnectCmd d;
  ASSERT_TRUE(Decode(Encode(c), &d));
  EXPECT_EQ(d.ipv4, c.ipv4);
  EXPECT_EQ(d.port, 7000);
  EXPECT_EQ(d.mode, Mode::kStream);
  EXPECT_EQ(d.chunk_size, c.chunk_size);

  c.chunk_size = 1000;  // smaller than a write
  EXPECT_TRUE(Validate(c).has_value());
  EXPECT_FALSE(Decode(Encode(c), &d));
  c.chunk_size = 3 * 100'000;
  c.write_size = 200'000;  // not a multiple
  EXPECT_TRUE(Validate(c).has_value());
  c.mode = Mode::kRR;
  c.msg_size = 0;
  EXPECT_TRUE(Validate(c).has_value());
  c.msg_size = kMaxMsgSize + 1;
  EXPECT_TRUE(Validate(c).has_value());
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
  DoneMsg m{1, 2, 3, 4, 5};
  DoneMsg md;
  ASSERT_TRUE(Decode(Encode(m), &md));
  EXPECT_EQ(md.extra, 4u);
  EXPECT_EQ(md.extra_ns, 5u);
}

TEST(Protocol, DataHello) {
  DataHello h{Mode::kStream, 0, 1 << 20, 1 << 17};
  auto b = EncodeDataHello(h);
  ASSERT_EQ(b.size(), kDataHelloSize);
  DataHello d;
  ASSERT_TRUE(DecodeDataHello(b, &d));
  EXPECT_EQ(d.chunk_size, 1u << 20);
  b[0] ^= 0xff;
  EXPECT_FALSE(DecodeDataHello(b, &d));
  EXPECT_FALSE(DecodeDataHello(EncodeDataHello(DataHello{Mode::kRR, 0, 0, 0}), &d));
}

}  // namespace
}  // namespace netbench::proto
