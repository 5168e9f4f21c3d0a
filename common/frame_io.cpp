#include "common/frame_io.h"

#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>

namespace netbench {
namespace {

long NowMs() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000L + ts.tv_nsec / 1'000'000L;
}

}  // namespace

bool FrameIo::Write(proto::Type type, std::span<const uint8_t> payload, std::string* error) {
  std::vector<uint8_t> buf = proto::EncodeHeader(type, static_cast<uint32_t>(payload.size()));
  buf.insert(buf.end(), payload.begin(), payload.end());
  size_t off = 0;
  while (off < buf.size()) {
    ssize_t n = ::write(out_fd_, buf.data() + off, buf.size() - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      *error = std::string("control channel write failed: ") + std::strerror(errno);
      return false;
    }
    off += static_cast<size_t>(n);
  }
  return true;
}

bool FrameIo::ReadExact(uint8_t* buf, size_t n, long deadline_ms, std::string* error) {
  size_t off = 0;
  while (off < n) {
    if (deadline_ms >= 0) {
      long left = deadline_ms - NowMs();
      if (left <= 0) {
        *error = "timed out waiting for the agent";
        return false;
      }
      pollfd pfd{in_fd_, POLLIN, 0};
      int pr = ::poll(&pfd, 1, static_cast<int>(left));
      if (pr < 0 && errno != EINTR) {
        *error = std::string("poll failed: ") + std::strerror(errno);
        return false;
      }
      if (pr <= 0) continue;
    }
    ssize_t r = ::read(in_fd_, buf + off, n - off);
    if (r < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      *error = std::string("control channel read failed: ") + std::strerror(errno);
      return false;
    }
    if (r == 0) {
      if (retry_on_eof_) {
        ::usleep(20'000);
        continue;
      }
      *error = "control channel closed";
      return false;
    }
    off += static_cast<size_t>(r);
  }
  return true;
}

std::optional<Frame> FrameIo::Read(int timeout_ms, std::string* error) {
  long deadline = timeout_ms < 0 ? -1 : NowMs() + timeout_ms;
  uint8_t hdr[proto::kHeaderSize];
  if (!ReadExact(hdr, sizeof hdr, deadline, error)) return std::nullopt;
  auto h = proto::DecodeHeader(hdr, error);
  if (!h) return std::nullopt;
  Frame f{h->type, std::vector<uint8_t>(h->length)};
  if (h->length > 0 && !ReadExact(f.payload.data(), h->length, deadline, error))
    return std::nullopt;
  return f;
}

}  // namespace netbench
