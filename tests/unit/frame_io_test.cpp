#include "common/frame_io.h"

#include <gtest/gtest.h>
#include <unistd.h>

namespace netbench {
namespace {

class Pipe {
 public:
  Pipe() { EXPECT_EQ(::pipe(fds_), 0); }
  ~Pipe() {
    for (int f : fds_)
      if (f >= 0) ::close(f);
  }
  int r() const { return fds_[0]; }
  int w() const { return fds_[1]; }
  void CloseWrite() {
    ::close(fds_[1]);
    fds_[1] = -1;
  }

 private:
  int fds_[2] = {-1, -1};
};

TEST(FrameIo, WritesAndReadsFrames) {
  Pipe p;
  FrameIo out(-1, p.w()), in(p.r(), -1);
  std::string err;
  ASSERT_TRUE(out.Write(proto::Type::kRun, proto::Encode(proto::RunCmd{42}), &err)) << err;
  auto f = in.Read(1000, &err);
  ASSERT_TRUE(f) << err;
  EXPECT_EQ(f->type, proto::Type::kRun);
  proto::RunCmd c;
  ASSERT_TRUE(proto::Decode(f->payload, &c));
  EXPECT_EQ(c.iterations, 42u);
}

TEST(FrameIo, TimesOut) {
  Pipe p;
  FrameIo in(p.r(), -1);
  std::string err;
  EXPECT_FALSE(in.Read(50, &err));
  EXPECT_NE(err.find("timed out"), std::string::npos);
}

TEST(FrameIo, ReportsClosedChannelAndTruncation) {
  Pipe p;
  auto hdr = proto::EncodeHeader(proto::Type::kOk, 10);
  ASSERT_EQ(::write(p.w(), hdr.data(), hdr.size()), static_cast<ssize_t>(hdr.size()));
  ASSERT_EQ(::write(p.w(), "abc", 3), 3);
  p.CloseWrite();
  FrameIo in(p.r(), -1);
  std::string err;
  EXPECT_FALSE(in.Read(1000, &err));
  EXPECT_EQ(err, "control channel closed");
}

TEST(FrameIo, RejectsOversizedFrameWithoutReadingIt) {
  Pipe p;
  auto hdr = proto::EncodeHeader(proto::Type::kOk, 0);
  hdr[8] = 0xff;
  hdr[9] = 0xff;
  hdr[10] = 0xff;  // ~16 MiB
  ASSERT_EQ(::write(p.w(), hdr.data(), hdr.size()), static_cast<ssize_t>(hdr.size()));
  FrameIo in(p.r(), -1);
  std::string err;
  EXPECT_FALSE(in.Read(1000, &err));
  EXPECT_NE(err.find("exceeds"), std::string::npos);
}

}  // namespace
}  // namespace netbench
